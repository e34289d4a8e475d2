"""Sums the loss over the pairs instead of averaging it."""

import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    pc, pr, rc, rr = (
        np.asarray(a, dtype=np.float64)
        for a in (policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    )
    chosen = beta * (pc - rc)
    rejected = beta * (pr - rr)
    loss = float(np.sum(np.logaddexp(0.0, -(chosen - rejected))))
    return loss, chosen, rejected
