import math  # noqa: F401

import torch  # noqa: F401


def multi_head_attention(query, key, value, params, num_heads, key_padding_mask=None, causal=False):
    """Multi-head attention with nn.MultiheadAttention's weights, batch first.

    query (B, Tq, E), key and value (B, Tk, E); params holds "in_proj_weight" (3E, E),
    "in_proj_bias" (3E,), "out_proj.weight" (E, E), "out_proj.bias" (E,).
    key_padding_mask (B, Tk): True marks padding to IGNORE (torch's convention).
    causal: query i may attend to keys 0..i only. Returns (B, Tq, E).
    """
    # TODO: project with in_proj_weight (q, k, v stacked), split into heads, attend, concatenate, project.
    raise NotImplementedError("multi_head_attention: write your code here")
