"""Log-space autoregression fitted for the absolute error (least absolute deviations by
iteratively reweighted least squares), on log(volume / window mean) of the 56 lags, with the
lags of each weekday averaged as extra features."""

import numpy as np

WINDOW = 56


def _design(windows):
    windows = np.asarray(windows, dtype=float)
    if windows.ndim != 2 or windows.shape[1] != WINDOW:
        raise ValueError(f"windows must have shape (N, {WINDOW})")
    level = windows[:, -28:].mean(axis=1, keepdims=True)  # (N, 1) recent level
    Z = np.log(np.maximum(windows, 1e-3) / level)  # (N, 56)
    same_weekday = Z.reshape(len(Z), WINDOW // 7, 7).mean(axis=1)  # (N, 7)
    return np.hstack([Z, same_weekday, np.ones((len(Z), 1))]), level[:, 0]


class Forecaster:
    def __init__(self, ridge=1.0, n_reweight=30):
        self.ridge = ridge
        self.n_reweight = n_reweight

    def fit(self, series):
        series = np.asarray(series, dtype=float)
        windows = np.lib.stride_tricks.sliding_window_view(series[:-1], WINDOW)  # (n, 56)
        A, level = _design(windows)
        b = np.log(series[WINDOW:] / level)
        penalty = self.ridge * np.eye(A.shape[1])
        penalty[-1, -1] = 0.0  # the intercept is not shrunk
        weights = np.ones(len(b))
        for _ in range(self.n_reweight):
            Aw = A * weights[:, None]
            coef = np.linalg.solve(A.T @ Aw + penalty, Aw.T @ b)
            # |r| = r^2 / |r|: weighting by 1 / |r| turns squares into absolute values
            weights = 1.0 / np.maximum(np.abs(b - A @ coef), 1e-3)
            weights /= weights.mean()
        self.coef_ = coef
        return self

    def predict_next(self, windows):
        if not hasattr(self, "coef_"):
            raise RuntimeError("Forecaster.predict_next before fit")
        A, level = _design(windows)
        return np.exp(A @ self.coef_) * level
