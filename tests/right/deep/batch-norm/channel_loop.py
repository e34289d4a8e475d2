"""Moves the channel axis to the front and loops over the channels, computing each mean and
variance from explicit sums (sum of squared deviations over n, then over n - 1)."""

import numpy as np


def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    x = np.asarray(x, dtype=float)
    channels = x.shape[1]
    rows = np.moveaxis(x, 1, 0).reshape(channels, -1)  # one row of n values per channel
    n = rows.shape[1]
    y_rows = np.empty_like(rows)
    new_mean = np.array(running_mean, dtype=float)
    new_var = np.array(running_var, dtype=float)
    for k in range(channels):
        values = rows[k]
        if training:
            mu = values.sum() / n
            squares = ((values - mu) ** 2).sum()
            sigma2 = squares / n
            new_mean[k] = (1 - momentum) * running_mean[k] + momentum * mu
            new_var[k] = (1 - momentum) * running_var[k] + momentum * squares / (n - 1)
        else:
            mu, sigma2 = running_mean[k], running_var[k]
        y_rows[k] = gamma[k] * (values - mu) / np.sqrt(sigma2 + eps) + beta[k]
    moved_shape = (channels, x.shape[0]) + x.shape[2:]
    y = np.moveaxis(y_rows.reshape(moved_shape), 0, 1)
    return y, new_mean, new_var
