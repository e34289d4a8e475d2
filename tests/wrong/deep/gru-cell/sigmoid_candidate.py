"""Squashes the candidate with a sigmoid like the gates, instead of tanh."""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    i_r, i_z, i_n = np.split(x @ W_ih.T + b_ih, 3, axis=1)
    h_r, h_z, h_n = np.split(h @ W_hh.T + b_hh, 3, axis=1)
    r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
    n = sigmoid(i_n + r * h_n)
    return (1 - z) * n + z * h
