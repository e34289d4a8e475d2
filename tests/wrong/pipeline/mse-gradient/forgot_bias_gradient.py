"""Forgets the gradient of the bias: db is always 0."""

import numpy as np


def mse_loss(X, y, w, b):
    return float(np.mean((X @ w + b - y) ** 2))


def mse_gradient(X, y, w, b):
    r = X @ w + b - y
    return 2.0 / len(y) * X.T @ r, 0.0
