"""Warms up from 0: max_lr * step / warmup, so step 0 does nothing."""

import math


def lr_at(step, max_lr, min_lr, warmup, total):
    """The learning rate at optimisation step `step` (0, 1, 2, ...).

    1) warm-up, step < warmup:          max_lr * (step + 1) / (warmup + 1)
    2) cosine decay, warmup <= step <= total: from max_lr down to min_lr
    3) after the decay, step > total:   min_lr
    """
    if step < warmup:
        return max_lr * step / warmup
    if step >= total:
        return min_lr
    ratio = (step - warmup) / (total - warmup)  # 0 at the end of warm-up, 1 at `total`
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (max_lr - min_lr)
