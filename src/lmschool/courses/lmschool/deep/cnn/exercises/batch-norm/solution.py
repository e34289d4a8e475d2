import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    """Batch normalisation as nn.BatchNorm1d / nn.BatchNorm2d compute it.

    x: (N, C), (N, C, L) or (N, C, H, W); gamma, beta, running_mean, running_var: (C,).
    Returns (y like x, new running_mean (C,), new running_var (C,)).
    """
    x = np.asarray(x, dtype=np.float64)
    axes = (0,) + tuple(range(2, x.ndim))  # every axis but the channels: N, then L or H, W
    shape = (1, -1) + (1,) * (x.ndim - 2)  # (1, C) or (1, C, 1, 1): one value per channel
    if training:
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)  # biased (divide by n): this normalises the batch
        n = x.size // x.shape[1]  # values per channel
        new_mean = (1 - momentum) * running_mean + momentum * mean
        # the running variance estimates the population's: unbiased, n / (n - 1)
        new_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)
    else:
        mean, var = np.asarray(running_mean), np.asarray(running_var)
        new_mean, new_var = mean.copy(), var.copy()  # evaluation never updates them
    x_hat = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps)  # eps inside the root
    return np.reshape(gamma, shape) * x_hat + np.reshape(beta, shape), new_mean, new_var
