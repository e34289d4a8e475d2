import math  # noqa: F401


def lr_at(step, max_lr, min_lr, warmup, total):
    """The learning rate at optimisation step `step` (0, 1, 2, ...).

    1) warm-up, step < warmup:          max_lr * (step + 1) / (warmup + 1)
    2) cosine decay, warmup <= step <= total: from max_lr down to min_lr
    3) after the decay, step > total:   min_lr
    """
    # TODO: the three cases, in this order.
    raise NotImplementedError("lr_at: write your code here")
