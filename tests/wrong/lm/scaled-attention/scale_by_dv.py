"""Scales the scores by sqrt(d_v), the size of the values, instead of sqrt(d_k)."""

import math

import torch


def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(v.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def attention_grads(q, k, v, mask, grad_out):
    q, k, v = (t.detach().clone().requires_grad_(True) for t in (q, k, v))
    out = attention(q, k, v, mask)
    (out * grad_out).sum().backward()
    return q.grad, k.grad, v.grad
