"""Removes the smooth background first (scan minus its 5x5 box blur, as a fixed convolution),
then one wide layer of learned 3x3 filters, a soft maximum over positions (logsumexp) and a
linear classifier; SGD with momentum."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class Model:
    def __init__(self, filters=24, epochs=25, lr=0.05, batch_size=32, sharpness=4.0, seed=0):
        self.filters = filters
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.sharpness = sharpness
        self.seed = seed

    @staticmethod
    def _highpass(X):
        x = torch.as_tensor(np.asarray(X, dtype=np.float32)).reshape(-1, 1, 12, 12)
        blur = F.avg_pool2d(F.pad(x, (2, 2, 2, 2), mode="replicate"), 5, stride=1)
        return x - blur  # tissue gradient gone, lesion and noise kept

    def _logits(self, x):
        h = F.relu(self.conv_(x))  # (N, F, 10, 10)
        k = self.sharpness
        pooled = torch.logsumexp(k * h.flatten(2), dim=2) / k  # a smooth max over positions
        return self.fc_(pooled)

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        x = self._highpass(X)
        t = torch.as_tensor(np.asarray(y), dtype=torch.long)
        self.conv_ = nn.Conv2d(1, self.filters, 3)
        self.fc_ = nn.Linear(self.filters, 3)
        params = list(self.conv_.parameters()) + list(self.fc_.parameters())
        opt = torch.optim.SGD(params, lr=self.lr, momentum=0.9)
        for _ in range(self.epochs):
            perm = torch.randperm(len(x))
            for i in range(0, len(x), self.batch_size):
                b = perm[i : i + self.batch_size]
                loss = F.cross_entropy(self._logits(x[b]), t[b])
                opt.zero_grad()
                loss.backward()
                opt.step()
        return self

    def predict(self, X):
        if not hasattr(self, "conv_"):
            raise RuntimeError("call fit before predict")
        with torch.no_grad():
            return self._logits(self._highpass(X)).argmax(1).numpy()
