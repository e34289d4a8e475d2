"""Computes log(sigmoid(m)) literally, which overflows and underflows for large margins."""

import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    pc, pr, rc, rr = (
        np.asarray(a, dtype=np.float64)
        for a in (policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    )
    chosen = beta * (pc - rc)
    rejected = beta * (pr - rr)
    with np.errstate(over="ignore", divide="ignore"):
        loss = float(np.mean(-np.log(1.0 / (1.0 + np.exp(-(chosen - rejected))))))
    return loss, chosen, rejected
