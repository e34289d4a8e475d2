"""One parameter vector theta = (w, b) over X with a column of ones appended, a while loop, and the
mean-of-rows form of the gradient."""

import numpy as np


class GDLinearRegression:
    def __init__(self, lr=0.1, n_iter=1000, tol=1e-6):
        self.lr = lr
        self.n_iter = n_iter
        self.tol = tol

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        if X.ndim == 1:
            raise ValueError("X must be 2-D: use X.reshape(-1, 1) for a single feature")
        y = np.asarray(y, dtype=float).ravel()
        A = np.hstack([X, np.ones((X.shape[0], 1))])  # (N, D + 1)
        theta = np.zeros(A.shape[1])
        updates = 0
        while updates < self.n_iter:
            residual = A @ theta - y
            grad = 2 * (A * residual[:, None]).mean(axis=0)  # (D + 1,)
            if np.linalg.norm(grad) < self.tol:
                break
            theta -= self.lr * grad
            updates += 1
        self.coef_ = theta[:-1].copy()
        self.intercept_ = float(theta[-1])
        self.n_iter_ = updates
        return self

    def predict(self, X):
        try:
            w, b = self.coef_, self.intercept_
        except AttributeError:
            raise RuntimeError("fit the model before calling predict") from None
        return np.asarray(X, dtype=float) @ w + b
