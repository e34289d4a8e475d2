"""Training a language model on one long stream of token ids: batches, schedule, loop.

One step of train_lm() is nanoGPT's training loop:

    lr = cosine_lr(step, ...)                  # 1) linear warm-up, then cosine decay to min_lr
    x, y = get_batch(train_ids, T, B, gen)     # 2) B random windows of T tokens; y = x shifted by one
    _, loss = model(x, y)                      # 3) forward: mean next-token cross-entropy
    optimizer.zero_grad(); loss.backward()     # 4) backward
    clip_grad_norm_(params, grad_clip)         # 5) cap the global gradient norm
    optimizer.step()                           # 6) AdamW, weight decay on matrices only

and every ``eval_interval`` steps estimate_loss() on fixed random windows of the training
and validation streams. The model is any module with ``model(x, y) -> (logits, loss)``
(``lmschool.ml.nn.gpt.GPT`` is one). A seed fixes the batches, the evaluation windows and
torch's global generator (dropout), so a run is repeatable on the same machine.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn


def get_batch(
    data: torch.Tensor | np.ndarray | Sequence[int],
    block_size: int,
    batch_size: int,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    """``batch_size`` random windows of ``block_size`` tokens and their next tokens.

    x[b] = data[i : i + T] and y[b] = data[i + 1 : i + T + 1] for a random start i, so
    y[b, t] is the token that follows x[b, : t + 1]: one window holds T training examples,
    with contexts of 1 to T tokens. Returns two (B, T) int64 tensors.
    """
    data = torch.as_tensor(data, dtype=torch.long)
    if data.ndim != 1:
        raise ValueError(f"data must be a 1-D sequence of token ids, got shape {tuple(data.shape)}")
    if len(data) <= block_size:
        raise ValueError(
            f"data has {len(data)} tokens; a window of block_size={block_size} needs at least "
            f"{block_size + 1} (the last target is the token after the window)"
        )
    starts = torch.randint(len(data) - block_size, (batch_size,), generator=generator)  # (B,)
    x = torch.stack([data[i : i + block_size] for i in starts])  # (B, T)
    y = torch.stack([data[i + 1 : i + 1 + block_size] for i in starts])  # (B, T)
    return x, y


def cosine_lr(step: int, *, max_lr: float, min_lr: float, warmup: int, total: int) -> float:
    """The learning rate at ``step`` (0-based): linear warm-up, cosine decay, then flat.

    - step < warmup: max_lr * (step + 1) / (warmup + 1), so step 0 already moves a little
      and the rate climbs to max_lr at step = warmup;
    - warmup <= step <= total: min_lr + (max_lr - min_lr) * (1 + cos(pi * r)) / 2 with
      r = (step - warmup) / (total - warmup), from max_lr down to min_lr at step = total;
    - step > total: min_lr.

    This is nanoGPT's ``get_lr`` (warmup_iters = warmup, lr_decay_iters = total).
    """
    if warmup < 0 or total < warmup:
        raise ValueError(f"need 0 <= warmup <= total, got warmup={warmup}, total={total}")
    if step < warmup:  # 1) linear warm-up
        return max_lr * (step + 1) / (warmup + 1)
    if step >= total:  # 3) after the decay: stay at the floor
        return min_lr
    ratio = (step - warmup) / (total - warmup)  # 2) cosine decay, 0 -> 1
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (max_lr - min_lr)


def configure_adamw(
    model: nn.Module,
    lr: float,
    weight_decay: float = 0.1,
    betas: tuple[float, float] = (0.9, 0.95),
) -> torch.optim.AdamW:
    """AdamW with weight decay on matrices (>= 2-D: Linear weights, embeddings) only.

    Biases and LayerNorm gains are left alone: shrinking a gain towards 0 would fight the
    normalisation, and they are too few to overfit with.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(groups, lr=lr, betas=betas)


@torch.no_grad()
def estimate_loss(
    model: nn.Module,
    data: torch.Tensor | np.ndarray | Sequence[int],
    *,
    block_size: int,
    batch_size: int,
    batches: int,
    seed: int = 0,
) -> float:
    """Mean loss over ``batches`` random windows (always the same ones for a given seed).

    Runs in eval mode (no dropout) without gradients and restores the model's mode.
    """
    was_training = model.training
    model.eval()
    generator = torch.Generator().manual_seed(int(seed))
    total = 0.0
    for _ in range(int(batches)):
        x, y = get_batch(data, block_size, batch_size, generator)
        _, loss = model(x, y)
        total += float(loss)
    model.train(was_training)
    return total / int(batches)


@dataclass
class LMHistory:
    """What train_lm() measured.

    Every step: ``loss`` (the training batch's loss: noisy), ``lr`` and ``step_time``
    (seconds of forward, backward and update, without evaluation). At every evaluation
    (step 0, every ``eval_interval`` steps and the last step): ``eval_step``,
    ``train_loss`` and ``val_loss``, each a mean over ``eval_batches`` fixed windows.
    """

    eval_step: list[int] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    step_time: list[float] = field(default_factory=list)

    def plot(self, ax: Any = None) -> Any:
        """Learning curves against the step: batch losses (faint), train and validation."""
        if ax is None:
            import matplotlib.pyplot as plt

            _, ax = plt.subplots(figsize=(6, 3.5))
        if self.loss:
            ax.plot(np.arange(1, len(self.loss) + 1), self.loss, alpha=0.3, lw=0.8, label="batch")
        if self.train_loss:
            ax.plot(self.eval_step, self.train_loss, "o-", ms=3, label="train")
        if self.val_loss:
            ax.plot(self.eval_step, self.val_loss, "o-", ms=3, label="validation")
        ax.set(title="Learning curve", xlabel="step", ylabel="cross-entropy (nats/token)")
        ax.grid(alpha=0.3)
        ax.legend()
        return ax


def train_lm_steps(
    model: nn.Module,
    train_ids: torch.Tensor | np.ndarray | Sequence[int],
    val_ids: torch.Tensor | np.ndarray | Sequence[int] | None = None,
    *,
    steps: int,
    batch_size: int,
    lr: float,
    min_lr: float | None = None,
    warmup: int = 0,
    weight_decay: float = 0.1,
    betas: tuple[float, float] = (0.9, 0.95),
    grad_clip: float | None = 1.0,
    block_size: int | None = None,
    eval_interval: int | None = None,
    eval_batches: int = 20,
    seed: int = 0,
) -> Iterator[LMHistory]:
    """The loop of train_lm(), one step per ``next()``: yields the History after each step.

    train_lm() runs it to the end; bench/lm_gpt.py advances two of them in turn, so that
    two models train side by side on the same batches under the same machine load.
    """
    if int(steps) < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    steps = int(steps)
    if block_size is None:
        block_size = getattr(getattr(model, "config", None), "block_size", None)
        if block_size is None:
            raise ValueError("pass block_size=...: the model has no config.block_size")
    min_lr = lr / 10 if min_lr is None else min_lr
    eval_interval = eval_interval or max(1, steps // 10)
    train_ids = torch.as_tensor(train_ids, dtype=torch.long)  # once, not per batch
    val_ids = None if val_ids is None else torch.as_tensor(val_ids, dtype=torch.long)

    torch.manual_seed(int(seed))  # dropout masks
    batches = torch.Generator().manual_seed(int(seed))  # the order of training windows
    optimizer = configure_adamw(model, lr, weight_decay, betas)
    params = [p for group in optimizer.param_groups for p in group["params"]]
    history = LMHistory()

    def evaluate(step: int) -> None:
        kw = {"block_size": block_size, "batch_size": batch_size, "batches": eval_batches}
        history.eval_step.append(step)
        history.train_loss.append(estimate_loss(model, train_ids, **kw, seed=seed + 1))
        if val_ids is not None:
            history.val_loss.append(estimate_loss(model, val_ids, **kw, seed=seed + 2))

    evaluate(0)
    model.train()
    for step in range(steps):
        start = time.perf_counter()
        rate = cosine_lr(step, max_lr=lr, min_lr=min_lr, warmup=warmup, total=steps)
        for group in optimizer.param_groups:
            group["lr"] = rate
        x, y = get_batch(train_ids, block_size, batch_size, batches)
        _, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if grad_clip is not None:
            nn.utils.clip_grad_norm_(params, grad_clip)
        optimizer.step()
        loss_value = float(loss.detach())  # waits for the step to finish
        history.step_time.append(time.perf_counter() - start)
        history.loss.append(loss_value)
        history.lr.append(rate)
        if (step + 1) % eval_interval == 0 or step + 1 == steps:
            evaluate(step + 1)
            model.train()
        yield history


def train_lm(
    model: nn.Module,
    train_ids: torch.Tensor | np.ndarray | Sequence[int],
    val_ids: torch.Tensor | np.ndarray | Sequence[int] | None = None,
    *,
    steps: int,
    batch_size: int,
    lr: float,
    min_lr: float | None = None,
    warmup: int = 0,
    weight_decay: float = 0.1,
    betas: tuple[float, float] = (0.9, 0.95),
    grad_clip: float | None = 1.0,
    block_size: int | None = None,
    eval_interval: int | None = None,
    eval_batches: int = 20,
    seed: int = 0,
    progress: bool = True,
) -> LMHistory:
    """Train ``model`` for ``steps`` AdamW steps on random windows of ``train_ids``.

    The learning rate warms up over ``warmup`` steps to ``lr`` and decays along a cosine
    to ``min_lr`` (default lr / 10) at the last step; gradients are clipped to a global
    norm of ``grad_clip`` (None: no clipping). ``block_size`` defaults to the model's
    ``config.block_size``. The model is evaluated at step 0, every ``eval_interval`` steps
    (default steps // 10) and at the end, on ``eval_batches`` fixed windows of each stream.
    A Rich progress bar shows only when ``progress`` is true and stdout is a terminal.
    """
    run = train_lm_steps(
        model,
        train_ids,
        val_ids,
        steps=steps,
        batch_size=batch_size,
        lr=lr,
        min_lr=min_lr,
        warmup=warmup,
        weight_decay=weight_decay,
        betas=betas,
        grad_clip=grad_clip,
        block_size=block_size,
        eval_interval=eval_interval,
        eval_batches=eval_batches,
        seed=seed,
    )
    history = LMHistory()
    if not (progress and sys.stdout.isatty()):
        for history_so_far in run:
            history = history_so_far
        return history

    from rich.progress import Progress  # lazy: only when a bar is drawn

    with Progress(*Progress.get_default_columns(), "{task.fields[status]}") as bar:
        task = bar.add_task("training", total=int(steps), status="")
        for history in run:
            status = f"loss {history.loss[-1]:.3f}"
            if history.val_loss:
                status += f" val {history.val_loss[-1]:.3f}"
            bar.update(task, advance=1, status=status)
    return history
