"""Loops over the examples of the batch and writes the equations with column vectors
(W @ x), as in the paper, the weights sliced into one matrix per gate."""

import numpy as np


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[1]
    W_ir, W_iz, W_in = W_ih[:H], W_ih[H : 2 * H], W_ih[2 * H :]
    W_hr, W_hz, W_hn = W_hh[:H], W_hh[H : 2 * H], W_hh[2 * H :]
    b_ir, b_iz, b_in = b_ih[:H], b_ih[H : 2 * H], b_ih[2 * H :]
    b_hr, b_hz, b_hn = b_hh[:H], b_hh[H : 2 * H], b_hh[2 * H :]
    out = np.zeros((x.shape[0], H))
    for row in range(x.shape[0]):
        xt, ht = x[row], h[row]
        r = 1.0 / (1.0 + np.exp(-(W_ir @ xt + b_ir + W_hr @ ht + b_hr)))
        z = 1.0 / (1.0 + np.exp(-(W_iz @ xt + b_iz + W_hz @ ht + b_hz)))
        n = np.tanh(W_in @ xt + b_in + r * (W_hn @ ht + b_hn))
        out[row] = (1.0 - z) * n + z * ht
    return out
