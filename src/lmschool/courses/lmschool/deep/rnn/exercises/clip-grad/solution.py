import numpy as np


def clip_grad_norm(grads, max_norm):
    """Scale all arrays in grads by one factor so that their global L2 norm is at most max_norm.

    Returns (clipped: list of new arrays, total_norm: float, the norm before clipping).
    """
    grads = [np.asarray(g, dtype=np.float64) for g in grads]
    total = float(np.sqrt(sum(float((g**2).sum()) for g in grads)))
    coef = min(1.0, max_norm / (total + 1e-6))  # as torch: the factor is clamped at 1
    return [g * coef for g in grads], total
