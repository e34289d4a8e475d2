"""Reference: the DPO loss (Rafailov et al., 2023) on sequence log-probabilities.

margin = beta * [(log pi(y_w|x) - log ref(y_w|x)) - (log pi(y_l|x) - log ref(y_l|x))]
loss   = mean over the batch of -log sigmoid(margin) = mean of log(1 + exp(-margin))

-log sigmoid(m) is computed as logaddexp(0, -m), which neither overflows for a large
negative margin nor rounds to log(0) for a large positive one.
"""

import numpy as np


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    pc, pr, rc, rr = (
        np.asarray(a, dtype=np.float64)
        for a in (policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    )
    chosen_rewards = beta * (pc - rc)  # implicit rewards: beta * log(pi / ref)
    rejected_rewards = beta * (pr - rr)
    margins = chosen_rewards - rejected_rewards
    loss = float(np.mean(np.logaddexp(0.0, -margins)))  # -log sigmoid(margin), stable
    return loss, chosen_rewards, rejected_rewards
