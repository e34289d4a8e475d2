"""Centres and scales X in place (X -= mean_; X /= scale_) and returns it, changing the caller's array."""

import numpy as np


class StandardScaler:
    """Standardise features with statistics learned from training data."""

    def __init__(self):
        pass  # no hyperparameters, and nothing learned yet: mean_ appears in fit

    def fit(self, X):
        """Learn mean_ and scale_ (population std, 0 replaced by 1) per column of X (N, D)."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D (N, D), got shape {X.shape}")
        self.mean_ = X.mean(axis=0)  # (D,)
        std = X.std(axis=0)  # (D,), ddof=0
        # A constant column has nothing to scale: dividing by 1 leaves it at 0 after centring.
        self.scale_ = np.where(std == 0, 1.0, std)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        """(X - mean_) / scale_ with the statistics learned in fit, never those of X."""
        if not hasattr(self, "mean_"):
            raise RuntimeError("StandardScaler is not fitted yet: call fit(X_train) first")
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has shape {X.shape}, but the scaler was fitted on {self.n_features_in_} columns"
            )
        X -= self.mean_
        X /= self.scale_
        return X

    def fit_transform(self, X):
        return self.fit(X).transform(X)
