"""fit() and evaluate(): the training loop every deep-learning lesson writes, once.

One epoch of fit() is the five lines the course teaches in deep/pytorch:

    for xb, yb in train_loader:
        optimizer.zero_grad()         # 1) gradients accumulate: clear last batch's
        loss = loss_fn(model(xb), yb) # 2) forward
        loss.backward()               # 3) backward: fills p.grad for every parameter
        optimizer.step()              # 4) update

plus model.train() / model.eval() (dropout and batch norm behave differently) and
bookkeeping. The loss and accuracy are averaged per example, not per batch, so a short
last batch counts for what it is. Accuracy is reported when the model's output has
one column per class (B, C) and the targets are class indices (B,).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn


@dataclass
class History:
    """Per-epoch numbers from fit(); accuracy lists stay empty for regression."""

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)

    def plot(self, ax: Any = None, metric: str = "loss") -> Any:
        """The learning curve (train and validation) on ax; metric="loss" or "acc"."""
        from lmschool.ml.plotting import learning_curve

        if metric not in ("loss", "acc"):
            raise ValueError(f"metric must be 'loss' or 'acc', got {metric!r}")
        series = {"train": getattr(self, f"train_{metric}")}
        if getattr(self, f"val_{metric}"):
            series["validation"] = getattr(self, f"val_{metric}")
        return learning_curve(series, ax=ax, ylabel="loss" if metric == "loss" else "accuracy")


def _batch_stats(out: torch.Tensor, yb: torch.Tensor) -> int | None:
    """Correct predictions in the batch, or None when accuracy has no meaning."""
    if out.ndim == 2 and out.shape[1] > 1 and yb.ndim == 1 and not yb.is_floating_point():
        return int((out.argmax(dim=1) == yb).sum())
    return None


def _run_epoch(
    model: nn.Module,
    loader: Iterable,
    loss_fn: Callable,
    optimizer: torch.optim.Optimizer | None,
    on_batch: Callable[[], None] | None = None,
) -> tuple[float, float | None]:
    total_loss, total_correct, n, has_acc = 0.0, 0, 0, True
    for xb, yb in loader:
        if optimizer is not None:
            optimizer.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        if optimizer is not None:
            loss.backward()
            optimizer.step()
        b = len(xb)
        total_loss += float(loss.detach()) * b  # loss_fn averages over the batch
        correct = _batch_stats(out.detach(), yb)
        has_acc = has_acc and correct is not None
        total_correct += correct or 0
        n += b
        if on_batch is not None:
            on_batch()
    if n == 0:
        raise ValueError("the loader yielded no batches")
    return total_loss / n, (total_correct / n if has_acc else None)


def evaluate(
    model: nn.Module, loader: Iterable, loss_fn: Callable | None = None
) -> dict[str, float]:
    """{"loss": ..., "acc": ...} over the whole loader, in eval mode and without gradients.

    loss_fn defaults to cross-entropy (targets are class indices); "acc" is only
    present for classification outputs.
    """
    loss_fn = loss_fn or nn.functional.cross_entropy
    was_training = model.training
    model.eval()
    with torch.no_grad():
        loss, acc = _run_epoch(model, loader, loss_fn, None)
    model.train(was_training)
    return {"loss": loss} if acc is None else {"loss": loss, "acc": acc}


def fit(
    model: nn.Module,
    train_loader: Iterable,
    *,
    epochs: int,
    optimizer: torch.optim.Optimizer,
    loss_fn: Callable = nn.functional.cross_entropy,
    val_loader: Iterable | None = None,
    progress: bool = True,
    seed: int | None = None,
) -> History:
    """Train ``model`` for ``epochs`` passes over ``train_loader``; returns a History.

    seed (optional) seeds torch's global generator first, so dropout masks are the
    same on every run; the loader's own seed (make_loader) fixes the batch order.
    The Rich progress bar shows only when progress=True and stdout is a terminal.
    """
    if int(epochs) < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
    if seed is not None:
        torch.manual_seed(int(seed))
    history = History()
    show = progress and sys.stdout.isatty()
    bar, task = None, None
    if show:
        from rich.progress import Progress  # lazy: only when a bar is drawn

        bar = Progress(*Progress.get_default_columns(), "{task.fields[status]}")
        try:
            total = int(epochs) * len(train_loader)  # type: ignore[arg-type]
        except TypeError:
            total = None
        task = bar.add_task("training", total=total, status="")
        bar.start()
    try:
        for epoch in range(int(epochs)):
            model.train()
            step = (lambda: bar.advance(task)) if bar is not None else None
            loss, acc = _run_epoch(model, train_loader, loss_fn, optimizer, step)
            history.train_loss.append(loss)
            if acc is not None:
                history.train_acc.append(acc)
            status = f"epoch {epoch + 1}/{epochs} loss {loss:.4f}"
            if val_loader is not None:
                val = evaluate(model, val_loader, loss_fn)
                history.val_loss.append(val["loss"])
                status += f" val {val['loss']:.4f}"
                if "acc" in val:
                    history.val_acc.append(val["acc"])
                    status += f" acc {val['acc']:.3f}"
            if bar is not None:
                bar.update(task, status=status)
    finally:
        if bar is not None:
            bar.stop()
    return history
