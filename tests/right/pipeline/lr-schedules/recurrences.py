"""Schedules computed by repeated multiplication from step 0 (loops), cosine as a cos^2 of half the angle."""

import math


def step_lr(step, lr0, step_size, gamma):
    lr = float(lr0)
    for t in range(1, step + 1):
        if t % step_size == 0:
            lr *= gamma
    return lr


def exponential_lr(step, lr0, gamma):
    lr = float(lr0)
    for _ in range(step):
        lr *= gamma
    return lr


def cosine_lr(step, lr0, total_steps, min_lr=0.0):
    if step >= total_steps:
        return float(min_lr)
    # (1 + cos x) / 2 == cos^2(x / 2)
    return float(min_lr + (lr0 - min_lr) * math.cos(math.pi * step / (2 * total_steps)) ** 2)


def warmup_cosine_lr(step, lr0, warmup_steps, total_steps, min_lr=0.0):
    if step >= warmup_steps:
        return cosine_lr(step - warmup_steps, lr0, total_steps - warmup_steps, min_lr)
    fraction = (step + 1) / warmup_steps
    return float(fraction * lr0)
