"""Reference pipeline for the capstone lab: late deliveries (1 = the parcel arrives after the promised date).

Every statistic is learned in fit from the training data only; predict only applies it.
1) impute missing values with the training median, plus one 0/1 "was missing" column
   per column that had gaps (the fact that a value is missing often carries signal);
2) one-hot encode the categorical codes (unknown codes at predict time: all zeros);
3) standardise, so that one regularisation strength suits every feature;
4) logistic regression with class weights, so the rarer class is not ignored.
"""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

N_FEATURES = 12
CATEGORICAL = [9, 10, 11]  # carrier, shipping_mode, region


class Pipeline:
    """fit(X, y) on the training rows; predict(X) gives 0/1 labels for new rows."""

    def __init__(self, C: float = 1.0):
        self.C = C  # inverse L2 strength of the logistic regression

    def fit(self, X, y):
        X = self._check(X)
        numeric = [j for j in range(N_FEATURES) if j not in CATEGORICAL]
        steps = [
            (
                "numeric",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True), StandardScaler()
                ),
                numeric,
            ),
        ]
        if CATEGORICAL:
            steps.append(("categorical", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL))
        self.model_ = make_pipeline(
            ColumnTransformer(steps),
            LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000),
        )
        self.model_.fit(X, np.asarray(y).astype(int))
        return self

    def predict_proba(self, X):
        """P(class 1) for every row, shape (n,)."""
        if not hasattr(self, "model_"):
            raise RuntimeError("Pipeline is not fitted yet: call fit(X, y) first")
        return self.model_.predict_proba(self._check(X))[:, 1]

    def predict(self, X):
        return (self.predict_proba(X) >= 0.5).astype(np.int64)

    @staticmethod
    def _check(X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != N_FEATURES:
            raise ValueError(f"expected a 2-D array with {N_FEATURES} columns, got shape {X.shape}")
        return X
