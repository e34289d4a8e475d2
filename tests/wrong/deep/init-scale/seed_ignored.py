"""Ignores the seed and draws from PyTorch's global random state."""

import math

import torch


def init_weights(fan_in, fan_out, scheme, seed):
    if scheme == "he":
        std = math.sqrt(2.0 / fan_in)
    elif scheme == "xavier":
        std = math.sqrt(2.0 / (fan_in + fan_out))
    else:
        raise ValueError(scheme)
    return torch.randn(fan_out, fan_in) * std
