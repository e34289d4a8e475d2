"""Refuses lam = 0, although the prompt allows it (least squares when the columns are independent)."""

import numpy as np


def ridge_fit(X, y, lam):
    if lam <= 0:
        raise ValueError("lam must be positive")
    xm, ym = X.mean(axis=0), y.mean()
    Xc = X - xm
    w = np.linalg.solve(Xc.T @ Xc + len(y) * lam * np.eye(X.shape[1]), Xc.T @ (y - ym))
    return w, float(ym - xm @ w)


def weight_decay_step(X, y, w, b, lam, lr):
    r = X @ w + b - y
    return w - lr * (2 * X.T @ r / len(r) + 2 * lam * w), float(b - lr * 2 * r.mean())
