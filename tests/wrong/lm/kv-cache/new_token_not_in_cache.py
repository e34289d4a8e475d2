"""Attends to the cached keys only and appends the new key and value afterwards: a new token never sees itself."""

import math

import torch


def forward(params, idx, n_head, cache=None):
    B, T = idx.shape
    C = params["wte"].shape[1]
    hs = C // n_head
    start = 0 if cache is None else cache[0].shape[2]  # tokens already cached
    pos = torch.arange(start, start + T)  # the new tokens continue after them
    x = params["wte"][idx] + params["wpe"][pos]  # (B, T, C)
    q, k, v = (x @ params["w_qkv"]).split(C, dim=-1)  # 3 x (B, T, C)
    q, k, v = (t.view(B, T, n_head, hs).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
    if cache is None:
        att = q @ k.transpose(-2, -1) / math.sqrt(hs)
        allowed = torch.ones(T, T, dtype=torch.bool).tril()
        att = att.masked_fill(~allowed, float("-inf")).softmax(dim=-1)
        y = att @ v
    else:  # attend to what is cached, then store the new keys and values
        att = (q @ cache[0].transpose(-2, -1) / math.sqrt(hs)).softmax(dim=-1)
        y = att @ cache[1]
        k = torch.cat([cache[0], k], dim=2)
        v = torch.cat([cache[1], v], dim=2)
    y = y.transpose(1, 2).reshape(B, T, C)
    h = x + y @ params["w_out"]
    return h @ params["wte"].T, (k, v)  # logits (B, T, V), the cache for the next call
