import numpy as np  # noqa: F401 (use NumPy, or torch)


def rnn_forward(x, h0, W_xh, W_hh, b_h):
    """h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h) for t = 1..T.

    x: (T, N, D), h0: (N, H), W_xh: (H, D), W_hh: (H, H), b_h: (H,).
    Returns (outputs (T, N, H) = h_1..h_T, h_T (N, H)).
    """
    # TODO: loop over the T steps, carrying the state from one step to the next.
    raise NotImplementedError("rnn_forward: write your code here")
