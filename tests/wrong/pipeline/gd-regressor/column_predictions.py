"""Keeps weights as a column (D, 1), so predict returns shape (N, 1) instead of (N,)."""

import numpy as np


class GDLinearRegression:
    def __init__(self, lr=0.1, n_iter=1000, tol=1e-6):
        self.lr, self.n_iter, self.tol = lr, n_iter, tol

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError("X must be 2-D")
        n = len(y)
        y = np.asarray(y, dtype=float).reshape(-1, 1)  # (N, 1)
        w, b = np.zeros((X.shape[1], 1)), 0.0
        self.n_iter_ = 0
        for _ in range(self.n_iter):
            r = X @ w + b - y  # (N, 1)
            dw, db = 2.0 / n * X.T @ r, 2.0 / n * r.sum()
            if np.sqrt((dw**2).sum() + db**2) < self.tol:
                break
            w, b = w - self.lr * dw, b - self.lr * db
            self.n_iter_ += 1
        self.w_col, self.intercept_ = w, float(b)
        self.coef_ = w.ravel()
        return self

    def predict(self, X):
        if not hasattr(self, "coef_"):
            raise RuntimeError("not fitted")
        return X @ self.w_col + self.intercept_  # (N, 1)
