import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    """One step of torch.nn.LSTMCell.

    x: (N, D), h and c: (N, H), W_ih: (4H, D), W_hh: (4H, H), b_ih and b_hh: (4H,),
    the four blocks of rows in PyTorch's order: input gate i, forget gate f, candidate g,
    output gate o. Returns (h_new, c_new), both (N, H).
    """
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh  # (N, 4H): all four pre-activations at once
    a_i, a_f, a_g, a_o = np.split(gates, 4, axis=1)  # (N, H) each, order i, f, g, o
    i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)  # gates: between 0 and 1
    g = np.tanh(a_g)  # the candidate: between -1 and 1
    c_new = f * c + i * g  # keep part of the old cell, write part of the candidate
    h_new = o * np.tanh(c_new)  # show part of the squashed cell
    return h_new, c_new
