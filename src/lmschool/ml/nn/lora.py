"""LoRA: low-rank adapters on a frozen model (Hu et al., 2021, arXiv:2106.09685).

A linear layer y = x W^T + b with W of shape (out, in) is adapted by a low-rank update
that is trained while W and b stay frozen:

    y = x W^T + b + (alpha / r) * (x A^T) B^T      A (r, in), B (out, r), r << min(in, out)

- B starts at zero, so the adapted model starts *exactly* at the base model; A starts
  random (Kaiming-uniform, as loralib and PEFT do), otherwise B would get no gradient.
- alpha / r scales the update, so that changing r does not change the size of the
  first steps much and the learning rate found for one rank suits the others.
- A layer trains r (in + out) numbers instead of in * out.
- ``merge`` folds the update into the weight, W' = W + (alpha / r) B A: a plain
  ``nn.Linear`` again, so inference after merging costs nothing extra.

``apply_lora(model, r, alpha, targets)`` freezes every parameter of a model and wraps
the linear layers whose names end with one of ``targets`` (for ``lmschool.ml.nn.gpt``:
``"c_attn"`` holds W_q, W_k, W_v side by side, ``"c_proj"`` the output projections);
``merge_lora(model)`` merges them all back; ``count_parameters(model)`` gives
(trainable, total).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
from torch import nn


class LoRALinear(nn.Module):
    """A frozen ``nn.Linear`` plus a trainable rank-``r`` update scaled by ``alpha / r``."""

    def __init__(self, base: nn.Linear, r: int = 4, alpha: float = 8.0, dropout: float = 0.0):
        super().__init__()
        if not isinstance(base, nn.Linear):
            raise TypeError(f"LoRALinear wraps an nn.Linear, got {type(base).__name__}")
        if not isinstance(r, int) or isinstance(r, bool) or r < 1:
            raise ValueError(f"r must be a positive integer, got {r!r}")
        self.base = base
        for p in self.base.parameters():
            p.requires_grad_(False)  # the pretrained weights never change
        self.r, self.alpha = r, float(alpha)
        self.scaling = self.alpha / r
        w = base.weight
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features, dtype=w.dtype, device=w.device))
        self.lora_B = nn.Parameter(
            torch.zeros(base.out_features, r, dtype=w.dtype, device=w.device)
        )
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))  # U(-1/sqrt(in), 1/sqrt(in))
        self.dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (..., in) -> (..., r) -> (..., out): two thin products, never the (out, in) matrix
        update = (self.dropout(x) @ self.lora_A.T) @ self.lora_B.T
        return self.base(x) + self.scaling * update

    def delta_weight(self) -> torch.Tensor:
        """(alpha / r) B A, shape (out, in): what training added to W."""
        return self.scaling * (self.lora_B @ self.lora_A)

    @torch.no_grad()
    def merge(self) -> nn.Linear:
        """A new, frozen ``nn.Linear`` with W + (alpha / r) B A: the same function, one matmul."""
        out = nn.Linear(
            self.base.in_features,
            self.base.out_features,
            bias=self.base.bias is not None,
            dtype=self.base.weight.dtype,
            device=self.base.weight.device,
        )
        out.weight.copy_(self.base.weight + self.delta_weight())
        if self.base.bias is not None:
            out.bias.copy_(self.base.bias)
        out.requires_grad_(False)
        return out

    def extra_repr(self) -> str:
        return f"r={self.r}, alpha={self.alpha:g}"


def apply_lora(
    model: nn.Module,
    r: int = 4,
    alpha: float = 8.0,
    targets: Sequence[str] = ("c_attn", "c_proj"),
    dropout: float = 0.0,
) -> nn.Module:
    """Freeze ``model`` and wrap each ``nn.Linear`` whose name ends with a target; returns model.

    Targets match the end of a module's qualified name (``blocks.0.attn.c_attn``), so
    ``"attn.c_proj"`` adapts the attention output projection and not the MLP's.
    """
    if isinstance(targets, str):
        targets = (targets,)
    for p in model.parameters():
        p.requires_grad_(False)
    found = [
        name
        for name, module in model.named_modules()
        if isinstance(module, nn.Linear) and any(name.endswith(t) for t in targets)
    ]
    if not found:
        linear = [n for n, m in model.named_modules() if isinstance(m, nn.Linear)]
        raise ValueError(f"no nn.Linear named like {list(targets)}; the linear layers are {linear}")
    for name in found:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, LoRALinear(getattr(parent, child), r, alpha, dropout))
    return model


def merge_lora(model: nn.Module) -> nn.Module:
    """Replace every ``LoRALinear`` of ``model`` by its merged ``nn.Linear``; returns model."""
    wrapped = [name for name, m in model.named_modules() if isinstance(m, LoRALinear)]
    for name in wrapped:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, getattr(parent, child).merge())
    return model


def count_parameters(model: nn.Module) -> tuple[int, int]:
    """(trainable, total) numbers of parameters; a tied matrix counts once."""
    params = list(model.parameters())  # parameters() yields each tensor once
    return sum(p.numel() for p in params if p.requires_grad), sum(p.numel() for p in params)
