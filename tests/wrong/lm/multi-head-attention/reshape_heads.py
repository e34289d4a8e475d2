"""Splits the heads with a plain reshape to (B, nh, T, hs), mixing positions."""

import math

import torch


def multi_head_attention(query, key, value, params, num_heads, key_padding_mask=None, causal=False):
    """Multi-head attention with nn.MultiheadAttention's weights, batch first.

    query (B, Tq, E), key and value (B, Tk, E); params holds "in_proj_weight" (3E, E),
    "in_proj_bias" (3E,), "out_proj.weight" (E, E), "out_proj.bias" (E,).
    key_padding_mask (B, Tk): True marks padding to IGNORE (torch's convention).
    causal: query i may attend to keys 0..i only. Returns (B, Tq, E).
    """
    B, Tq, E = query.shape
    Tk = key.shape[1]
    hs = E // num_heads  # each head's width
    W_q, W_k, W_v = params["in_proj_weight"].split(E, dim=0)  # 3 x (E, E), stacked q, k, v
    b_q, b_k, b_v = params["in_proj_bias"].split(E, dim=0)
    # 1) project, 2) split E into heads: (B, T, E) -> (B, T, nh, hs) -> (B, nh, T, hs)
    q = (query @ W_q.T + b_q).reshape(B, num_heads, Tq, hs)
    k = (key @ W_k.T + b_k).reshape(B, num_heads, Tk, hs)
    v = (value @ W_v.T + b_v).reshape(B, num_heads, Tk, hs)
    # 3) attend in every head at once
    scores = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, Tq, Tk)
    allowed = torch.ones(B, 1, Tq, Tk, dtype=torch.bool)
    if key_padding_mask is not None:
        allowed = allowed & ~key_padding_mask[:, None, None, :]  # True = padding: NOT allowed
    if causal:
        allowed = allowed & torch.ones(Tq, Tk, dtype=torch.bool).tril()
    scores = scores.masked_fill(~allowed, float("-inf"))
    y = torch.softmax(scores, dim=-1) @ v  # (B, nh, Tq, hs)
    # 4) concatenate the heads side by side, 5) mix them with the output projection
    y = y.transpose(1, 2).reshape(B, Tq, E)
    return y @ params["out_proj.weight"].T + params["out_proj.bias"]
