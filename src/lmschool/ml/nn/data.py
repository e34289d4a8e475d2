"""Seeded data loaders: the same seed gives the same batches in the same order.

A DataLoader with shuffle=True draws its permutation from torch's global generator,
so two runs of a lesson differ unless something seeds it. Here every loader owns a
torch.Generator seeded from ``seed``: epoch k of one run sees exactly the batches of
epoch k of another run with the same seed, whatever else used the global generator.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset


def _as_tensor(a: Any, name: str, *, target: bool = False) -> torch.Tensor:
    t = a.detach().clone() if isinstance(a, torch.Tensor) else torch.as_tensor(np.asarray(a))
    if t.ndim == 0:
        raise ValueError(f"{name} must have one row per example, got a scalar")
    if t.dtype == torch.float64:
        t = t.float()  # float32: what nn layers expect
    elif target and t.dtype in (torch.int32, torch.int16, torch.int8, torch.uint8):
        t = t.long()  # class indices for cross_entropy
    elif not target and not t.is_floating_point():
        t = t.float()
    return t


def make_loader(
    X: Any, y: Any, batch_size: int = 32, shuffle: bool = True, seed: int | None = 0
) -> DataLoader:
    """A DataLoader over (X, y) whose shuffling is fixed by ``seed``.

    X and y: NumPy arrays or tensors with the same first dimension N. Float64 becomes
    float32 (nn layers' dtype); integer labels become int64 (what cross_entropy
    wants). shuffle=False keeps the row order; seed=None shuffles differently on
    every run (the generator is seeded from the OS).
    """
    X_t, y_t = _as_tensor(X, "X"), _as_tensor(y, "y", target=True)
    if len(X_t) != len(y_t):
        raise ValueError(f"X has {len(X_t)} rows but y has {len(y_t)}; they must match")
    if int(batch_size) < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    generator = torch.Generator()
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(int(seed))
    return DataLoader(
        TensorDataset(X_t, y_t), batch_size=int(batch_size), shuffle=shuffle, generator=generator
    )
