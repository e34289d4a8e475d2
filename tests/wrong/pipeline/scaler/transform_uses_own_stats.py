"""transform standardises the data it is given with that data's own mean and std."""

import numpy as np


class StandardScaler:
    def fit(self, X):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.scale_ = np.where(std == 0, 1.0, std)
        return self

    def transform(self, X):
        if not hasattr(self, "mean_"):
            raise RuntimeError("fit first")
        X = np.asarray(X, dtype=float)
        std = X.std(axis=0)
        return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)

    def fit_transform(self, X):
        return self.fit(X).transform(X)
