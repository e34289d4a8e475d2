"""Applies the decay after the gradient step: (1 - 2 lr lam) (w - lr grad)."""

import numpy as np


def ridge_fit(X, y, lam):
    xm, ym = X.mean(axis=0), y.mean()
    Xc = X - xm
    w = np.linalg.solve(Xc.T @ Xc + len(y) * lam * np.eye(X.shape[1]), Xc.T @ (y - ym))
    return w, float(ym - xm @ w)


def weight_decay_step(X, y, w, b, lam, lr):
    r = X @ w + b - y
    w = w - lr * 2 * X.T @ r / len(r)
    w = w * (1 - 2 * lr * lam)
    return w, float(b - lr * 2 * r.mean())
