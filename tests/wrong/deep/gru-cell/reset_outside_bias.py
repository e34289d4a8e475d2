"""Leaves b_hn outside the reset gate: r * (W_hn h) + b_hn."""

import numpy as np


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[1]
    i_r, i_z, i_n = np.split(x @ W_ih.T + b_ih, 3, axis=1)
    h_r, h_z, h_n = np.split(h @ W_hh.T, 3, axis=1)
    r = 1 / (1 + np.exp(-(i_r + h_r + b_hh[:H])))
    z = 1 / (1 + np.exp(-(i_z + h_z + b_hh[H : 2 * H])))
    n = np.tanh(i_n + r * h_n + b_hh[2 * H :])
    return (1 - z) * n + z * h
