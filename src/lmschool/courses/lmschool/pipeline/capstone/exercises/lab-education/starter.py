"""Capstone lab (education): the whole pipeline, from raw rows to labels.

Columns of X (float64; NaN = missing):
0 age_years, 1 prior_grade, 2 study_hours_week, 3 attendance_rate,
4 assignments_submitted, 5 quiz_average, 6 online_minutes_week, 7 sleep_hours,
8 commute_minutes, 9 part_time_job, 10 school_type (category code),
11 parent_education (category code). y: 1 = pass, 0 = fail.
"""

import numpy as np  # noqa: F401 (NumPy, lmschool.ml and scikit-learn are all importable)

N_FEATURES = 12
CATEGORICAL = [10, 11]


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
