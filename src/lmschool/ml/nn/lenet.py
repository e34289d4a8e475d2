"""A LeNet-style CNN for small grey images: 1x8x8 (load_digits) or 1x28x28 (MNIST).

    x (B, 1, S, S)
      -> Conv(1, c1, 3, padding=1) -> ReLU -> MaxPool(2)     (B, c1, S/2, S/2)
      -> Conv(c1, c2, 3, padding=1) -> ReLU -> MaxPool(2)    (B, c2, S/4, S/4)
      -> flatten                                             (B, c2 * (S/4)^2)
      -> Linear -> ReLU -> Dropout? -> Linear                (B, n_classes)

padding=1 with a 3x3 kernel keeps the size ("same" convolution), so only pooling
halves it: out = floor((S + 2p - k) / s) + 1 = S for k=3, p=1, s=1. That is why the
input side must be divisible by 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class LeNetConfig:
    image_size: int = 8  # S: 8 for load_digits, 28 for MNIST; must be divisible by 4
    n_classes: int = 10
    channels: tuple[int, int] = (8, 16)  # c1, c2: feature maps after each conv block
    hidden: int = 64  # width of the fully connected layer
    dropout: float = 0.0  # before the last layer; active in train() only


class LeNet(nn.Module):
    def __init__(self, config: LeNetConfig | None = None, **overrides: object) -> None:
        super().__init__()
        config = config or LeNetConfig()
        if overrides:
            config = LeNetConfig(**{**vars(config), **overrides})
        if config.image_size % 4:
            raise ValueError(
                f"image_size must be divisible by 4 (two 2x2 poolings), got {config.image_size}"
            )
        self.config = config
        c1, c2 = config.channels
        self.features = nn.Sequential(
            nn.Conv2d(1, c1, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c1, S/2, S/2)
            nn.Conv2d(c1, c2, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (B, c2, S/4, S/4)
        )
        flat = c2 * (config.image_size // 4) ** 2
        self.classifier = nn.Sequential(
            nn.Linear(flat, config.hidden),
            nn.ReLU(),
            nn.Dropout(config.dropout),
            nn.Linear(config.hidden, config.n_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        S = self.config.image_size
        if x.ndim == 2:
            x = x.view(-1, 1, S, S)  # (B, S*S) flat pixels -> (B, 1, S, S)
        elif x.ndim == 3:
            x = x.unsqueeze(1)  # (B, S, S) -> (B, 1, S, S)
        x = self.features(x)  # (B, c2, S/4, S/4)
        return self.classifier(x.flatten(1))  # (B, n_classes) logits
