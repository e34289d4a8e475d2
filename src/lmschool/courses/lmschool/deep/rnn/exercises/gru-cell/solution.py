import numpy as np


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One step of torch.nn.GRUCell.

    x: (N, D), h: (N, H), W_ih: (3H, D), W_hh: (3H, H), b_ih and b_hh: (3H,), the three
    blocks of rows in PyTorch's order: reset gate r, update gate z, candidate n.
    Returns h_new (N, H).
    """
    gi = x @ W_ih.T + b_ih  # (N, 3H): the input's part of r, z and n
    gh = h @ W_hh.T + b_hh  # (N, 3H): the state's part, bias b_hn included
    i_r, i_z, i_n = np.split(gi, 3, axis=1)
    h_r, h_z, h_n = np.split(gh, 3, axis=1)
    r = sigmoid(i_r + h_r)
    z = sigmoid(i_z + h_z)
    n = np.tanh(i_n + r * h_n)  # r gates (W_hn h + b_hn), after the product
    return (1 - z) * n + z * h  # z near 1 copies the old state forward
