"""Ridge as least squares on an augmented system; the step written per example."""

import numpy as np


def ridge_fit(X, y, lam):
    n, d = X.shape
    Xc = X - X.mean(axis=0)
    # min |Xc w - yc|^2 + n lam |w|^2  ==  min |[Xc; sqrt(n lam) I] w - [yc; 0]|^2
    A = np.vstack([Xc, np.sqrt(n * lam) * np.eye(d)])
    t = np.concatenate([y - y.mean(), np.zeros(d)])
    w, *_ = np.linalg.lstsq(A, t, rcond=None)
    return w, float(y.mean() - X.mean(axis=0) @ w)


def weight_decay_step(X, y, w, b, lam, lr):
    n = len(y)
    gw = np.zeros_like(w, dtype=float)
    gb = 0.0
    for xi, yi in zip(X, y, strict=True):
        e = float(xi @ w + b - yi)
        gw += 2 * e * xi / n
        gb += 2 * e / n
    return (1 - 2 * lr * lam) * w - lr * gw, b - lr * gb
