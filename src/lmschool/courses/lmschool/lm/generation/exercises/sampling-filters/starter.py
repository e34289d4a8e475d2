"""Sampling filters: top-k, top-p (nucleus) and temperature, for a batch of logits (..., V)."""

import torch  # noqa: F401
from torch.nn import functional as F  # noqa: F401


def top_k_filter(logits, k):
    # TODO: keep the k largest logits of every row (and any tied with the k-th), -inf elsewhere
    raise NotImplementedError("top_k_filter: write your code here")


def top_p_filter(logits, p):
    # TODO: keep the most likely tokens until their probability reaches p, -inf elsewhere
    raise NotImplementedError("top_p_filter: write your code here")


def next_token_probs(logits, temperature=1.0, top_k=None, top_p=None):
    # TODO: temperature, then top-k, then top-p, then softmax; temperature 0 is greedy (one-hot)
    raise NotImplementedError("next_token_probs: write your code here")
