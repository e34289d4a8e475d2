"""Creates coef_ in __init__, so predict before fit silently returns zeros instead of raising."""

import numpy as np


class GDLinearRegression:
    def __init__(self, lr=0.1, n_iter=1000, tol=1e-6):
        self.lr, self.n_iter, self.tol = lr, n_iter, tol
        self.coef_, self.intercept_ = None, 0.0

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError("X must be 2-D")
        n = len(y)
        w, b = np.zeros(X.shape[1]), 0.0
        self.n_iter_ = 0
        for _ in range(self.n_iter):
            r = X @ w + b - y
            dw, db = 2.0 / n * X.T @ r, 2.0 / n * r.sum()
            if np.sqrt(dw @ dw + db**2) < self.tol:
                break
            w, b = w - self.lr * dw, b - self.lr * db
            self.n_iter_ += 1
        self.coef_, self.intercept_ = w, float(b)
        return self

    def predict(self, X):
        if self.coef_ is None:
            return np.zeros(len(X))
        return X @ self.coef_ + self.intercept_
