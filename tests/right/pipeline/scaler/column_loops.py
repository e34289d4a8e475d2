"""Column statistics computed with plain Python loops (two passes per column), not NumPy reductions."""

import math

import numpy as np


class StandardScaler:
    def fit(self, X):
        rows = np.asarray(X, dtype=float).tolist()
        n, d = len(rows), len(rows[0])
        means, scales = [], []
        for j in range(d):
            column = [row[j] for row in rows]
            mu = math.fsum(column) / n
            sigma = math.sqrt(math.fsum((v - mu) ** 2 for v in column) / n)
            means.append(mu)
            scales.append(sigma if sigma != 0 else 1.0)
        self.mean_ = np.array(means)
        self.scale_ = np.array(scales)
        self.n_features_in_ = d
        return self

    def transform(self, X):
        if "mean_" not in self.__dict__:
            raise RuntimeError("call fit before transform")
        X = np.asarray(X, dtype=float)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"expected {self.n_features_in_} columns, got {X.shape[1]}")
        out = np.empty_like(X)
        for j in range(self.n_features_in_):
            out[:, j] = (X[:, j] - self.mean_[j]) / self.scale_[j]
        return out

    def fit_transform(self, X):
        self.fit(X)
        return self.transform(X)
