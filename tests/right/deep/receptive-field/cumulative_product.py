"""Closed form with NumPy: 1 + sum_i (k_i - 1) * prod_{j < i} s_j, the products by np.cumprod."""

import numpy as np


def receptive_field(layers):
    if len(layers) == 0:
        return 1
    kernels = np.array([k for k, _ in layers], dtype=np.int64)
    strides = np.array([s for _, s in layers], dtype=np.int64)
    jumps = np.concatenate([[1], np.cumprod(strides)[:-1]])  # spacing of each layer's inputs
    return int(1 + np.sum((kernels - 1) * jumps))
