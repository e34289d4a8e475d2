"""sliding_window_view over the two spatial axes, every stride-th window, max over the window axes."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def max_pool2d(x, kernel_size, stride=None):
    if stride is None:
        stride = kernel_size
    x = np.asarray(x, dtype=float)
    windows = sliding_window_view(x, (kernel_size, kernel_size), axis=(2, 3))
    return windows[:, :, ::stride, ::stride].max(axis=(-2, -1))
