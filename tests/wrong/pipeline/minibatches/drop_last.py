"""Drops the last partial batch (the loop stops at n - batch_size)."""

import numpy as np


def minibatches(n, batch_size, seed):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = np.random.default_rng(seed).permutation(n)
    for start in range(0, n - batch_size + 1, batch_size):
        yield order[start : start + batch_size]
