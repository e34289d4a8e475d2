"""Builds and returns a list of batches instead of being a generator."""

import numpy as np


def minibatches(n, batch_size, seed):
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = np.random.default_rng(seed).permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]
