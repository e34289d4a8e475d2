"""np.split at every multiple of batch_size, handed on with `yield from`."""

import numpy as np


def minibatches(n, batch_size, seed):
    if batch_size <= 0:
        raise ValueError(f"batch_size={batch_size}: need at least one example per batch")
    if n == 0:
        return  # np.split would give one empty batch
    order = np.random.default_rng(seed).permutation(n)
    yield from np.split(order, np.arange(batch_size, n, batch_size))
