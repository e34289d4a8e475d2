import math

import torch


def attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v over the last two axes.

    q: (..., Tq, d_k), k: (..., Tk, d_k), v: (..., Tk, d_v); mask: boolean, broadcastable
    to (..., Tq, Tk), True where query i may attend to key j. Returns (..., Tq, d_v);
    a query with no allowed key gets zeros.
    """
    d_k = q.shape[-1]
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (..., Tq, Tk)
    if mask is None:
        return torch.softmax(scores, dim=-1) @ v
    scores = scores.masked_fill(~mask, float("-inf"))  # masked keys: weight exactly 0
    empty = ~mask.any(dim=-1, keepdim=True)  # rows with no allowed key
    weights = torch.softmax(scores.masked_fill(empty, 0.0), dim=-1)  # no NaN from -inf rows
    weights = weights.masked_fill(~mask, 0.0)  # ... whose weights become 0
    return weights @ v


def attention_grads(q, k, v, mask, grad_out):
    """Given (keep it as it is): the gradients of sum(attention(q, k, v, mask) * grad_out)
    with respect to q, k and v. The checks call it to see that gradients flow."""
    q, k, v = (t.detach().clone().requires_grad_(True) for t in (q, k, v))
    out = attention(q, k, v, mask)
    (out * grad_out).sum().backward()
    return q.grad, k.grad, v.grad
