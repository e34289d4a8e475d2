"""Wrong sign in the update: w += lr * dw climbs the loss and diverges."""

import numpy as np


class GDLinearRegression:
    def __init__(self, lr=0.1, n_iter=1000, tol=1e-6):
        self.lr, self.n_iter, self.tol = lr, n_iter, tol

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
            w, b = w + self.lr * dw, b + self.lr * db
            self.n_iter_ += 1
        self.coef_, self.intercept_ = w, float(b)
        return self

    def predict(self, X):
        if not hasattr(self, "coef_"):
            raise RuntimeError("not fitted")
        return X @ self.coef_ + self.intercept_
