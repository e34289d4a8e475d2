"""Capstone lab (medicine): the whole pipeline, from raw rows to labels.

Columns of X (float64; NaN = missing):
30 numeric measurements in scikit-learn's order; NaN = missing. y: 1 = malignant.
"""

import numpy as np  # noqa: F401 (NumPy, lmschool.ml and scikit-learn are all importable)

N_FEATURES = 30
CATEGORICAL = []


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
