import numpy as np  # noqa: F401


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    """One step of torch.nn.GRUCell.

    x: (N, D), h: (N, H), W_ih: (3H, D), W_hh: (3H, H), b_ih and b_hh: (3H,), the three
    blocks of rows in PyTorch's order: reset gate r, update gate z, candidate n.
    Returns h_new (N, H).
    """
    # TODO: split the input's and the state's contributions in the order r, z, n,
    # compute the two gates, the candidate n, then interpolate between n and h.
    raise NotImplementedError("gru_cell: write your code here")
