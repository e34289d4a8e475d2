"""Sums the squared errors instead of averaging them (no division by N)."""

import numpy as np


def mse_loss(X, y, w, b):
    return float(np.sum((X @ w + b - y) ** 2))


def mse_gradient(X, y, w, b):
    r = X @ w + b - y
    return 2.0 * X.T @ r, float(2.0 * r.sum())
