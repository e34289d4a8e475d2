import numpy as np


def mse_loss(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> float:
    """Mean squared error of the predictions X @ w + b: X (N, D), y (N,), w (D,), b a number."""
    # TODO: residuals r = prediction - y (shape (N,)), then their mean square.
    raise NotImplementedError("mse_loss: write your code here")


def mse_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, float]:
    """(dL/dw, dL/db) of the mean squared error: dw of shape (D,), db a float."""
    # TODO: differentiate (1/N) * sum(r_i ** 2) with respect to w and to b.
    raise NotImplementedError("mse_gradient: write your code here")
