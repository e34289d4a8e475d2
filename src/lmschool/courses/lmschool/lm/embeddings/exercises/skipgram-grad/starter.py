"""Skip-gram with negative sampling: the loss of a batch and its gradients, in NumPy."""

import numpy as np  # noqa: F401


def sgns_loss_and_grads(W_in, W_out, centers, contexts, negatives):
    """Mean over the batch of -log s(u_o . v_c) - sum_k log s(-u_k . v_c).

    W_in (V, D): centre vectors v; W_out (V, D): context vectors u.
    centers, contexts: (B,) ids; negatives: (B, K) ids.
    Returns (loss, dW_in (V, D), dW_out (V, D)).
    """
    raise NotImplementedError("sgns_loss_and_grads: write your code here")
