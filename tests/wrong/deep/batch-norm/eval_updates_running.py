"""Evaluation normalises with the running statistics but still updates them with the batch's."""

import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    n = x.size // x.shape[1]
    new_mean = (1 - momentum) * running_mean + momentum * mean  # also in evaluation: wrong
    new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    if not training:
        mean, var = running_mean, running_var
    y = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)
    return gamma.reshape(shape) * y + beta.reshape(shape), new_mean, new_var
