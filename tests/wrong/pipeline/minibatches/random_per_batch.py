"""Draws random indices for each batch (with replacement) instead of slicing one permutation."""

import numpy as np


def minibatches(n, batch_size, seed):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    rng = np.random.default_rng(seed)
    for start in range(0, n, batch_size):
        yield rng.integers(0, n, size=min(batch_size, n - start))
