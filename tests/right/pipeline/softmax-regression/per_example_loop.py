"""One example at a time, with plain Python loops over the rows."""

import math

import numpy as np


def softmax(Z):
    out = np.empty(np.shape(Z))
    for i, row in enumerate(np.asarray(Z, dtype=float)):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def cross_entropy(Z, y):
    total = 0.0
    for row, label in zip(np.asarray(Z, dtype=float), y, strict=True):
        m = row.max()
        total += m + math.log(np.exp(row - m).sum()) - row[label]
    return total / len(y)


def softmax_gradient(X, y, W, b):
    dW, db = np.zeros_like(W, dtype=float), np.zeros_like(b, dtype=float)
    P = softmax(X @ W + b)
    for x, p, label in zip(X, P, y, strict=True):
        g = p.copy()
        g[label] -= 1.0
        dW += np.outer(x, g)
        db += g
    return dW / len(y), db / len(y)
