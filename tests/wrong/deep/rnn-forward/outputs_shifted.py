"""Off by one: outputs holds h_0..h_{T-1} instead of h_1..h_T."""

import numpy as np


def rnn_forward(x, h0, W_xh, W_hh, b_h):
    h, outputs = h0, []
    for t in range(len(x)):
        outputs.append(h)
        h = np.tanh(x[t] @ W_xh.T + h @ W_hh.T + b_h)
    return np.stack(outputs), h
