"""Missing factor 2: the derivative of r**2 is taken as r."""

import numpy as np


def mse_loss(X, y, w, b):
    return float(np.mean((X @ w + b - y) ** 2))


def mse_gradient(X, y, w, b):
    r = X @ w + b - y
    return X.T @ r / len(y), float(r.mean())
