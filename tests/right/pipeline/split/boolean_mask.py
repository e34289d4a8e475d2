"""Selects the two parts with a boolean mask built from the ranks, and fits a small scaler class."""

import math

import numpy as np


class _Scaler:
    def fit(self, A):
        self.mu = A.mean(axis=0)
        sd = A.std(axis=0)
        self.sd = np.where(sd > 0, sd, 1.0)
        return self

    def __call__(self, A):
        return (A - self.mu) / self.sd


def split_and_scale(X, y, test_size=0.25, seed=0):
    if not (test_size > 0 and test_size < 1):
        raise ValueError("test_size must lie strictly between 0 and 1")
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    n = len(X)
    order = np.random.default_rng(seed).permutation(n)
    n_test = math.ceil(test_size * n)
    is_test = np.zeros(n, dtype=bool)
    is_test[order[:n_test]] = True
    # keep the permuted order: take order's entries that fall on each side
    test_idx = order[is_test[order]]
    train_idx = order[~is_test[order]]
    Xtr, Xte = X[train_idx], X[test_idx]
    scaler = _Scaler().fit(Xtr)
    return scaler(Xtr), scaler(Xte), y[train_idx], y[test_idx]
