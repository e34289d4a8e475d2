"""Uses log1p(exp(.)): accurate for small logits but exp(1000) overflows to inf."""

import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def log_loss(y, z):
    z = np.asarray(z, dtype=float)
    return float(np.mean(y * np.log1p(np.exp(-z)) + (1 - y) * np.log1p(np.exp(z))))
