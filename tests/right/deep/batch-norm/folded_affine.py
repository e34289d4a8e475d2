"""Vectorised with keepdims statistics, np.var(ddof=1) for the running variance, the
normalisation folded into one scale and shift, and the update written old + m * (new - old)."""

import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    rm = np.asarray(running_mean, dtype=np.float64)
    rv = np.asarray(running_var, dtype=np.float64)
    axes = tuple(a for a in range(x.ndim) if a != 1)
    if training:
        mean = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, keepdims=True)
        unbiased = x.var(axis=axes, ddof=1)
        out_mean = rm + momentum * (mean.ravel() - rm)
        out_var = rv + momentum * (unbiased - rv)
    else:
        per_channel = [1] * x.ndim
        per_channel[1] = -1
        mean, var = rm.reshape(per_channel), rv.reshape(per_channel)
        out_mean, out_var = rm.copy(), rv.copy()
    shape = mean.shape
    scale = np.asarray(gamma, dtype=np.float64).reshape(shape) / np.sqrt(var + eps)
    shift = np.asarray(beta, dtype=np.float64).reshape(shape) - mean * scale
    return x * scale + shift, out_mean, out_var
