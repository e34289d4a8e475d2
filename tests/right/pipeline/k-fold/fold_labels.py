"""Labels every row with its fold number (np.repeat of the fold sizes), then selects by comparison."""

import numpy as np


def k_fold_indices(n, k, shuffle=False, seed=None):
    if not isinstance(k, (int, np.integer)) or not 2 <= k <= n:
        raise ValueError("k must be an integer with 2 <= k <= n")
    base, extra = divmod(n, k)
    sizes = [base + 1 if f < extra else base for f in range(k)]
    positions = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    fold_of = np.empty(n, dtype=np.int64)
    fold_of[positions] = np.repeat(np.arange(k), sizes)
    return [(np.where(fold_of != f)[0], np.where(fold_of == f)[0]) for f in range(k)]
