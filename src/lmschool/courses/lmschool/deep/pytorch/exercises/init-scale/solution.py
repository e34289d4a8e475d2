"""Reference: He and Xavier (Glorot) normal initialisation, reproducible from a seed."""

import math

import torch


def init_weights(fan_in, fan_out, scheme, seed):
    if scheme == "he":
        std = math.sqrt(2.0 / fan_in)  # keeps the variance of ReLU activations constant
    elif scheme == "xavier":
        std = math.sqrt(2.0 / (fan_in + fan_out))  # a compromise between forward and backward
    else:
        raise ValueError(f"unknown scheme {scheme!r}: use 'he' or 'xavier'")
    g = torch.Generator().manual_seed(seed)  # a private generator: the global one is untouched
    return torch.randn(fan_out, fan_in, generator=g) * std  # (out, in) like nn.Linear.weight
