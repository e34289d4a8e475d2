"""Forecasts the last day of the window: ignores the weekly pattern."""

import numpy as np


class Forecaster:
    def fit(self, series):
        return self

    def predict_next(self, windows):
        return np.asarray(windows, dtype=float)[:, -1]
