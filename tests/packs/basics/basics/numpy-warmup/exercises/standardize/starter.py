import numpy as np


def standardize(X: np.ndarray) -> np.ndarray:
    """Column-wise z-scores of X (N, D): (X - mean) / std, with std of 0 giving 0."""
    raise NotImplementedError("standardize(X): write your code here")
