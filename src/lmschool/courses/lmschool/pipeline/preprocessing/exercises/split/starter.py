import numpy as np


def split_and_scale(
    X: np.ndarray, y: np.ndarray, test_size: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle, split into train/test, standardise with statistics of the TRAIN rows only.

    X: (N, D) features, y: (N,) targets. Returns (X_train, X_test, y_train, y_test):
    - ValueError unless 0 < test_size < 1
    - order = np.random.default_rng(seed).permutation(N)
    - n_test = math.ceil(test_size * N) (import math): test rows order[:n_test],
      training rows order[n_test:]
    - both parts standardised with the mean and population std of X_train (std 0 -> 1)
    """
    # TODO: 1) check test_size  2) split  3) statistics of the training rows  4) scale both parts
    raise NotImplementedError("split_and_scale: write your code here")
