import math  # noqa: F401

import torch  # noqa: F401


def attention(q, k, v, mask=None):
    """softmax(q k^T / sqrt(d_k)) v over the last two axes.

    q: (..., Tq, d_k), k: (..., Tk, d_k), v: (..., Tk, d_v); mask: boolean, broadcastable
    to (..., Tq, Tk), True where query i may attend to key j. Returns (..., Tq, d_v);
    a query with no allowed key gets zeros.
    """
    # TODO: scores, mask with -inf before the softmax, softmax over the keys, weights @ v.
    raise NotImplementedError("attention: write your code here")


def attention_grads(q, k, v, mask, grad_out):
    """Given (keep it as it is): the gradients of sum(attention(q, k, v, mask) * grad_out)
    with respect to q, k and v. The checks call it to see that gradients flow."""
    q, k, v = (t.detach().clone().requires_grad_(True) for t in (q, k, v))
    out = attention(q, k, v, mask)
    (out * grad_out).sum().backward()
    return q.grad, k.grad, v.grad
