"""Ignores min_lr in the cosine: decays to 0 instead of min_lr."""

import math


def step_lr(step: int, lr0: float, step_size: int, gamma: float) -> float:
    """lr0 multiplied by gamma once every step_size steps (torch StepLR)."""
    return float(lr0 * gamma ** (step // step_size))  # constant within each block


def exponential_lr(step: int, lr0: float, gamma: float) -> float:
    """lr0 multiplied by gamma at every step (torch ExponentialLR)."""
    return float(lr0 * gamma**step)


def cosine_lr(step: int, lr0: float, total_steps: int, min_lr: float = 0.0) -> float:
    """Half a cosine from lr0 (step 0) to min_lr (step total_steps), then min_lr."""
    progress = min(step, total_steps) / total_steps  # 0 -> 1, then stays at 1
    return float(lr0 * (1 + math.cos(math.pi * progress)) / 2)


def warmup_cosine_lr(
    step: int, lr0: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0
) -> float:
    """Linear warm-up lr0 * (step + 1) / warmup_steps, then cosine_lr from lr0 to min_lr."""
    if step < warmup_steps:
        return float(lr0 * (step + 1) / warmup_steps)  # 1) warm-up: never a step at lr 0
    # 2) the cosine counts its own steps from the end of the warm-up
    return cosine_lr(step - warmup_steps, lr0, total_steps - warmup_steps, min_lr)
