import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e^-z) without overflow


class BreastCancerClassifier:
    """Logistic regression for the breast-cancer data: fit(X, y) -> self, predict(X) -> 0/1 labels."""

    def __init__(self, lr: float = 0.5, n_iter: int = 1000, l2: float = 0.01) -> None:
        self.lr = lr  # step size on standardised features
        self.n_iter = n_iter  # full-batch gradient steps
        self.l2 = l2  # L2 penalty: keeps w finite even where the classes separate

    def fit(self, X: np.ndarray, y: np.ndarray) -> "BreastCancerClassifier":
        """Standardise with the training statistics, then gradient descent; returns self."""
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        # 1) standardise with statistics of the training data only
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.std_ = np.where(std == 0, 1.0, std)
        Z = (X - self.mean_) / self.std_  # (N, D)
        # 2) gradient descent on mean cross-entropy + (l2 / 2) * ||w||^2
        n, d = Z.shape
        w, b = np.zeros(d), 0.0
        for _ in range(self.n_iter):
            r = _sigmoid(Z @ w + b) - y  # (N,) p - y
            w -= self.lr * (Z.T @ r / n + self.l2 * w)
            b -= self.lr * r.mean()
        self.coef_, self.intercept_ = w, float(b)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Labels 0/1 of shape (N,); RuntimeError before fit."""
        if not hasattr(self, "coef_"):
            raise RuntimeError("BreastCancerClassifier is not fitted yet: call fit(X, y) first")
        Z = (np.asarray(X, dtype=np.float64) - self.mean_) / self.std_
        return (Z @ self.coef_ + self.intercept_ > 0).astype(int)  # logit > 0 <=> p > 0.5
