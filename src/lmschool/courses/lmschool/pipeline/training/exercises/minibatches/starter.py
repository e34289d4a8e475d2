from collections.abc import Iterator

import numpy as np


def minibatches(n: int, batch_size: int, seed: int) -> Iterator[np.ndarray]:
    """Yield the index arrays of one shuffled epoch over n examples, the last batch possibly smaller."""
    # TODO: shuffle 0..n-1 with np.random.default_rng(seed).permutation(n), then yield slices.
    raise NotImplementedError("minibatches(n, batch_size, seed): write your code here")
    yield  # makes this function a generator
