"""Robust scaling (median and interquartile range) and shuffled mini-batch SGD with a decaying rate."""

import numpy as np


class BreastCancerClassifier:
    def __init__(self, epochs=60, batch_size=32, lr=0.3, seed=0):
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.median_ = np.median(X, axis=0)
        q75, q25 = np.percentile(X, [75, 25], axis=0)
        iqr = q75 - q25
        self.iqr_ = np.where(iqr > 0, iqr, 1.0)
        Z = (X - self.median_) / self.iqr_
        rng = np.random.default_rng(self.seed)
        w = np.zeros(Z.shape[1])
        b = 0.0
        for epoch in range(self.epochs):
            rate = self.lr / (1 + 0.1 * epoch)
            order = rng.permutation(len(Z))
            for start in range(0, len(Z), self.batch_size):
                idx = order[start : start + self.batch_size]
                logits = Z[idx] @ w + b
                e = np.exp(-np.abs(logits))  # <= 1: no overflow
                p = np.where(logits >= 0, 1.0, e) / (1.0 + e)
                err = p - y[idx]
                w -= rate * (Z[idx].T @ err / len(idx) + 1e-3 * w)
                b -= rate * err.mean()
        self.w_, self.b_ = w, b
        return self

    def predict(self, X):
        if getattr(self, "w_", None) is None:
            raise RuntimeError("this classifier has not been trained yet")
        Z = (np.asarray(X, dtype=np.float64) - self.median_) / self.iqr_
        return np.where(Z @ self.w_ + self.b_ > 0, 1, 0)
