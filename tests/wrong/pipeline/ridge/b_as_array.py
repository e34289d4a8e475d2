"""Intercept as a slice of the augmented solution: b is an array of shape (1,), not a float."""

import numpy as np


def ridge_fit(X, y, lam):
    A = np.column_stack([X, np.ones(len(X))])
    P = len(y) * lam * np.eye(A.shape[1])
    P[-1, -1] = 0.0  # the bias is not penalised
    theta = np.linalg.solve(A.T @ A + P, A.T @ y)
    return theta[:-1], theta[-1:]


def weight_decay_step(X, y, w, b, lam, lr):
    r = X @ w + b - y
    return w - lr * (2 * X.T @ r / len(r) + 2 * lam * w), float(b - lr * 2 * r.mean())
