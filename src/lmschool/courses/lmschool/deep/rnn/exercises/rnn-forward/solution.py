import numpy as np


def rnn_forward(x, h0, W_xh, W_hh, b_h):
    """h_t = tanh(W_hh h_{t-1} + W_xh x_t + b_h) for t = 1..T.

    x: (T, N, D), h0: (N, H), W_xh: (H, D), W_hh: (H, H), b_h: (H,).
    Returns (outputs (T, N, H) = h_1..h_T, h_T (N, H)).
    """
    x = np.asarray(x, dtype=np.float64)
    h = np.asarray(h0, dtype=np.float64)  # (N, H), overwritten at every step
    outputs = []
    for t in range(x.shape[0]):
        # rows are sequences, so W @ column becomes row @ W.T: (N, D) @ (D, H) + (N, H) @ (H, H)
        h = np.tanh(x[t] @ W_xh.T + h @ W_hh.T + b_h)
        outputs.append(h)
    return np.stack(outputs), h
