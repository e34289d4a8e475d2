"""Computes the right output size but slides the window by 1 instead of by the stride."""

import numpy as np


def conv2d(x, w, b, stride=1, padding=0):
    x = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, _, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    h_out, w_out = (h - kh) // stride + 1, (wd - kw) // stride + 1
    out = np.zeros((n, c_out, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            window = x[:, :, i : i + kh, j : j + kw]
            out[:, :, i, j] = np.einsum("nchw,ochw->no", window, w)
    return out + b[None, :, None, None]
