"""Adds the norms of the arrays instead of taking the norm of all of them together."""

import numpy as np


def clip_grad_norm(grads, max_norm):
    total = float(sum(np.linalg.norm(g) for g in grads))
    coef = min(1.0, max_norm / (total + 1e-6))
    return [g * coef for g in grads], total
