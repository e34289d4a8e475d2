"""np.array_split of the (possibly shuffled) order gives the folds; train rows by np.setdiff1d."""

import numpy as np


def k_fold_indices(n, k, shuffle=False, seed=None):
    if k < 2 or k > n:
        raise ValueError(f"need 2 <= k <= n, got k={k}, n={n}")
    rows = np.arange(n)
    if shuffle:
        rows = np.random.default_rng(seed).permutation(n)
    pairs = []
    for val in np.array_split(rows, k):  # the first n % k parts are one longer
        pairs.append((np.setdiff1d(np.arange(n), val), val))
    return pairs
