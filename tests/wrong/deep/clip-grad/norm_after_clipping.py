"""Returns the norm after clipping instead of the norm before it."""

import numpy as np


def clip_grad_norm(grads, max_norm):
    total = float(np.sqrt(sum((np.asarray(g) ** 2).sum() for g in grads)))
    coef = min(1.0, max_norm / (total + 1e-6))
    return [g * coef for g in grads], total * coef
