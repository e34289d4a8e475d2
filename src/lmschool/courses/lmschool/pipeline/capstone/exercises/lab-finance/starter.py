"""Capstone lab (finance): the whole pipeline, from raw rows to labels.

Columns of X (float64; NaN = missing):
0 age_years, 1 annual_income_k, 2 credit_limit_k, 3 utilisation, 4 debt_to_income,
5 months_employed, 6 n_credit_lines, 7 n_late_payments_12m, 8 n_inquiries_6m,
9 home_ownership (category code), 10 employment_type (category code). y: 1 = default.
"""

import numpy as np  # noqa: F401 (NumPy, lmschool.ml and scikit-learn are all importable)

N_FEATURES = 11
CATEGORICAL = [9, 10]


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
