"""Slices the weights into one matrix per gate first, computes each gate on its own with
einsum, and keeps the gates in a dictionary."""

import numpy as np


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    H = h.shape[1]
    pre = {}
    for k, name in enumerate("ifgo"):
        rows = slice(k * H, (k + 1) * H)
        pre[name] = (
            np.einsum("nd,hd->nh", x, W_ih[rows])
            + np.einsum("nk,hk->nh", h, W_hh[rows])
            + b_ih[rows]
            + b_hh[rows]
        )
    input_gate = _sigmoid(pre["i"])
    forget_gate = _sigmoid(pre["f"])
    candidate = np.tanh(pre["g"])
    output_gate = _sigmoid(pre["o"])
    c_new = forget_gate * c + input_gate * candidate
    return output_gate * np.tanh(c_new), c_new
