"""Standardises in predict with the batch's own mean and std instead of the training ones."""

import numpy as np


def _standardise(X):
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


class BreastCancerClassifier:
    def __init__(self, lr=0.5, n_iter=1000):
        self.lr, self.n_iter = lr, n_iter

    def fit(self, X, y):
        Z = _standardise(X)
        w, b = np.zeros(Z.shape[1]), 0.0
        for _ in range(self.n_iter):
            r = np.exp(-np.logaddexp(0.0, -(Z @ w + b))) - y
            w -= self.lr * Z.T @ r / len(y)
            b -= self.lr * r.mean()
        self.coef_, self.intercept_ = w, b
        return self

    def predict(self, X):
        if not hasattr(self, "coef_"):
            raise RuntimeError("not fitted")
        return (_standardise(X) @ self.coef_ + self.intercept_ > 0).astype(int)
