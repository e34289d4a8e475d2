"""Fits a second scaler on the test rows instead of reusing the training statistics."""

import math

import numpy as np


def _standardise(A):
    std = A.std(axis=0)
    return (A - A.mean(axis=0)) / np.where(std == 0, 1.0, std)


def split_and_scale(X, y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be in (0, 1)")
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    order = np.random.default_rng(seed).permutation(len(X))
    n_test = math.ceil(test_size * len(X))
    test, train = order[:n_test], order[n_test:]
    return _standardise(X[train]), _standardise(X[test]), y[train], y[test]
