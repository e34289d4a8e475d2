"""Swaps the roles of the labels: uses log(1 + e^-z) for y = 0."""

import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def log_loss(y, z):
    z = np.asarray(z, dtype=float)
    return float(np.mean(np.logaddexp(0.0, -z) + y * z))
