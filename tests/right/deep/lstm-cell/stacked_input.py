"""Concatenates [x, h] and [W_ih | W_hh] for a single matrix product, writes the sigmoid as
0.5 * (1 + tanh(a / 2)), and reads the gates by slicing the columns."""

import numpy as np


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    H = W_hh.shape[1]
    xh = np.concatenate([x, h], axis=1)  # (N, D + H)
    W = np.concatenate([W_ih, W_hh], axis=1)  # (4H, D + H)
    a = np.dot(xh, W.T) + (b_ih + b_hh)
    act = 0.5 * (1.0 + np.tanh(0.5 * a))  # sigmoid of every block
    act[:, 2 * H : 3 * H] = np.tanh(a[:, 2 * H : 3 * H])  # the candidate block uses tanh
    i, f, g, o = act[:, :H], act[:, H : 2 * H], act[:, 2 * H : 3 * H], act[:, 3 * H :]
    c_next = f * c + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next
