"""predict before fit does not raise RuntimeError (it fails with AttributeError)."""

import numpy as np
import torch
from torch import nn


class Model:
    """A small CNN for 12x12 scans: fit(X, y) -> self, predict(X) -> lesion labels 0..2."""

    def __init__(self, epochs: int = 15, lr: float = 3e-3, batch_size: int = 32, seed: int = 0):
        self.epochs = epochs  # ~1.5 s of CPU on one thread for 900 scans
        self.lr = lr
        self.batch_size = batch_size
        self.seed = seed  # fixed torch seed: the same data gives the same model

    @staticmethod
    def _images(X) -> torch.Tensor:
        return torch.as_tensor(np.asarray(X, dtype=np.float32)).reshape(-1, 1, 12, 12)

    def fit(self, X, y) -> "Model":
        torch.manual_seed(self.seed)
        images = self._images(X)
        labels = torch.as_tensor(np.asarray(y), dtype=torch.long)
        # the lesion may be anywhere: local filters (shared weights) + a global max over positions
        self.model_ = nn.Sequential(
            nn.Conv2d(1, 16, 3),  # a 3x3 filter matches a 3x3 lesion: (N, 16, 10, 10)
            nn.ReLU(),
            nn.Conv2d(16, 16, 1),  # combine the 16 responses at each position
            nn.ReLU(),
            nn.AdaptiveMaxPool2d(1),  # "is the pattern anywhere?": (N, 16, 1, 1)
            nn.Flatten(),
            nn.Linear(16, 3),  # logits
        )
        opt = torch.optim.Adam(self.model_.parameters(), lr=self.lr)
        n = len(images)
        self.model_.train()
        for _ in range(self.epochs):
            order = torch.randperm(n)
            for start in range(0, n, self.batch_size):
                idx = order[start : start + self.batch_size]
                loss = nn.functional.cross_entropy(self.model_(images[idx]), labels[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
        self.model_.eval()
        return self

    def predict(self, X) -> np.ndarray:
        with torch.no_grad():
            return self.model_(self._images(X)).argmax(dim=1).numpy()  # (N,) int64
