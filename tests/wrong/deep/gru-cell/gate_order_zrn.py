"""Splits the blocks as z, r, n instead of PyTorch's r, z, n."""

import numpy as np


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    i_z, i_r, i_n = np.split(x @ W_ih.T + b_ih, 3, axis=1)
    h_z, h_r, h_n = np.split(h @ W_hh.T + b_hh, 3, axis=1)
    r = 1 / (1 + np.exp(-(i_r + h_r)))
    z = 1 / (1 + np.exp(-(i_z + h_z)))
    n = np.tanh(i_n + r * h_n)
    return (1 - z) * n + z * h
