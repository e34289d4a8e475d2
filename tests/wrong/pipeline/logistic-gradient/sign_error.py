"""Wrong sign: uses y - p instead of p - y."""

import numpy as np


def logistic_gradient(X, y, w, b):
    p = np.exp(-np.logaddexp(0.0, -(X @ w + b)))
    r = y - p
    return X.T @ r / len(y), float(r.mean())
