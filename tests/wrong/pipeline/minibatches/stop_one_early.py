"""Loops over range(0, n - 1, batch_size): a last batch of one index is lost."""

from collections.abc import Iterator

import numpy as np


def minibatches(n: int, batch_size: int, seed: int) -> Iterator[np.ndarray]:
    """Yield the index arrays of one shuffled epoch over n examples, the last batch possibly smaller."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    order = np.random.default_rng(seed).permutation(n)
    for start in range(0, n - 1, batch_size):
        yield order[start : start + batch_size]
