"""Variance from a lookup table of formulas, then Tensor.normal_ with std = sqrt(variance)."""

import math

import torch

VARIANCE = {
    "he": lambda n_in, n_out: 2.0 / n_in,
    "xavier": lambda n_in, n_out: 2.0 / (n_in + n_out),
}


def init_weights(fan_in, fan_out, scheme, seed):
    try:
        variance = VARIANCE[scheme](fan_in, fan_out)
    except KeyError:
        raise ValueError(f"unknown scheme {scheme!r}; known: {sorted(VARIANCE)}") from None
    rng = torch.Generator().manual_seed(seed)
    out = torch.zeros((fan_out, fan_in))
    return out.normal_(mean=0.0, std=math.sqrt(variance), generator=rng)
