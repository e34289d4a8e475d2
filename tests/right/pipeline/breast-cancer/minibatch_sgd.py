"""Shuffled mini-batch SGD with a decaying rate and an averaged tail, instead of full-batch
gradient descent; the scaling statistics live in a small dictionary."""

import numpy as np


class BreastCancerClassifier:
    def __init__(self, l2=0.01, epochs=200, batch_size=32, lr=0.3, seed=0):
        self.l2 = l2
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        sd = X.std(axis=0)
        self.scale_ = {"center": X.mean(axis=0), "spread": np.where(sd > 0, sd, 1.0)}
        Z = (X - self.scale_["center"]) / self.scale_["spread"]
        rng = np.random.default_rng(self.seed)
        w, b = np.zeros(Z.shape[1]), 0.0
        w_sum, b_sum, n_avg = np.zeros_like(w), 0.0, 0
        for epoch in range(self.epochs):
            rate = self.lr / (1 + 0.05 * epoch)
            order = rng.permutation(len(Z))
            for start in range(0, len(Z), self.batch_size):
                idx = order[start : start + self.batch_size]
                logits = Z[idx] @ w + b
                e = np.exp(-np.abs(logits))  # <= 1: no overflow
                p = np.where(logits >= 0, 1.0, e) / (1.0 + e)
                err = p - y[idx]
                w -= rate * (Z[idx].T @ err / len(idx) + self.l2 * w)
                b -= rate * err.mean()
                if epoch >= self.epochs // 2:  # Polyak averaging over the second half
                    w_sum += w
                    b_sum += b
                    n_avg += 1
        self.w_, self.b_ = w_sum / n_avg, b_sum / n_avg
        return self

    def predict(self, X):
        if getattr(self, "w_", None) is None:
            raise RuntimeError("this classifier has not been trained yet")
        Z = (np.asarray(X, dtype=np.float64) - self.scale_["center"]) / self.scale_["spread"]
        return np.where(Z @ self.w_ + self.b_ > 0, 1, 0)
