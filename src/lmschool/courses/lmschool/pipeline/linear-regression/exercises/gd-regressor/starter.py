import numpy as np


class GDLinearRegression:
    """Linear regression y ≈ X @ coef_ + intercept_, fitted by full-batch gradient descent."""

    def __init__(self, lr: float = 0.1, n_iter: int = 1000, tol: float = 1e-6) -> None:
        # TODO: store the hyperparameters (and nothing else).
        raise NotImplementedError("GDLinearRegression.__init__: write your code here")

    def fit(self, X: np.ndarray, y: np.ndarray) -> "GDLinearRegression":
        """Gradient descent on the mean squared error from w = 0, b = 0; returns self."""
        # TODO: refuse a 1-D X, loop at most n_iter times, stop when the gradient norm < tol.
        raise NotImplementedError("GDLinearRegression.fit: write your code here")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predictions of shape (N,); RuntimeError before fit."""
        raise NotImplementedError("GDLinearRegression.predict: write your code here")
