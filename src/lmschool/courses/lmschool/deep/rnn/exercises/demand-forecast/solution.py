"""Reference forecaster: a ridge autoregression on robustly normalised lags.

1) normalise: divide each 56-day window and its target by the median of the window's last
   28 days, so one model serves every level of the growing series;
2) robust features: the median of each weekday over the 8 weeks (holidays are outliers),
   and the 56 lags clipped to [0.5, 1.5] x their weekday median;
3) ridge regression of the normalised target on those features and a constant.
"""

import numpy as np

WINDOW = 56


class Forecaster:
    """fit(series) on the training days; predict_next(windows (N, 56)) -> (N,) forecasts."""

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha  # ridge strength on the normalised features

    @staticmethod
    def _features(X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != WINDOW:
            raise ValueError(f"expected windows of shape (N, {WINDOW}), got {X.shape}")
        level = np.median(X[:, -28:], axis=1, keepdims=True)  # (N, 1)
        Z = X / level
        weekday = np.median(Z.reshape(len(Z), WINDOW // 7, 7), axis=1)  # (N, 7)
        band = np.tile(weekday, WINDOW // 7)  # (N, 56), aligned with Z
        Zc = np.clip(Z, 0.5 * band, 1.5 * band)
        return np.hstack([Zc, weekday, np.ones((len(X), 1))]), level[:, 0]

    def fit(self, series):
        y = np.asarray(series, dtype=np.float64)
        idx = np.arange(WINDOW, len(y))
        X = np.stack([y[i - WINDOW : i] for i in idx])  # (n, 56)
        A, level = self._features(X)
        b = y[idx] / level
        self.coef_ = np.linalg.solve(A.T @ A + self.alpha * np.eye(A.shape[1]), A.T @ b)
        return self

    def predict_next(self, windows):
        if not hasattr(self, "coef_"):
            raise RuntimeError("Forecaster is not fitted yet: call fit(series) first")
        A, level = self._features(windows)
        return (A @ self.coef_) * level
