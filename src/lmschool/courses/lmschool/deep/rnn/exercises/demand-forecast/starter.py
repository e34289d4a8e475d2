"""Lab (logistics): forecast tomorrow's volume from the last 56 days."""

import numpy as np  # noqa: F401 (NumPy, torch and lmschool.ml are importable)

WINDOW = 56  # days of history given to predict_next


class Forecaster:
    """fit(series) on the training days; predict_next(windows (N, 56)) -> (N,) forecasts."""

    def __init__(self):
        pass  # store hyperparameters only (with defaults)

    def fit(self, series):
        # TODO: cut series into (series[i-56:i], series[i]) pairs, learn a model, return self
        raise NotImplementedError("Forecaster.fit: write your code here")

    def predict_next(self, windows):
        # TODO: one forecast per row of windows (oldest day first), shape (N,)
        raise NotImplementedError("Forecaster.predict_next: write your code here")
