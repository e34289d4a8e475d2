"""Normalises the windows by the mean of the whole batch instead of each window's own level."""

import numpy as np


class Forecaster:
    def fit(self, series):
        y = np.asarray(series, dtype=float)
        X = np.stack([y[i - 56 : i] for i in range(56, len(y))])
        scale = X.mean()
        A = np.hstack([X / scale, np.ones((len(X), 1))])
        self.coef_ = np.linalg.solve(A.T @ A + np.eye(57), A.T @ (y[56:] / scale))
        return self

    def predict_next(self, windows):
        W = np.asarray(windows, dtype=float)
        scale = W.mean()  # the batch's statistics leak into every forecast
        return (np.hstack([W / scale, np.ones((len(W), 1))]) @ self.coef_) * scale
