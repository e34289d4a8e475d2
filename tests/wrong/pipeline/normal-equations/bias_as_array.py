"""Returns b = theta[-1:], an array of shape (1,), instead of a float."""

import numpy as np


def fit_closed_form(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares (w, b) for y ≈ X @ w + b: X (N, D), y (N,) -> w (D,), b a float."""
    X = np.asarray(X, dtype=np.float64)
    Xt = np.column_stack([X, np.ones(len(X))])  # (N, D + 1): the last weight is the bias
    # lstsq solves min ||Xt theta - y||^2 through an SVD: no Xt.T @ Xt to invert, so
    # identical columns (a singular Xt.T @ Xt) give the minimum-norm solution.
    theta, *_ = np.linalg.lstsq(Xt, np.asarray(y, dtype=np.float64), rcond=None)
    return theta[:-1], theta[-1:]
