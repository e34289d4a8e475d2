"""Stacks a column of ones onto X and returns db = grad[-1:], an array of shape (1,), not a float."""

import numpy as np


def mse_loss(X, y, w, b):
    r = X @ w + b - y
    return float(np.mean(r**2))


def mse_gradient(X, y, w, b):
    A = np.column_stack([X, np.ones(len(X))])
    theta = np.append(w, b)
    r = A @ theta - y
    grad = 2.0 / len(y) * (A.T @ r)
    return grad[:-1], grad[-1:]
