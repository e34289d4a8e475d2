"""A small torch MLP on level-normalised lags, trained with the L1 loss (the metric being
graded) by full-batch Adam, predicting a correction to the same weekday's median of the window."""

import numpy as np
import torch
from torch import nn

WINDOW = 56


class Forecaster:
    def __init__(self, hidden=32, steps=600, lr=1e-2, seed=0):
        self.hidden = hidden
        self.steps = steps
        self.lr = lr
        self.seed = seed

    @staticmethod
    def _prepare(windows):
        W = np.asarray(windows, dtype=np.float64)
        level = np.median(W[:, -28:], axis=1)  # (N,)
        Z = W / level[:, None]
        # the median of the 8 past values of tomorrow's weekday (position 0 mod 7)
        base = np.median(Z[:, 0::7], axis=1)  # (N,)
        return torch.tensor(Z, dtype=torch.float32), base, level

    def fit(self, series):
        torch.manual_seed(self.seed)
        s = np.asarray(series, dtype=np.float64)
        windows = np.stack([s[i - WINDOW : i] for i in range(WINDOW, len(s))])
        Z, base, level = self._prepare(windows)
        target = torch.tensor(s[WINDOW:] / level - base, dtype=torch.float32)
        self.net_ = nn.Sequential(
            nn.Linear(WINDOW, self.hidden), nn.Tanh(), nn.Linear(self.hidden, 1)
        )
        opt = torch.optim.Adam(self.net_.parameters(), lr=self.lr, weight_decay=1e-4)
        for _ in range(self.steps):
            loss = nn.functional.l1_loss(self.net_(Z).squeeze(1), target)
            opt.zero_grad()
            loss.backward()
            opt.step()
        return self

    def predict_next(self, windows):
        if not hasattr(self, "net_"):
            raise RuntimeError("fit(series) first")
        Z, base, level = self._prepare(windows)
        with torch.no_grad():
            correction = self.net_(Z).squeeze(1).double().numpy()
        return (base + correction) * level
