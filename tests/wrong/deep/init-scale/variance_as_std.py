"""Multiplies by the variance where the standard deviation belongs."""

import torch


def init_weights(fan_in, fan_out, scheme, seed):
    if scheme == "he":
        var = 2.0 / fan_in
    elif scheme == "xavier":
        var = 2.0 / (fan_in + fan_out)
    else:
        raise ValueError(scheme)
    g = torch.Generator().manual_seed(seed)
    return torch.randn(fan_out, fan_in, generator=g) * var
