"""OneHotEncoder's default handle_unknown='error': a category code never seen in training crashes predict."""

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

N_FEATURES = 12
CATEGORICAL = [10, 11]
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
        self.model_ = _good_pipeline(handle_unknown="error").fit(_check(X), y)
        return self

    def predict(self, X):
        return self.model_.predict(_check(X))
