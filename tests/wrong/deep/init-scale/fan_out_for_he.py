"""Divides by fan_out in He initialisation: the wrong fan."""

import math

import torch


def init_weights(fan_in, fan_out, scheme, seed):
    if scheme == "he":
        std = math.sqrt(2.0 / fan_out)
    elif scheme == "xavier":
        std = math.sqrt(2.0 / (fan_in + fan_out))
    else:
        raise ValueError(scheme)
    g = torch.Generator().manual_seed(seed)
    return torch.randn(fan_out, fan_in, generator=g) * std
