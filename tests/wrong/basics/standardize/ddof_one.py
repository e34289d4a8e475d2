"""Uses the sample standard deviation (ddof=1) instead of the population one."""

import numpy as np


def standardize(X):
    X = np.asarray(X, dtype=np.float64)
    sigma = X.std(axis=0, ddof=1)
    return (X - X.mean(axis=0)) / np.where(sigma == 0, 1.0, sigma)
