"""Sums over the examples one at a time in a Python loop, as the formula reads."""

import numpy as np


def mse_loss(X, y, w, b):
    X = np.asarray(X, dtype=float)
    total = 0.0
    for x_i, y_i in zip(X, y, strict=True):
        total += (float(np.dot(x_i, w)) + b - float(y_i)) ** 2
    return total / len(X)


def mse_gradient(X, y, w, b):
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    dw = np.zeros(d)
    db = 0.0
    for x_i, y_i in zip(X, y, strict=True):
        r = float(np.dot(x_i, w)) + b - float(y_i)
        dw += 2 * r * x_i
        db += 2 * r
    return dw / n, db / n
