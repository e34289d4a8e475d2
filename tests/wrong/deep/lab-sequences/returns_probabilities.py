"""predict returns the softmax probabilities, shape (N, 2), instead of the labels."""

import numpy as np
import torch
from torch import nn


class Model:
    """A 1-D CNN for account histories: fit(X, y) -> self, predict(X) -> labels 0/1."""

    def __init__(self, epochs: int = 15, lr: float = 3e-3, batch_size: int = 32, seed: int = 0):
        self.epochs = epochs  # ~2 s of CPU on one thread for 1000 histories
        self.lr = lr
        self.batch_size = batch_size
        self.seed = seed  # fixed torch seed: the same data gives the same model

    @staticmethod
    def _series(X) -> torch.Tensor:
        X = torch.as_tensor(np.asarray(X, dtype=np.float32))  # (N, T, C)
        return X.permute(0, 2, 1)  # Conv1d wants (N, C, T): swap the axes, do not reshape

    def fit(self, X, y) -> "Model":
        torch.manual_seed(self.seed)
        series = self._series(X)
        labels = torch.as_tensor(np.asarray(y), dtype=torch.long)
        # the pattern is local in time but may happen at any hour: convolutions + max over time
        self.model_ = nn.Sequential(
            nn.Conv1d(series.shape[1], 16, 5, padding=2),  # sees 5 hours of all channels
            nn.ReLU(),
            nn.Conv1d(16, 16, 5, padding=2),  # 9 hours: burst, gap and withdrawal together
            nn.ReLU(),
            nn.AdaptiveMaxPool1d(1),  # "did it happen at any time?": (N, 16, 1)
            nn.Flatten(),
            nn.Linear(16, 2),  # logits
        )
        opt = torch.optim.Adam(self.model_.parameters(), lr=self.lr)
        n = len(series)
        self.model_.train()
        for _ in range(self.epochs):
            order = torch.randperm(n)
            for start in range(0, n, self.batch_size):
                idx = order[start : start + self.batch_size]
                loss = nn.functional.cross_entropy(self.model_(series[idx]), labels[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
        self.model_.eval()
        return self

    def predict(self, X) -> np.ndarray:
        if not hasattr(self, "model_"):
            raise RuntimeError("Model is not fitted yet: call fit(X, y) first")
        with torch.no_grad():
            return self.model_(self._series(X)).softmax(dim=1).numpy()  # (N,) int64
