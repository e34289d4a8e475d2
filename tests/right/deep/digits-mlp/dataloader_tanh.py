"""A DataLoader over a TensorDataset with a seeded generator, a tanh network and AdamW;
pixels scaled to -1..1."""

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


class DigitsClassifier:
    def __init__(self, width=200, epochs=25, lr=2e-3, batch_size=50, seed=7):
        self.width = width
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.seed = seed

    @staticmethod
    def _scale(X):
        return torch.tensor(np.asarray(X), dtype=torch.float32) / 8.0 - 1.0  # 0..16 -> -1..1

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        data = TensorDataset(self._scale(X), torch.tensor(np.asarray(y), dtype=torch.int64))
        loader = DataLoader(
            data,
            batch_size=self.batch_size,
            shuffle=True,
            generator=torch.Generator().manual_seed(self.seed),
        )
        model = nn.Sequential(nn.Linear(64, self.width), nn.Tanh(), nn.Linear(self.width, 10))
        optimiser = torch.optim.AdamW(model.parameters(), lr=self.lr, weight_decay=1e-3)
        criterion = nn.CrossEntropyLoss()
        for _ in range(self.epochs):
            for xb, yb in loader:
                optimiser.zero_grad()
                criterion(model(xb), yb).backward()
                optimiser.step()
        self.model_ = model
        return self

    def predict(self, X):
        model = getattr(self, "model_", None)
        if model is None:
            raise RuntimeError("DigitsClassifier.predict: not fitted")
        with torch.no_grad():
            logits = model(self._scale(X))
        return logits.argmax(dim=-1).cpu().numpy()
