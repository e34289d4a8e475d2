"""Fits the imputer and the scaler again on the batch given to predict: a row's label depends on its batch."""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

N_FEATURES = 30
CATEGORICAL = []
NUMERIC = [j for j in range(N_FEATURES) if j not in CATEGORICAL]


def _check(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != N_FEATURES:
        raise ValueError(f"expected {N_FEATURES} columns, got shape {X.shape}")
    return X


def _good_pipeline(handle_unknown="ignore"):
    steps = [
        (
            "num",
            make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler()),
            NUMERIC,
        )
    ]
    if CATEGORICAL:
        steps.append(("cat", OneHotEncoder(handle_unknown=handle_unknown), CATEGORICAL))
    return make_pipeline(
        ColumnTransformer(steps), LogisticRegression(class_weight="balanced", max_iter=2000)
    )


class Pipeline:
    def fit(self, X, y):
        X = _check(X)
        self.imputer_ = SimpleImputer(strategy="median", keep_empty_features=True).fit(X)
        self.scaler_ = StandardScaler().fit(self.imputer_.transform(X))
        self.model_ = LogisticRegression(class_weight="balanced", max_iter=2000)
        self.model_.fit(self.scaler_.transform(self.imputer_.transform(X)), y)
        return self

    def predict(self, X):
        X = _check(X)
        # "Normalise the incoming data": statistics of this batch, not of the training data.
        Z = SimpleImputer(strategy="median", keep_empty_features=True).fit_transform(X)
        Z = (Z - Z.mean(axis=0)) / (Z.std(axis=0) + 1e-12)
        return self.model_.predict(Z)
