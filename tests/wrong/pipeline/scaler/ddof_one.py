"""Uses the sample standard deviation (ddof=1) for scale_."""

import numpy as np


class StandardScaler:
    def fit(self, X):
        X = np.asarray(X, dtype=float)
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0, ddof=1)
        self.scale_ = np.where(std == 0, 1.0, std)
        return self

    def transform(self, X):
        if not hasattr(self, "mean_"):
            raise RuntimeError("fit first")
        X = np.asarray(X, dtype=float)
        if X.shape[1] != self.mean_.shape[0]:
            raise ValueError("wrong number of columns")
        return (X - self.mean_) / self.scale_

    def fit_transform(self, X):
        return self.fit(X).transform(X)
