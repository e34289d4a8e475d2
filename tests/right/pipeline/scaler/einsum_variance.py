"""Variance as an einsum of the centred columns, zeros patched in place; fitted-ness tested with try/except."""

import numpy as np


class StandardScaler:
    def __init__(self):
        super().__init__()

    def fit(self, X):
        X = np.array(X, dtype=np.float64)
        n = X.shape[0]
        total = X.sum(axis=0)
        mean = total / n
        centred = X - mean
        var = np.einsum("ij,ij->j", centred, centred) / n
        scale = np.sqrt(var)
        scale[scale == 0] = 1.0
        self.mean_, self.scale_, self.n_features_in_ = mean, scale, X.shape[-1]
        return self

    def transform(self, X):
        try:
            mean, scale = self.mean_, self.scale_
        except AttributeError:
            raise RuntimeError("this StandardScaler has not been fitted") from None
        X = np.array(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != mean.shape[0]:
            raise ValueError("wrong number of columns")
        return (X - mean[None, :]) * (1.0 / scale)[None, :]

    def fit_transform(self, X):
        return self.fit(X).transform(X)
