"""im2col: all windows at once with sliding_window_view, strided, then one tensordot with the
kernels (no loop at all)."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def conv2d(x, w, b, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    kh, kw = w.shape[2], w.shape[3]
    if padding:
        x = np.pad(x, [(0, 0), (0, 0), (padding, padding), (padding, padding)], mode="constant")
    windows = sliding_window_view(x, (kh, kw), axis=(2, 3))  # (N, C, H', W', kH, kW)
    windows = windows[:, :, ::stride, ::stride]  # keep the windows that start on the stride
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3]))  # (N, H_out, W_out, C_out)
    out = out + np.asarray(b, dtype=float)
    return out.transpose(0, 3, 1, 2)
