"""The gradient of the centre vector keeps the positive term only and forgets the negatives."""

import numpy as np


def log_sigmoid(x):
    """log(1 / (1 + exp(-x))), stable for large |x|: -log(1 + exp(-x)) = -logaddexp(0, -x)."""
    return -np.logaddexp(0.0, -x)


def sigmoid(x):
    return np.exp(log_sigmoid(x))


def sgns_loss_and_grads(W_in, W_out, centers, contexts, negatives):
    """Mean over the batch of -log s(u_o . v_c) - sum_k log s(-u_k . v_c).

    W_in (V, D): centre vectors v; W_out (V, D): context vectors u.
    centers, contexts: (B,) ids; negatives: (B, K) ids.
    Returns (loss, dW_in (V, D), dW_out (V, D)).
    """
    W_in, W_out = np.asarray(W_in, dtype=np.float64), np.asarray(W_out, dtype=np.float64)
    centers, contexts, negatives = np.asarray(centers), np.asarray(contexts), np.asarray(negatives)
    B = len(centers)
    v = W_in[centers]  # (B, D)
    u_pos = W_out[contexts]  # (B, D)
    u_neg = W_out[negatives]  # (B, K, D)
    pos = np.sum(u_pos * v, axis=1)  # (B,)
    neg = np.einsum("bkd,bd->bk", u_neg, v)  # (B, K)
    loss = -(log_sigmoid(pos).sum() + log_sigmoid(-neg).sum()) / B

    g_pos = (sigmoid(pos) - 1.0) / B  # dloss / dpos, (B,)
    g_neg = sigmoid(neg) / B  # dloss / dneg, (B, K)
    dv = g_pos[:, None] * u_pos  # (B, D)
    dW_in = np.zeros_like(W_in)
    dW_out = np.zeros_like(W_out)
    np.add.at(dW_in, centers, dv)  # add.at: a repeated id gets the sum of its rows
    np.add.at(dW_out, contexts, g_pos[:, None] * v)
    np.add.at(dW_out, negatives, g_neg[:, :, None] * v[:, None, :])
    return loss, dW_in, dW_out
