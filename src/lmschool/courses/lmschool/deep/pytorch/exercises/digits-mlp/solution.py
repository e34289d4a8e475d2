"""Reference: a 64-256-10 MLP trained with Adam on the 8x8 digits."""

import numpy as np
import torch
from torch import nn


class DigitsClassifier:
    def __init__(self, hidden=256, epochs=40, batch_size=64, lr=3e-3, weight_decay=1e-4, seed=0):
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.seed = seed

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        X = torch.as_tensor(np.asarray(X), dtype=torch.float32) / 16.0  # pixels 0..16 -> 0..1
        y = torch.as_tensor(np.asarray(y), dtype=torch.long)
        self.model_ = nn.Sequential(
            nn.Linear(64, self.hidden), nn.ReLU(), nn.Linear(self.hidden, 10)
        )
        opt = torch.optim.Adam(self.model_.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        loss_fn = nn.CrossEntropyLoss()
        self.model_.train()
        for _ in range(self.epochs):
            order = torch.randperm(len(X))  # reshuffle every epoch
            for start in range(0, len(X), self.batch_size):
                idx = order[start : start + self.batch_size]
                opt.zero_grad()
                loss = loss_fn(self.model_(X[idx]), y[idx])  # (B, 10) raw logits
                loss.backward()
                opt.step()
        self.model_.eval()
        return self

    def predict(self, X):
        if not hasattr(self, "model_"):
            raise RuntimeError("DigitsClassifier is not fitted: call fit(X, y) first")
        X = torch.as_tensor(np.asarray(X), dtype=torch.float32) / 16.0
        with torch.no_grad():
            return self.model_(X).argmax(dim=1).numpy()  # (N,) int64 labels
