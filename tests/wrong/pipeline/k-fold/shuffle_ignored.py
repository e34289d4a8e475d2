"""Ignores shuffle=True and always cuts 0..n-1 into consecutive blocks."""

import numpy as np


def k_fold_indices(n, k, shuffle=False, seed=None):
    """A list of k (train_idx, val_idx) pairs; fold sizes differ by at most one, the larger first."""
    if not 2 <= k <= n:
        raise ValueError(f"k must be between 2 and n = {n}, got {k}")
    order = np.arange(n)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1  # the first n % k folds take one extra row each
    folds, start = [], 0
    for size in sizes:
        val_idx = np.sort(order[start : start + size])
        mask = np.ones(n, dtype=bool)
        mask[val_idx] = False  # every row outside the fold trains
        folds.append((np.flatnonzero(mask), val_idx))
        start += size
    return folds
