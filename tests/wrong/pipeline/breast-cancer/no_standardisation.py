"""Skips standardisation: gradient descent on raw features (0.001 to 4000) stalls near 0.91."""

import numpy as np


class BreastCancerClassifier:
    def __init__(self, lr=1e-5, n_iter=1000):
        self.lr, self.n_iter = lr, n_iter

    def fit(self, X, y):
        n, d = X.shape
        w, b = np.zeros(d), 0.0
        for _ in range(self.n_iter):
            r = np.exp(-np.logaddexp(0.0, -(X @ w + b))) - y
            w -= self.lr * X.T @ r / n
            b -= self.lr * r.mean()
        self.coef_, self.intercept_ = w, b
        return self

    def predict(self, X):
        if not hasattr(self, "coef_"):
            raise RuntimeError("not fitted")
        return (X @ self.coef_ + self.intercept_ > 0).astype(int)
