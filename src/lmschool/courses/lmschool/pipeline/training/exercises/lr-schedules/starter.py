import math  # noqa: F401  (math.cos and math.pi will help)


def step_lr(step: int, lr0: float, step_size: int, gamma: float) -> float:
    """lr0 multiplied by gamma once every step_size steps (torch StepLR)."""
    raise NotImplementedError("step_lr: write your code here")


def exponential_lr(step: int, lr0: float, gamma: float) -> float:
    """lr0 multiplied by gamma at every step (torch ExponentialLR)."""
    raise NotImplementedError("exponential_lr: write your code here")


def cosine_lr(step: int, lr0: float, total_steps: int, min_lr: float = 0.0) -> float:
    """Half a cosine from lr0 (step 0) to min_lr (step total_steps), then min_lr."""
    raise NotImplementedError("cosine_lr: write your code here")


def warmup_cosine_lr(
    step: int, lr0: float, warmup_steps: int, total_steps: int, min_lr: float = 0.0
) -> float:
    """Linear warm-up lr0 * (step + 1) / warmup_steps, then cosine_lr from lr0 to min_lr."""
    raise NotImplementedError("warmup_cosine_lr: write your code here")
