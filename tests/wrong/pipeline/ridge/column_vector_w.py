"""Treats y as a column vector: w comes back with shape (D, 1) instead of (D,)."""

import numpy as np


def ridge_fit(X, y, lam):
    y = y.reshape(-1, 1)
    xm, ym = X.mean(axis=0, keepdims=True), y.mean()
    Xc = X - xm
    w = np.linalg.solve(Xc.T @ Xc + len(y) * lam * np.eye(X.shape[1]), Xc.T @ (y - ym))
    return w, float(ym - (xm @ w)[0, 0])


def weight_decay_step(X, y, w, b, lam, lr):
    r = X @ w + b - y
    return w - lr * (2 * X.T @ r / len(r) + 2 * lam * w), float(b - lr * 2 * r.mean())
