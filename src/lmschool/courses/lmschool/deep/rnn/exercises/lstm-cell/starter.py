import numpy as np  # noqa: F401


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    """One step of torch.nn.LSTMCell.

    x: (N, D), h and c: (N, H), W_ih: (4H, D), W_hh: (4H, H), b_ih and b_hh: (4H,),
    the four blocks of rows in PyTorch's order: input gate i, forget gate f, candidate g,
    output gate o. Returns (h_new, c_new), both (N, H).
    """
    # TODO: compute the four pre-activations, split them in the order i, f, g, o,
    # apply the sigmoid or tanh, then update the cell and the hidden state.
    raise NotImplementedError("lstm_cell: write your code here")
