"""top_p_filter keeps a token when the cumulative mass including it is <= p: the token that reaches p is dropped."""

import torch
from torch.nn import functional as F


def top_k_filter(logits, k):
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(int(k), logits.shape[-1])
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]  # (..., 1) the k-th largest
    return logits.masked_fill(logits < kth, float("-inf"))  # ties with the k-th stay


def top_p_filter(logits, p):
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    if p == 1.0:
        return logits.clone()
    sorted_logits, order = torch.sort(logits, descending=True, dim=-1)
    drop = F.softmax(sorted_logits, dim=-1).cumsum(dim=-1) > p
    return logits.masked_fill(drop.scatter(-1, order, drop), float("-inf"))


def next_token_probs(logits, temperature=1.0, top_k=None, top_p=None):
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    if temperature == 0:
        return F.one_hot(logits.argmax(dim=-1), logits.shape[-1]).to(logits.dtype)
    logits = logits / temperature
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    return F.softmax(logits, dim=-1)
