"""Always rescales to max_norm, also when the norm is already below it."""

import numpy as np


def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum((np.asarray(g) ** 2).sum() for g in grads)))
    return [g * (max_norm / (total + 1e-6)) for g in grads], total
