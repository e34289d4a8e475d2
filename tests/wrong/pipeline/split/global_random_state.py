"""Shuffles with the global np.random instead of a generator seeded with seed."""

import math

import numpy as np


def split_and_scale(X, y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be in (0, 1)")
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    order = np.random.permutation(len(X))
    n_test = math.ceil(test_size * len(X))
    test, train = order[:n_test], order[n_test:]
    mean, std = X[train].mean(axis=0), X[train].std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X[train] - mean) / std, (X[test] - mean) / std, y[train], y[test]
