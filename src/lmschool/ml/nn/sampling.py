"""Choosing the next token from a model's scores: greedy, temperature, top-k, top-p.

    logits (V,) -> [allowed mask] -> / temperature -> top-k -> top-p -> softmax -> draw

Each filter sets the logits it removes to -inf, so the softmax gives them probability
exactly 0 and renormalises what is left. Temperature 0 means greedy (the arg max).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.nn import functional as F


def top_k_filter(logits: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the k largest logits (ties at the k-th value are kept too), -inf elsewhere."""
    if k < 1:
        raise ValueError(f"top_k must be at least 1, got {k}")
    k = min(int(k), logits.shape[-1])
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]  # (..., 1) the k-th largest
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p_filter(logits: torch.Tensor, p: float) -> torch.Tensor:
    """Keep the most likely tokens until their probability reaches p (nucleus), -inf elsewhere.

    A token is kept when the tokens ranked before it hold less than p of the probability:
    the smallest set of top tokens whose mass reaches p, plus any token tied with the last
    of them (as ``top_k_filter`` keeps ties). The most likely token is always kept, so p
    close to 0 is greedy; p = 1 keeps every token.
    """
    if not 0.0 < p <= 1.0:
        raise ValueError(f"top_p must be in (0, 1], got {p}")
    if p == 1.0:
        return logits  # rounding could make the mass before the last tokens reach 1.0
    sorted_logits, _ = torch.sort(logits, descending=True, dim=-1)  # (..., V)
    probs = F.softmax(sorted_logits, dim=-1)
    before = probs.cumsum(dim=-1) - probs  # (..., V) the mass ranked before each token
    n_keep = (before < p).sum(dim=-1, keepdim=True)  # (..., 1) >= 1: before[..., 0] is 0
    threshold = sorted_logits.gather(-1, n_keep - 1)  # (..., 1) the last kept logit
    return logits.masked_fill(logits < threshold, float("-inf"))


def sample_next(
    logits: torch.Tensor,
    *,
    temperature: float = 1.0,
    top_k: int | None = None,
    top_p: float | None = None,
    allowed: Sequence[int] | torch.Tensor | None = None,
    generator: torch.Generator | None = None,
) -> int:
    """One token id drawn from ``logits`` (V,) with the given filters.

    ``allowed`` restricts the choice to those token ids (or a boolean mask of shape
    (V,)): constrained decoding. It must allow at least one token.
    """
    if temperature < 0:
        raise ValueError(f"temperature must be >= 0, got {temperature}")
    logits = logits.detach().float().flatten()
    if allowed is not None:
        allowed_t = torch.as_tensor(allowed)
        if allowed_t.dtype != torch.bool:
            mask = torch.zeros_like(logits, dtype=torch.bool)
            mask[allowed_t.long().to(logits.device)] = True
        else:
            mask = allowed_t.flatten().to(logits.device)
        if mask.shape != logits.shape or not bool(mask.any()):
            raise ValueError("allowed must permit at least one of the vocabulary's tokens")
        logits = logits.masked_fill(~mask, float("-inf"))
    if temperature == 0:
        return int(logits.argmax())
    logits = logits / temperature
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p)
    probs = F.softmax(logits, dim=-1)
    return int(torch.multinomial(probs, 1, generator=generator))
