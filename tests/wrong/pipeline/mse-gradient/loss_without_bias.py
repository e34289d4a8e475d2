"""mse_loss forgets the bias: the predictions are X @ w only."""

import numpy as np


def mse_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Mean squared error of the predictions X @ w + b: X (N, D), y (N,), w (D,), b a number."""
    r = np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) - y  # (N,)
    return float(np.mean(r**2))


def mse_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    """(dL/dw, dL/db) of the mean squared error: dw of shape (D,), db a float."""
    X = np.asarray(X, dtype=np.float64)
    r = X @ np.asarray(w, dtype=np.float64) + b - y  # (N,) residuals
    n = len(r)
    dw = 2.0 / n * (X.T @ r)  # (D,): sum_i 2 r_i x_i / N
    db = 2.0 / n * r.sum()  # d r_i / d b = 1
    return dw, float(db)
