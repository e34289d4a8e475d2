"""Loops over the first axis of z (z.shape[0]), so a 0-D array, which has no first axis, fails."""

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) elementwise, finite for any z (also ±1000); same shape as z."""
    z = np.asarray(z, dtype=np.float64)
    out = np.zeros(z.shape)
    for i in range(z.shape[0]):
        row = z[i]
        pos = row >= 0
        e = np.exp(-np.abs(row))
        out[i] = np.where(pos, 1.0 / (1.0 + e), e / (1.0 + e))
    return out


def log_loss(y: np.ndarray, z: np.ndarray) -> float:
    """Mean binary cross-entropy of labels y (0/1) given logits z, finite for any z."""
    y = np.asarray(y, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    # -[y log s + (1 - y) log(1 - s)] with s = sigmoid(z) simplifies to log(1 + e^z) - y z;
    # logaddexp(0, z) = log(e^0 + e^z) is evaluated without overflow.
    return float(np.mean(np.logaddexp(0.0, z) - y * z))
