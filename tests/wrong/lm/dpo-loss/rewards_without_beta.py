"""Returns the log-ratios as rewards without multiplying them by beta (the loss is right)."""

import torch
import torch.nn.functional as F


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    pc, pr, rc, rr = (
        torch.as_tensor(a, dtype=torch.float64)
        for a in (policy_chosen, policy_rejected, ref_chosen, ref_rejected)
    )
    chosen, rejected = pc - rc, pr - rr
    loss = -F.logsigmoid(beta * (chosen - rejected)).mean()
    return loss.item(), chosen, rejected
