"""Gradient-boosted trees (scikit-learn's HistGradientBoostingClassifier) instead of a linear
model: NaN handled by the trees themselves, native categorical splits, balanced class weights.

Lab: credit default (1 = defaults).
"""

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier

N_COLUMNS = 11
CATEGORICAL = [9, 10]  # home_ownership, employment_type


class Pipeline:
    def __init__(self, max_iter=150, learning_rate=0.05, max_leaf_nodes=15, seed=0):
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.seed = seed

    @staticmethod
    def _as_matrix(X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != N_COLUMNS:
            raise ValueError(f"expected {N_COLUMNS} columns, got {X.shape[-1]} (shape {X.shape})")
        return X

    def fit(self, X, y):
        X = self._as_matrix(X)
        mask = np.zeros(N_COLUMNS, dtype=bool)
        mask[CATEGORICAL] = True
        self.model_ = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            categorical_features=mask if mask.any() else None,
            class_weight="balanced",
            l2_regularization=1.0,
            early_stopping=False,
            random_state=self.seed,
        )
        self.model_.fit(X, np.asarray(y).astype(int))
        return self

    def predict(self, X):
        if not hasattr(self, "model_"):
            raise RuntimeError("fit the pipeline first")
        return self.model_.predict(self._as_matrix(X)).astype(int)
