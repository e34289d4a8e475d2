"""Zeroes masked weights after the softmax without renormalising."""

import math

import torch


def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    weights = torch.softmax(scores, dim=-1)
    if mask is not None:
        weights = weights * mask
    return weights @ v


def attention_grads(q, k, v, mask, grad_out):
    q, k, v = (t.detach().clone().requires_grad_(True) for t in (q, k, v))
    out = attention(q, k, v, mask)
    (out * grad_out).sum().backward()
    return q.grad, k.grad, v.grad
