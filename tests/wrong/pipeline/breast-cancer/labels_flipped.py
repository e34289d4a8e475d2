"""Predicts 1 where the probability of label 1 is below 0.5: every label is flipped."""

import numpy as np


class BreastCancerClassifier:
    def __init__(self, lr=0.5, n_iter=1000):
        self.lr, self.n_iter = lr, n_iter

    def fit(self, X, y):
        self.mean_, self.std_ = X.mean(axis=0), X.std(axis=0)
        Z = (X - self.mean_) / self.std_
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
        z = (X - self.mean_) / self.std_ @ self.coef_ + self.intercept_
        return (z < 0).astype(int)
