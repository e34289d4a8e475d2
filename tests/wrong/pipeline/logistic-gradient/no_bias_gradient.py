"""Forgets the bias: db is always 0."""

import numpy as np


def logistic_gradient(X, y, w, b):
    p = np.exp(-np.logaddexp(0.0, -(X @ w + b)))
    return X.T @ (p - y) / len(y), 0.0
