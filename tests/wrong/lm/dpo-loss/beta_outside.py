"""Multiplies the log-sigmoid by beta instead of putting beta inside it."""

import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    pc, pr, rc, rr = (
        np.asarray(a, dtype=np.float64)
        for a in (policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    )
    margin = (pc - rc) - (pr - rr)
    loss = float(np.mean(beta * np.logaddexp(0.0, -margin)))
    return loss, beta * (pc - rc), beta * (pr - rr)
