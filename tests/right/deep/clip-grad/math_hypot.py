"""Norm accumulated array by array with math.hypot of the per-array norms; scaling in place on copies."""

import math

import numpy as np


def clip_grad_norm(grads, max_norm):
    total_norm = 0.0
    for g in grads:
        total_norm = math.hypot(total_norm, float(np.sqrt(np.vdot(g, g).real)))
    scale = max_norm / (total_norm + 1e-6)
    clipped = []
    for g in grads:
        c = np.asarray(g, dtype=np.float64).copy()
        if scale < 1.0:
            c *= scale
        clipped.append(c)
    return clipped, total_norm
