"""Computes sigmoid first, then the textbook cross-entropy: log(0) at large logits."""

import numpy as np


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(
        z >= 0, 1.0 / (1.0 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1.0 + np.exp(-np.abs(z)))
    )


def log_loss(y, z):
    p = sigmoid(z)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
