"""Capstone lab (logistics): the whole pipeline, from raw rows to labels.

Columns of X (float64; NaN = missing):
0 distance_km, 1 weight_kg, 2 n_items, 3 promised_days, 4 dispatch_hour,
5 warehouse_load, 6 weather_severity, 7 traffic_index, 8 driver_experience_years,
9 carrier, 10 shipping_mode, 11 region (the last three: category codes). y: 1 = late.
"""

import numpy as np  # noqa: F401 (NumPy, lmschool.ml and scikit-learn are all importable)

N_FEATURES = 12
CATEGORICAL = [9, 10, 11]


class Pipeline:
    """fit(X, y) on the training rows; predict(X) gives 0/1 labels for new rows."""

    def __init__(self):
        pass  # store hyperparameters only (with defaults)

    def fit(self, X, y):
        # TODO: 1) check X has N_FEATURES columns  2) learn imputation values on X
        # 3) encode CATEGORICAL  4) learn scaling  5) fit a model  -> return self
        raise NotImplementedError("Pipeline.fit: write your code here")

    def predict(self, X):
        # TODO: apply exactly what fit learned, then return 0/1 labels of shape (n,)
        raise NotImplementedError("Pipeline.predict: write your code here")
