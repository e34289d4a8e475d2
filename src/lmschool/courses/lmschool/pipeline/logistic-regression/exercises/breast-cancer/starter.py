import numpy as np


class BreastCancerClassifier:
    """Logistic regression for the breast-cancer data: fit(X, y) -> self, predict(X) -> 0/1 labels."""

    def __init__(self, lr: float = 0.5, n_iter: int = 1000, l2: float = 0.01) -> None:
        self.lr = lr
        self.n_iter = n_iter
        self.l2 = l2

    def fit(self, X: np.ndarray, y: np.ndarray) -> "BreastCancerClassifier":
        """Standardise with the training statistics, then gradient descent; returns self."""
        # TODO: learn mean_ and std_, standardise, run gradient descent on the cross-entropy.
        raise NotImplementedError("BreastCancerClassifier.fit: write your code here")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Labels 0/1 of shape (N,); RuntimeError before fit."""
        # TODO: standardise with the statistics from fit, threshold the logit at 0.
        raise NotImplementedError("BreastCancerClassifier.predict: write your code here")
