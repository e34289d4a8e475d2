"""NumPy throughout (np.power, np.clip, np.cos), and the warm-up cosine written out as one formula."""

import numpy as np


def step_lr(step, lr0, step_size, gamma):
    blocks = np.floor_divide(step, step_size)
    return float(lr0 * np.power(gamma, blocks))


def exponential_lr(step, lr0, gamma):
    return float(lr0 * np.power(float(gamma), step))


def cosine_lr(step, lr0, total_steps, min_lr=0.0):
    t = np.clip(step, 0, total_steps)
    return float(min_lr + 0.5 * (lr0 - min_lr) * (1.0 + np.cos(np.pi * t / total_steps)))


def warmup_cosine_lr(step, lr0, warmup_steps, total_steps, min_lr=0.0):
    if step < warmup_steps:
        return float(lr0 * (step + 1) / warmup_steps)
    span = total_steps - warmup_steps
    t = np.clip(step - warmup_steps, 0, span)
    return float(min_lr + 0.5 * (lr0 - min_lr) * (1.0 + np.cos(np.pi * t / span)))
