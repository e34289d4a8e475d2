"""Permutes X and y once with the same order, slices the permuted arrays, and scales with loops over columns."""

import math

import numpy as np


def split_and_scale(X, y, test_size=0.25, seed=0):
    if test_size <= 0 or test_size >= 1:
        raise ValueError(f"test_size={test_size} is not in (0, 1)")
    X = np.asarray(X)
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    order = rng.permutation(X.shape[0])
    X_shuffled, y_shuffled = X[order].astype(float), y[order]
    cut = math.ceil(test_size * X.shape[0])
    X_test, X_train = X_shuffled[:cut].copy(), X_shuffled[cut:].copy()
    for j in range(X.shape[1]):
        col = X_train[:, j]
        m = col.mean()
        s = np.sqrt(((col - m) ** 2).mean())
        if s == 0:
            s = 1.0
        X_train[:, j] = (X_train[:, j] - m) / s
        X_test[:, j] = (X_test[:, j] - m) / s
    return X_train, X_test, y_shuffled[cut:], y_shuffled[:cut]
