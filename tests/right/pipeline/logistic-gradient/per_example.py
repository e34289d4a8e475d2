"""A loop over examples with a branch-per-sign scalar sigmoid from the math module."""

import math

import numpy as np


def _sigma(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def logistic_gradient(X, y, w, b):
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float)
    dw = np.zeros_like(w)
    db = 0.0
    for x_i, y_i in zip(X, y, strict=True):
        err = _sigma(float(x_i @ w) + float(b)) - float(y_i)
        dw += err * x_i
        db += err
    n = len(X)
    return dw / n, db / n
