"""Ignores the reference model: compares the policy's log-probabilities directly."""

import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    pc, pr = (
        np.asarray(policy_chosen, dtype=np.float64),
        np.asarray(policy_rejected, dtype=np.float64),
    )
    chosen, rejected = beta * pc, beta * pr
    loss = float(np.mean(np.logaddexp(0.0, -(chosen - rejected))))
    return loss, chosen, rejected
