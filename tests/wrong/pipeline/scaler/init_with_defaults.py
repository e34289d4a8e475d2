"""Sets mean_ = 0 and scale_ = 1 in __init__, so transform before fit silently works."""

import numpy as np


class StandardScaler:
    def __init__(self):
        self.mean_ = 0.0
        self.scale_ = 1.0

    def fit(self, X):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(std == 0, 1.0, std)
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=float)
        return (X - self.mean_) / self.scale_

    def fit_transform(self, X):
        return self.fit(X).transform(X)
