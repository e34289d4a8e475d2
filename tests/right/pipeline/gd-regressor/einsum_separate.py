"""Weights and bias kept apart, gradients with einsum, a for loop with an explicit stop flag and
a `fitted_` marker checked in predict."""

import math

import numpy as np


class GDLinearRegression:
    def __init__(self, lr=0.1, n_iter=1000, tol=1e-6):
        self.lr, self.n_iter, self.tol = lr, n_iter, tol

    def fit(self, X, y):
        X = np.array(X, dtype=np.float64)
        y = np.array(y, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"expected a 2-D X, got {X.ndim}-D")
        n = X.shape[0]
        weights = np.zeros(X.shape[1])
        bias = 0.0
        done = 0
        for _ in range(self.n_iter):
            err = np.einsum("nd,d->n", X, weights) + bias - y
            g_w = np.einsum("nd,n->d", X, err) * (2.0 / n)
            g_b = 2.0 * err.mean()
            if math.sqrt(float(np.sum(g_w**2)) + g_b**2) < self.tol:
                break
            weights -= self.lr * g_w
            bias -= self.lr * g_b
            done += 1
        self.coef_ = weights
        self.intercept_ = float(bias)
        self.n_iter_ = done
        self.fitted_ = True
        return self

    def predict(self, X):
        if not getattr(self, "fitted_", False):
            raise RuntimeError("GDLinearRegression.predict called before fit")
        return np.einsum("nd,d->n", np.asarray(X, dtype=np.float64), self.coef_) + self.intercept_
