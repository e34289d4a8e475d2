"""Sums over the examples instead of averaging (no division by N)."""

import numpy as np


def logistic_gradient(X, y, w, b):
    p = np.exp(-np.logaddexp(0.0, -(X @ w + b)))
    r = p - y
    return X.T @ r, float(r.sum())
