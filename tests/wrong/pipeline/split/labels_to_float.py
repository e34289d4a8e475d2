"""Converts y to float like X, so integer class labels come back as floats."""

import math

import numpy as np


def split_and_scale(X, y, test_size=0.25, seed=0):
    """Shuffle, split into train/test, standardise with statistics of the TRAIN rows only.

    Returns (X_train, X_test, y_train, y_test).
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be between 0 and 1 (exclusive), got {test_size}")
    n = X.shape[0]
    n_test = math.ceil(test_size * n)

    # 1) one shuffle, shared by X and y, so rows and targets stay together
    order = np.random.default_rng(seed).permutation(n)
    test, train = order[:n_test], order[n_test:]

    # 2) the scaler learns from the training rows only: the test rows stay unseen
    mean = X[train].mean(axis=0)  # (D,)
    std = X[train].std(axis=0)  # (D,), ddof=0
    std = np.where(std == 0, 1.0, std)

    # 3) the same transformation for both parts
    return (X[train] - mean) / std, (X[test] - mean) / std, y[train], y[test]
