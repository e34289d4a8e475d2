"""Returns forecasts as a column of shape (N, 1) instead of (N,)."""

import numpy as np


class Forecaster:
    def fit(self, series):
        y = np.asarray(series, dtype=float)
        X = np.stack([y[i - 56 : i] for i in range(56, len(y))])
        A = np.hstack([X, np.ones((len(X), 1))])
        self.coef_ = np.linalg.lstsq(A, y[56:, None], rcond=None)[0]  # (57, 1)
        return self

    def predict_next(self, windows):
        W = np.asarray(windows, dtype=float)
        return np.hstack([W, np.ones((len(W), 1))]) @ self.coef_
