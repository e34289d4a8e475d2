import numpy as np  # noqa: F401  (you will need it)


def k_fold_indices(n, k, shuffle=False, seed=None):
    """A list of k (train_idx, val_idx) pairs; fold sizes differ by at most one, the larger first."""
    raise NotImplementedError("k_fold_indices: write your code here")
