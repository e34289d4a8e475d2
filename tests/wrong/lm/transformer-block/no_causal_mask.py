"""Forgets the causal mask: every token attends to the whole sequence."""

import math

import torch
from torch.nn import functional as F


def layer_norm(x, weight, bias):
    """Normalise each token's vector over its C features, then scale and shift."""
    mean = x.mean(dim=-1, keepdim=True)
    var = x.var(dim=-1, keepdim=True, unbiased=False)  # the biased variance, as nn.LayerNorm
    return (x - mean) / torch.sqrt(var + 1e-5) * weight + bias


def causal_self_attention(x, p, n_head):
    B, T, C = x.shape
    hs = C // n_head
    qkv = x @ p["attn.c_attn.weight"].T + p["attn.c_attn.bias"]  # (B, T, 3C)
    q, k, v = qkv.split(C, dim=2)  # 3 x (B, T, C)
    q = q.view(B, T, n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
    k = k.view(B, T, n_head, hs).transpose(1, 2)
    v = v.view(B, T, n_head, hs).transpose(1, 2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, T, T)
    weights = torch.softmax(scores, dim=-1)
    y = (weights @ v).transpose(1, 2).reshape(B, T, C)  # heads side by side
    return y @ p["attn.c_proj.weight"].T + p["attn.c_proj.bias"]


def mlp(x, p):
    h = F.gelu(x @ p["mlp.c_fc.weight"].T + p["mlp.c_fc.bias"])  # (B, T, 4C), exact GELU
    return h @ p["mlp.c_proj.weight"].T + p["mlp.c_proj.bias"]


def block_forward(x, params, n_head):
    """One pre-norm transformer block: x + attn(ln_1(x)), then + mlp(ln_2(x)).

    x: (B, T, C); params: the state_dict of lmschool.ml.nn.gpt.Block (bias=True).
    """
    p = params
    x = x + causal_self_attention(layer_norm(x, p["ln_1.weight"], p["ln_1.bias"]), p, n_head)
    x = x + mlp(layer_norm(x, p["ln_2.weight"], p["ln_2.bias"]), p)
    return x
