"""Ends the row slice one short (u + s * h_out - 1), which loses the last window when stride = 1."""

import numpy as np


def max_pool2d(x: np.ndarray, kernel_size: int, stride: int | None = None) -> np.ndarray:
    """Max pooling over (kernel_size x kernel_size) windows, as torch.nn.functional.max_pool2d.

    x: (N, C, H, W); stride defaults to kernel_size; no padding. Each channel is pooled on
    its own. Returns (N, C, H_out, W_out) with H_out = (H - kernel_size) // stride + 1.
    """
    x = np.asarray(x, dtype=np.float64)
    k = kernel_size
    s = k if stride is None else stride
    h_out = (x.shape[2] - k) // s + 1
    w_out = (x.shape[3] - k) // s + 1
    out = np.full(x.shape[:2] + (h_out, w_out), -np.inf)
    for u in range(k):
        for v in range(k):
            out = np.maximum(out, x[:, :, u : u + s * h_out - 1 : s, v : v + s * w_out : s])
    return out
