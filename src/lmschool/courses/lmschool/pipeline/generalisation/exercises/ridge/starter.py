import numpy as np


def ridge_fit(X: np.ndarray, y: np.ndarray, lam: float) -> tuple[np.ndarray, float]:
    """Minimise mean((X @ w + b - y) ** 2) + lam * |w|^2 exactly; b is not penalised."""
    # TODO: centre X and y, solve (Xc.T @ Xc + N * lam * I) w = Xc.T @ yc, then recover b.
    raise NotImplementedError("ridge_fit: write your code here")


def weight_decay_step(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lam: float, lr: float
) -> tuple[np.ndarray, float]:
    """One gradient-descent step on the same loss, from (w, b); returns the new (w, b)."""
    # TODO: residuals of the current (w, b), the gradient with the decay term, one step.
    raise NotImplementedError("weight_decay_step: write your code here")
