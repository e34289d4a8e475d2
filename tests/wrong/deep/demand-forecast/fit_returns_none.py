"""fit does not return self (model.fit(series).predict_next(...) breaks)."""

import numpy as np


class Forecaster:
    def fit(self, series):
        y = np.asarray(series, dtype=float)
        X = np.stack([y[i - 56 : i] for i in range(56, len(y))])
        m = np.median(X[:, -28:], axis=1, keepdims=True)
        A = np.hstack([X / m, np.ones((len(X), 1))])
        self.coef_ = np.linalg.solve(A.T @ A + np.eye(57), A.T @ (y[56:] / m[:, 0]))

    def predict_next(self, windows):
        W = np.asarray(windows, dtype=float)
        m = np.median(W[:, -28:], axis=1, keepdims=True)
        return (np.hstack([W / m, np.ones((len(W), 1))]) @ self.coef_) * m[:, 0]
