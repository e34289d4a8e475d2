"""Reads (N, C, H, W) as rows of C values with x.reshape(-1, C): the channels get mixed."""

import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    flat = x.reshape(-1, x.shape[1])  # wrong for (N, C, H, W): axis 1 is not the last axis
    if training:
        mean, var = flat.mean(axis=0), flat.var(axis=0)
        n = len(flat)
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    else:
        mean, var = running_mean, running_var
    y = gamma * (flat - mean) / np.sqrt(var + eps) + beta
    return y.reshape(x.shape), running_mean, running_var
