"""Applies the reset gate to h before the product: W_hn (r * h) + b_hn."""

import numpy as np


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[1]
    i_r, i_z, i_n = np.split(x @ W_ih.T + b_ih, 3, axis=1)
    h_r, h_z, _ = np.split(h @ W_hh.T + b_hh, 3, axis=1)
    r = 1 / (1 + np.exp(-(i_r + h_r)))
    z = 1 / (1 + np.exp(-(i_z + h_z)))
    n = np.tanh(i_n + (r * h) @ W_hh[2 * H :].T + b_hh[2 * H :])
    return (1 - z) * n + z * h
