"""Attention from scratch: the pieces the lm/attention lesson builds, checked against torch.

    scores  = q k^T / sqrt(d_k)                     (..., Tq, Tk)
    weights = softmax(scores masked with -inf)      each row sums to 1 over allowed keys
    out     = weights v                             (..., Tq, d_v)

Masks follow ``torch.nn.functional.scaled_dot_product_attention``: a boolean mask is True
where a query MAY attend to a key. (``torch.nn.MultiheadAttention`` uses the opposite:
True in ``key_padding_mask`` / a boolean ``attn_mask`` means "do not attend".) A query
with no allowed key gets an output of zeros, as torch's SDPA gives, not NaN.

Positions: ``sinusoidal_positions`` (the Transformer paper's table, added to the input)
and ``apply_rotary`` (RoPE: rotate q and k so their dot product sees only the offset).
"""

from __future__ import annotations

import math

import torch
from torch import nn


def causal_mask(
    T_q: int, T_k: int | None = None, device: torch.device | None = None
) -> torch.Tensor:
    """(T_q, T_k) boolean, True where query i may see key j: j <= i + (T_k - T_q).

    With T_k > T_q the queries are the last T_q positions of the keys (a cached prefix).
    """
    T_k = T_q if T_k is None else T_k
    return torch.ones(T_q, T_k, dtype=torch.bool, device=device).tril(T_k - T_q)


def attention_weights(
    q: torch.Tensor, k: torch.Tensor, mask: torch.Tensor | None = None
) -> torch.Tensor:
    """softmax(q k^T / sqrt(d_k)) over the keys, (..., Tq, Tk); masked keys get weight 0."""
    d_k = q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (..., Tq, Tk)
    if mask is None:
        return torch.softmax(scores, dim=-1)
    scores = scores.masked_fill(~mask, float("-inf"))  # before the softmax: weight exactly 0
    # a row with no allowed key would be softmax(-inf, ..., -inf) = 0/0 = NaN; give it
    # finite scores here and zero weights below, so the output and its gradient are 0
    empty = ~mask.any(dim=-1, keepdim=True)  # (..., Tq, 1)
    weights = torch.softmax(scores.masked_fill(empty, 0.0), dim=-1)
    return weights.masked_fill(~mask, 0.0)


def scaled_dot_product_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None
) -> torch.Tensor:
    """softmax(q k^T / sqrt(d_k)) v: q (..., Tq, d_k), k (..., Tk, d_k), v (..., Tk, d_v).

    ``mask`` is boolean, broadcastable to (..., Tq, Tk), True where attending is allowed
    (the convention of torch.nn.functional.scaled_dot_product_attention). Returns
    (..., Tq, d_v).
    """
    return attention_weights(q, k, mask) @ v


def sinusoidal_positions(T: int, d: int, base: float = 10000.0) -> torch.Tensor:
    """(T, d) positional encodings of "Attention is all you need" (d even).

    PE[p, 2i] = sin(p / base^(2i/d)), PE[p, 2i+1] = cos(p / base^(2i/d)): each pair of
    columns is a clock turning at its own speed, from one radian per position (i = 0)
    to one turn in about 2 pi base positions.
    """
    if d % 2:
        raise ValueError(f"d must be even, got {d}")
    pos = torch.arange(T, dtype=torch.float32)[:, None]  # (T, 1)
    freq = base ** (-torch.arange(0, d, 2, dtype=torch.float32) / d)  # (d/2,)
    pe = torch.zeros(T, d)
    pe[:, 0::2] = torch.sin(pos * freq)
    pe[:, 1::2] = torch.cos(pos * freq)
    return pe


def apply_rotary(
    x: torch.Tensor, positions: torch.Tensor | None = None, base: float = 10000.0
) -> torch.Tensor:
    """Rotary position embedding (RoPE) of x (..., T, d), d even.

    Each adjacent pair (x[2i], x[2i+1]) of the vector at position p is rotated by the
    angle p * base^(-2i/d). Rotations keep lengths, and the dot product of a query
    rotated for position m with a key rotated for position n depends only on m - n.
    (This is the RoFormer paper's pairing; GPT-NeoX and LLaMA pair x[i] with
    x[i + d/2] instead: the same idea with the columns permuted.)
    """
    T, d = x.shape[-2], x.shape[-1]
    if d % 2:
        raise ValueError(f"the last dimension must be even, got {d}")
    positions = torch.arange(T) if positions is None else torch.as_tensor(positions)
    freq = base ** (-torch.arange(0, d, 2, dtype=torch.float64, device=x.device) / d)  # (d/2,)
    angle = positions.to(x.device, torch.float64)[:, None] * freq  # (T, d/2)
    cos, sin = angle.cos().to(x.dtype), angle.sin().to(x.dtype)
    x1, x2 = x[..., 0::2], x[..., 1::2]  # (..., T, d/2) each: the two coordinates of a pair
    out = torch.empty_like(x)
    out[..., 0::2] = x1 * cos - x2 * sin
    out[..., 1::2] = x1 * sin + x2 * cos
    return out


class MultiHeadAttention(nn.Module):
    """Multi-head attention, batch first: project, split into heads, attend, concatenate, project.

    query (B, Tq, E), key and value (B, Tk, E) -> (B, Tq, E). ``mask`` follows the SDPA
    convention (True = may attend), broadcastable to (B, num_heads, Tq, Tk); use
    ``~key_padding_mask[:, None, None, :]`` for a torch-style padding mask.
    ``rotary=True`` applies RoPE to the queries and keys of every head.
    """

    def __init__(
        self, embed_dim: int, num_heads: int, bias: bool = True, rotary: bool = False
    ) -> None:
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(
                f"embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads})"
            )
        self.num_heads = num_heads
        self.rotary = rotary
        self.q_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.k_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.v_proj = nn.Linear(embed_dim, embed_dim, bias=bias)
        self.out_proj = nn.Linear(embed_dim, embed_dim, bias=bias)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        B, T, E = x.shape  # (B, T, E) -> (B, nh, T, hs)
        return x.view(B, T, self.num_heads, E // self.num_heads).transpose(1, 2)

    def forward(
        self,
        query: torch.Tensor,
        key: torch.Tensor | None = None,
        value: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        key = query if key is None else key
        value = key if value is None else value
        B, Tq, E = query.shape
        q = self._split(self.q_proj(query))  # (B, nh, Tq, hs)
        k = self._split(self.k_proj(key))  # (B, nh, Tk, hs)
        v = self._split(self.v_proj(value))  # (B, nh, Tk, hs)
        if self.rotary:
            q, k = apply_rotary(q), apply_rotary(k)
        y = scaled_dot_product_attention(q, k, v, mask)  # (B, nh, Tq, hs)
        y = y.transpose(1, 2).reshape(B, Tq, E)  # heads side by side: (B, Tq, E)
        return self.out_proj(y)
