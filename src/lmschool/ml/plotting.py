"""Two pictures every training session needs: the learning curve and the decision boundary.

matplotlib is imported inside the functions, so ``import lmschool.ml`` stays fast
and works without it. Nothing here calls plt.show(): each function draws on an Axes
(a new figure's when ax is None) and returns it; save with plt.savefig("x.png")
or ax.figure.savefig(...). That works headless (MPLBACKEND=Agg), in notebooks and
in the grading sandbox alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ._validation import check_array, check_consistent_length


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt  # lazy: only when a plot is actually drawn

    _, ax = plt.subplots(figsize=(6, 4))
    return ax


def learning_curve(
    history: Mapping[str, Sequence[float]],
    ax: Any = None,
    title: str = "Learning curve",
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
) -> Any:
    """Plot one line per named series, e.g. {"train": [...], "validation": [...]}.

    How to read it: both falling = still learning (train longer); train falling
    while validation rises = overfitting (stop earlier, regularise, get data); both
    flat and high = underfitting (a bigger model or better features). A loss that
    jumps up and down or explodes usually means the learning rate is too high.
    logy=True helps when the loss spans orders of magnitude.
    """
    if not history:
        raise ValueError("history is empty; pass e.g. {'train': [0.9, 0.5, 0.3]}")
    ax = _axes(ax)
    for name, values in history.items():
        values = np.asarray(values, dtype=np.float64)
        if values.ndim != 1:
            raise ValueError(f"history[{name!r}] must be a flat list of numbers")
        ax.plot(np.arange(1, len(values) + 1), values, label=str(name))
    if logy:
        ax.set_yscale("log")
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def decision_boundary(
    model: Any,
    X: Any,
    y: Any,
    ax: Any = None,
    resolution: int = 200,
    title: str | None = None,
) -> Any:
    """Shade the plane by the fitted model's prediction and scatter the data on top.

    X must have two features (N, 2). The model is evaluated on a resolution x
    resolution grid covering the data plus a margin. With predict_proba the shading
    is P(second class) and a black line marks 0.5 (the boundary itself); otherwise
    the predicted class fills the regions. A linear model's boundary is a straight
    line: if the classes are not separable by a line, no amount of training fixes it.
    """
    X = check_array(X, "X")
    y = check_array(y, "y", ndim=1, numeric=False)
    check_consistent_length(X=X, y=y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 features to draw, got {X.shape[1]}")
    ax = _axes(ax)
    lo, hi = X.min(axis=0), X.max(axis=0)
    margin = 0.1 * np.where(hi > lo, hi - lo, 1.0)
    g0, g1 = np.meshgrid(
        np.linspace(lo[0] - margin[0], hi[0] + margin[0], resolution),
        np.linspace(lo[1] - margin[1], hi[1] + margin[1], resolution),
    )  # each (R, R)
    grid = np.column_stack([g0.ravel(), g1.ravel()])  # (R*R, 2)
    if hasattr(model, "predict_proba"):
        p = np.asarray(model.predict_proba(grid))[:, 1].reshape(g0.shape)
        shade = ax.contourf(g0, g1, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.6)
        ax.contour(g0, g1, p, levels=[0.5], colors="black", linewidths=1.5)
        ax.figure.colorbar(shade, ax=ax, label="P(class 1)")
    else:
        pred = np.asarray(model.predict(grid))
        _, codes = np.unique(pred, return_inverse=True)
        ax.contourf(g0, g1, codes.reshape(g0.shape), cmap="RdBu_r", alpha=0.4)
    for label in np.unique(y):
        mask = y == label
        ax.scatter(X[mask, 0], X[mask, 1], s=18, edgecolors="k", linewidths=0.5, label=str(label))
    ax.set(title=title or f"{type(model).__name__} decision boundary", xlabel="x0", ylabel="x1")
    ax.legend(title="class")
    return ax
