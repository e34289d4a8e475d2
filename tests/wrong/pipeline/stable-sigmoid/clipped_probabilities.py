"""Clips the probabilities to [1e-15, 1 - 1e-15]: finite, but capped at about 34.5."""

import numpy as np


def sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -np.asarray(z, dtype=float)))


def log_loss(y, z):
    p = np.clip(sigmoid(z), 1e-15, 1 - 1e-15)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
