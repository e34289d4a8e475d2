"""Missing bias: learns w only, so intercept_ stays 0."""

import numpy as np


class GDLinearRegression:
    def __init__(self, lr=0.1, n_iter=1000, tol=1e-6):
        self.lr, self.n_iter, self.tol = lr, n_iter, tol

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError("X must be 2-D")
        w = np.zeros(X.shape[1])
        self.n_iter_ = 0
        for _ in range(self.n_iter):
            dw = 2.0 / len(y) * X.T @ (X @ w - y)
            if np.linalg.norm(dw) < self.tol:
                break
            w -= self.lr * dw
            self.n_iter_ += 1
        self.coef_, self.intercept_ = w, 0.0
        return self

    def predict(self, X):
        if not hasattr(self, "coef_"):
            raise RuntimeError("not fitted")
        return X @ self.coef_ + self.intercept_
