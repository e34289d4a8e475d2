"""Flattens every gradient into one vector for the norm (np.linalg.norm), and branches on
whether clipping is needed instead of clamping the factor."""

import numpy as np


def clip_grad_norm(grads, max_norm):
    arrays = [np.array(g, dtype=float) for g in grads]  # copies: the inputs stay as they were
    if arrays:
        total_norm = float(np.linalg.norm(np.concatenate([a.ravel() for a in arrays])))
    else:
        total_norm = 0.0
    if total_norm > max_norm:
        factor = max_norm / (total_norm + 1e-6)
        arrays = [a * factor for a in arrays]
    return arrays, total_norm
