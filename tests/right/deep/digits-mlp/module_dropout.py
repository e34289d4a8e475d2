"""An nn.Module subclass with two hidden layers and dropout, inputs standardised with the
training statistics, SGD with Nesterov momentum and a step decay of the learning rate."""

import numpy as np
import torch
from torch import nn


class _Net(nn.Module):
    def __init__(self, hidden, p_drop):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(64, hidden),
            nn.ReLU(),
            nn.Dropout(p_drop),
            nn.Linear(hidden, hidden // 2),
            nn.ReLU(),
            nn.Dropout(p_drop),
        )
        self.head = nn.Linear(hidden // 2, 10)

    def forward(self, x):
        return self.head(self.body(x))


class DigitsClassifier:
    def __init__(self, hidden=128, p_drop=0.2, epochs=30, batch_size=32, lr=0.05, seed=123):
        self.hidden = hidden
        self.p_drop = p_drop
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed

    def _tensor(self, X):
        X = np.asarray(X, dtype=np.float32)
        return torch.from_numpy((X - self.mu_) / self.sigma_)

    def fit(self, X, y):
        gen = torch.Generator().manual_seed(self.seed)
        torch.manual_seed(self.seed)
        X = np.asarray(X, dtype=np.float32)
        self.mu_ = X.mean(axis=0)
        self.sigma_ = X.std(axis=0) + 1.0  # +1: blank border pixels have std 0
        inputs = self._tensor(X)
        targets = torch.from_numpy(np.asarray(y).astype(np.int64))
        self.net_ = _Net(self.hidden, self.p_drop)
        opt = torch.optim.SGD(self.net_.parameters(), lr=self.lr, momentum=0.9, nesterov=True)
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=10, gamma=0.5)
        self.net_.train()
        for _ in range(self.epochs):
            perm = torch.randperm(len(inputs), generator=gen)
            for chunk in perm.split(self.batch_size):
                opt.zero_grad()
                nn.functional.cross_entropy(self.net_(inputs[chunk]), targets[chunk]).backward()
                opt.step()
            sched.step()
        self.net_.eval()  # dropout off: predictions are deterministic and row-independent
        return self

    def predict(self, X):
        if not hasattr(self, "net_"):
            raise RuntimeError("fit the classifier before predicting")
        with torch.inference_mode():
            return self.net_(self._tensor(X)).argmax(1).numpy().astype(np.int64)
