import numpy as np
import torch
from torch import nn


class DigitsCNN:
    """A small LeNet-style CNN for 8x8 digits: fit(X, y) -> self, predict(X) -> labels 0..9."""

    def __init__(
        self, epochs: int = 20, lr: float = 3e-3, batch_size: int = 32, seed: int = 0
    ) -> None:
        self.epochs = epochs  # passes over the training set; ~2 s of CPU on one thread
        self.lr = lr  # Adam's step size
        self.batch_size = batch_size
        self.seed = seed  # fixed torch seed: the same data gives the same model

    @staticmethod
    def _images(X) -> torch.Tensor:
        X = torch.as_tensor(np.asarray(X, dtype=np.float32))
        return (X / 16.0).reshape(-1, 1, 8, 8)  # pixel values 0..16 -> 0..1; (N, 1, 8, 8)

    def fit(self, X, y) -> "DigitsCNN":
        torch.manual_seed(self.seed)
        images = self._images(X)
        labels = torch.as_tensor(np.asarray(y), dtype=torch.long)
        self.model_ = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (N, 32, 4, 4)
            nn.Conv2d(32, 64, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),  # (N, 64, 2, 2)
            nn.Flatten(),
            nn.Linear(64 * 2 * 2, 64),
            nn.ReLU(),
            nn.Linear(64, 10),  # logits
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
        if not hasattr(self, "model_"):
            raise RuntimeError("DigitsCNN is not fitted yet: call fit(X, y) first")
        with torch.no_grad():
            return self.model_(self._images(X)).argmax(dim=1).numpy()  # (N,) int64
