"""Shuffles X and y with two different permutations, so rows lose their targets."""

import math

import numpy as np


def split_and_scale(X, y, test_size=0.25, seed=0):
    if not 0 < test_size < 1:
        raise ValueError("test_size must be in (0, 1)")
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    rng = np.random.default_rng(seed)
    y = y[rng.permutation(len(y))]
    X = X[rng.permutation(len(X))]
    n_test = math.ceil(test_size * len(X))
    X_train, X_test = X[n_test:], X[:n_test]
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std == 0, 1.0, std)
    return (X_train - mean) / std, (X_test - mean) / std, y[n_test:], y[:n_test]
