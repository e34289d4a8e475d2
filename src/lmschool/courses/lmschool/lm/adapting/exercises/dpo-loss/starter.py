import numpy as np  # noqa: F401 (NumPy or torch)


def dpo_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta=0.1):
    """The DPO loss on a batch of preference pairs.

    Each argument is a 1-D array of sequence log-probabilities log p(y | x), one per pair:
    under the policy being trained and under the frozen reference, for the chosen answer
    y_w and the rejected answer y_l. Returns (loss, chosen_rewards, rejected_rewards).
    """
    # TODO: implicit rewards beta * (policy - reference); loss = mean of -log sigmoid(chosen - rejected)
    raise NotImplementedError("dpo_loss: write your code here")
