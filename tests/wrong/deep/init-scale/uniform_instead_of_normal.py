"""Draws from a uniform distribution on [-std, std] instead of a normal one."""

import math

import torch


def init_weights(fan_in, fan_out, scheme, seed):
    if scheme == "he":
        std = math.sqrt(2.0 / fan_in)
    elif scheme == "xavier":
        std = math.sqrt(2.0 / (fan_in + fan_out))
    else:
        raise ValueError(scheme)
    g = torch.Generator().manual_seed(seed)
    return (torch.rand(fan_out, fan_in, generator=g) * 2 - 1) * std
