"""Seeds NumPy's global legacy generator (np.random.seed) instead of default_rng(seed)."""

import numpy as np


def minibatches(n, batch_size, seed):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    np.random.seed(seed)
    order = np.random.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]
