"""Averages over the batch axis only: one statistic per position instead of per channel."""

import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    shape = (-1,) + (1,) * (x.ndim - 2)  # gamma (C,) as (C, 1, 1) against (C, H, W)
    if training:
        mean, var = x.mean(axis=0), x.var(axis=0)  # (C, H, W) for images
        n = len(x)
        running_mean = (1 - momentum) * running_mean.reshape(shape) + momentum * mean
        running_var = (1 - momentum) * running_var.reshape(shape) + momentum * var * n / (n - 1)
    else:
        mean, var = running_mean.reshape(shape), running_var.reshape(shape)
    y = gamma.reshape(shape) * (x - mean) / np.sqrt(var + eps) + beta.reshape(shape)
    return y, running_mean, running_var
