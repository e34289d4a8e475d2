import numpy as np


def standardize(X: np.ndarray) -> np.ndarray:
    """Column-wise z-scores of X (N, D): (X - mean) / std, with std of 0 giving 0."""
    X = np.asarray(X, dtype=np.float64)
    mu = X.mean(axis=0)  # (D,)
    sigma = X.std(axis=0)  # (D,) population std, ddof=0
    # A constant column is 0 after centring; dividing it by 1 keeps it 0.
    return (X - mu) / np.where(sigma == 0, 1.0, sigma)
