"""Fits the scaler on all the data before splitting: test statistics leak into training."""

import math

import numpy as np


def split_and_scale(X, y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be in (0, 1)")
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    std = X.std(axis=0)
    Xs = (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = math.ceil(test_size * len(X))
    test, train = order[:n_test], order[n_test:]
    return Xs[train], Xs[test], y[train], y[test]
