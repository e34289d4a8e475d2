import numpy as np


def logistic_gradient(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[np.ndarray, float]:
    """(dL/dw, dL/db) of the mean binary cross-entropy with p = sigmoid(X @ w + b)."""
    # TODO: the derivative of each example's loss with respect to its logit, then the chain rule.
    raise NotImplementedError("logistic_gradient: write your code here")
