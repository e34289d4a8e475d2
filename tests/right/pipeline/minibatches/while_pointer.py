"""A while loop that advances a start pointer and checks batch_size inside the loop."""

import numpy as np


def minibatches(n, batch_size, seed):
    if not batch_size >= 1:
        raise ValueError("batch_size has to be a positive integer")
    shuffled = np.random.default_rng(seed).permutation(n)
    start = 0
    while start < n:
        stop = min(start + batch_size, n)
        yield shuffled[start:stop]
        start = stop
