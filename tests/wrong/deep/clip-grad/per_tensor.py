"""Clips every array by its own norm instead of the global norm."""

import numpy as np


def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum((np.asarray(g) ** 2).sum() for g in grads)))
    clipped = [g * min(1.0, max_norm / (np.linalg.norm(g) + 1e-6)) for g in grads]
    return clipped, total
