"""Keeps the states as columns (H, N), as the formula is written (W @ h), and transposes back
at the end; one sequence step per call of a helper."""

import numpy as np


def _step(W_xh, W_hh, b_col, x_col, h_col):
    return np.tanh(W_hh @ h_col + W_xh @ x_col + b_col)


def rnn_forward(x, h0, W_xh, W_hh, b_h):
    x = np.asarray(x, dtype=np.float64)
    W_xh = np.asarray(W_xh, dtype=np.float64)
    W_hh = np.asarray(W_hh, dtype=np.float64)
    b_col = np.asarray(b_h, dtype=np.float64).reshape(-1, 1)  # (H, 1)
    h_col = np.asarray(h0, dtype=np.float64).T  # (H, N)
    T, N, _ = x.shape
    states = np.zeros((T, W_hh.shape[0], N))
    for t in range(T):
        h_col = _step(W_xh, W_hh, b_col, x[t].T, h_col)
        states[t] = h_col
    return states.transpose(0, 2, 1), h_col.T
