"""A multilayer perceptron: Linear -> [BatchNorm] -> ReLU -> [Dropout], repeated.

    x (B, in_features)
      -> Linear(in, h1) -> BatchNorm1d(h1)? -> ReLU -> Dropout(p)?      (B, h1)
      -> ...                                                            (B, hk)
      -> Linear(hk, out_features)                                       (B, out)

The last layer has no activation: it returns logits (for nn.CrossEntropyLoss, which
applies log-softmax itself) or raw values (for regression with MSELoss).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass
class MLPConfig:
    in_features: int = 2  # D, the number of input features
    hidden: list[int] = field(default_factory=lambda: [32, 32])  # one width per hidden layer
    out_features: int = 2  # classes (logits) or regression targets
    dropout: float = 0.0  # dropped fraction after each hidden ReLU; active in train() only
    batchnorm: bool = False  # normalise each hidden layer's pre-activations over the batch


class MLP(nn.Module):
    def __init__(
        self,
        in_features: int,
        hidden: list[int],
        out_features: int,
        dropout: float = 0.0,
        batchnorm: bool = False,
    ) -> None:
        super().__init__()
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        self.config = MLPConfig(in_features, list(hidden), out_features, dropout, batchnorm)
        layers: list[nn.Module] = []
        width = in_features
        for h in hidden:
            # bias is redundant before BatchNorm (it subtracts the mean anyway)
            layers.append(nn.Linear(width, h, bias=not batchnorm))
            if batchnorm:
                layers.append(nn.BatchNorm1d(h))
            layers.append(nn.ReLU())
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = h
        layers.append(nn.Linear(width, out_features))
        self.net = nn.Sequential(*layers)

    @classmethod
    def from_config(cls, config: MLPConfig) -> MLP:
        return cls(**vars(config))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim > 2:
            x = x.flatten(1)  # (B, C, H, W) images -> (B, C*H*W)
        return self.net(x)  # (B, out_features)
