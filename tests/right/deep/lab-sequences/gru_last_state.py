"""A recurrent network instead of convolutions: a GRU reads the 48 hours in order and its
last hidden state is classified."""

import numpy as np
import torch
from torch import nn


class _Reader(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.gru = nn.GRU(channels, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 2)

    def forward(self, x):  # x: (N, T, C), batch first as the data arrives
        _, h_last = self.gru(x)  # (1, N, H)
        return self.out(h_last[0])


class Model:
    def __init__(self, hidden=24, epochs=25, lr=1e-2, batch_size=50, seed=0):
        self.hidden = hidden
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.seed = seed

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        x = torch.as_tensor(np.asarray(X, dtype=np.float32))
        t = torch.as_tensor(np.asarray(y), dtype=torch.long)
        self.net_ = _Reader(x.shape[2], self.hidden)
        opt = torch.optim.Adam(self.net_.parameters(), lr=self.lr)
        for _ in range(self.epochs):
            for idx in torch.randperm(len(x)).split(self.batch_size):
                loss = nn.functional.cross_entropy(self.net_(x[idx]), t[idx])
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(self.net_.parameters(), 1.0)
                opt.step()
        self.net_.eval()
        return self

    def predict(self, X):
        if not hasattr(self, "net_"):
            raise RuntimeError("Model: fit(X, y) before predict(X)")
        with torch.no_grad():
            logits = self.net_(torch.as_tensor(np.asarray(X, dtype=np.float32)))
        return logits.argmax(dim=1).numpy()
