"""Subtracts the bias in predict: z @ w - b > 0 instead of z @ w + b > 0."""

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


class BreastCancerClassifier:
    def __init__(self, lr=0.5, n_iter=1000, l2=0.01):
        self.lr, self.n_iter, self.l2 = lr, n_iter, l2

    def fit(self, X, y):
        self.mean_, self.std_ = X.mean(axis=0), X.std(axis=0)
        Z = (X - self.mean_) / self.std_
        w, b = np.zeros(Z.shape[1]), 0.0
        for _ in range(self.n_iter):
            r = _sigmoid(Z @ w + b) - y
            w -= self.lr * (Z.T @ r / len(y) + self.l2 * w)
            b -= self.lr * r.mean()
        self.coef_, self.intercept_ = w, b
        return self

    def predict(self, X):
        if not hasattr(self, "coef_"):
            raise RuntimeError("call fit first")
        Z = (X - self.mean_) / self.std_
        return (Z @ self.coef_ - self.intercept_ > 0).astype(int)
