"""next_token_probs divides by a temperature of 0 instead of returning the one-hot arg max."""

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
    sorted_logits, _ = torch.sort(logits, descending=True, dim=-1)  # (..., V)
    probs = F.softmax(sorted_logits, dim=-1)
    before = probs.cumsum(dim=-1) - probs  # mass of the tokens ranked before each one
    n_keep = (before < p).sum(dim=-1, keepdim=True)  # (..., 1), at least 1
    threshold = sorted_logits.gather(-1, n_keep - 1)  # the last kept logit
    return logits.masked_fill(logits < threshold, float("-inf"))


def next_token_probs(logits, temperature=1.0, top_k=None, top_p=None):
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    logits = logits / temperature
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    return F.softmax(logits, dim=-1)
