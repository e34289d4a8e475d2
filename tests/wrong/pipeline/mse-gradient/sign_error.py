"""Wrong sign: the residual is taken as y - prediction in the gradient."""

import numpy as np


def mse_loss(X, y, w, b):
    return float(np.mean((X @ w + b - y) ** 2))


def mse_gradient(X, y, w, b):
    r = y - (X @ w + b)  # target minus prediction: the gradient flips sign
    return 2.0 / len(y) * X.T @ r, float(2.0 / len(y) * r.sum())
