"""The new tokens get positions 0, 1, ... in every call, ignoring the cached tokens."""

import math

import torch


def forward(params, idx, n_head, cache=None):
    B, T = idx.shape
    C = params["wte"].shape[1]
    hs = C // n_head
    start = 0 if cache is None else cache[0].shape[2]  # tokens already cached
    pos = torch.arange(T)  # positions of the tokens in this call
    x = params["wte"][idx] + params["wpe"][pos]  # (B, T, C)
    q, k, v = (x @ params["w_qkv"]).split(C, dim=-1)  # 3 x (B, T, C)
    q, k, v = (t.view(B, T, n_head, hs).transpose(1, 2) for t in (q, k, v))  # (B, nh, T, hs)
    if cache is not None:  # the new keys and values join the cached ones BEFORE attending
        k = torch.cat([cache[0], k], dim=2)  # (B, nh, start + T, hs)
        v = torch.cat([cache[1], v], dim=2)
    att = q @ k.transpose(-2, -1) / math.sqrt(hs)  # (B, nh, T, start + T)
    # new token i sits at position start + i and may see keys 0 .. start + i
    allowed = torch.ones(T, start + T, dtype=torch.bool).tril(diagonal=start)
    att = att.masked_fill(~allowed, float("-inf")).softmax(dim=-1)
    y = (att @ v).transpose(1, 2).reshape(B, T, C)  # heads side by side again
    h = x + y @ params["w_out"]
    return h @ params["wte"].T, (k, v)  # logits (B, T, V), the cache for the next call
