"""Strided convolutions instead of pooling, batch normalisation (switched off by eval() after
training), an nn.Module subclass and SGD with momentum and a cosine schedule."""

import numpy as np
import torch
from torch import nn


class _Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, kernel_size=3, padding=1, bias=False),  # (N, 16, 8, 8)
            nn.BatchNorm2d(16),
            nn.ReLU(),
            nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1, bias=False),  # (N, 32, 4, 4)
            nn.BatchNorm2d(32),
            nn.ReLU(),
            nn.Conv2d(32, 64, kernel_size=3, stride=2, padding=1, bias=False),  # (N, 64, 2, 2)
            nn.BatchNorm2d(64),
            nn.ReLU(),
        )
        self.classifier = nn.Linear(64 * 2 * 2, 10)

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


class DigitsCNN:
    def __init__(self, epochs=15, lr=0.05, batch_size=64, seed=1):
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.seed = seed

    @staticmethod
    def _as_images(X):
        arr = np.asarray(X, dtype=np.float32).reshape(-1, 1, 8, 8)
        return torch.from_numpy((arr - 8.0) / 8.0)

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        images = self._as_images(X)
        labels = torch.from_numpy(np.asarray(y).astype(np.int64))
        self.net_ = _Net()
        opt = torch.optim.SGD(self.net_.parameters(), lr=self.lr, momentum=0.9, weight_decay=5e-4)
        steps_per_epoch = -(-len(images) // self.batch_size)
        sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=self.epochs * steps_per_epoch)
        self.net_.train()
        for _ in range(self.epochs):
            for idx in torch.randperm(len(images)).split(self.batch_size):
                if len(idx) < 2:
                    continue  # batch norm needs more than one image
                loss = nn.functional.cross_entropy(self.net_(images[idx]), labels[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
        self.net_.eval()
        return self

    def predict(self, X):
        if not hasattr(self, "net_"):
            raise RuntimeError("DigitsCNN: call fit before predict")
        with torch.no_grad():
            return self.net_(self._as_images(X)).argmax(dim=1).numpy()
