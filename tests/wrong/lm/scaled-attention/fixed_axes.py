"""Transposes k with fixed axes (2, 3): works only for 4-D inputs."""

import math

import torch


def attention(q, k, v, mask=None):
    scores = q @ k.transpose(2, 3) / math.sqrt(q.shape[-1])
    if mask is not None:
        empty = ~mask.any(dim=-1, keepdim=True)
        scores = scores.masked_fill(~mask, float("-inf")).masked_fill(empty, 0.0)
        return torch.softmax(scores, dim=-1).masked_fill(~mask, 0.0) @ v
    return torch.softmax(scores, dim=-1) @ v


def attention_grads(q, k, v, mask, grad_out):
    q, k, v = (t.detach().clone().requires_grad_(True) for t in (q, k, v))
    out = attention(q, k, v, mask)
    (out * grad_out).sum().backward()
    return q.grad, k.grad, v.grad
