"""No nn.Module: the weights are plain tensors and the forward pass is written with
torch.nn.functional (conv2d, avg_pool2d, linear); full-image average pooling, RMSprop."""

import math

import numpy as np
import torch
import torch.nn.functional as F


class DigitsCNN:
    def __init__(self, epochs=25, lr=2e-3, batch_size=32, seed=0, channels=(24, 48)):
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.seed = seed
        self.channels = channels

    def _forward(self, x):
        p = self.params_
        x = F.relu(F.conv2d(x, p["c1"], p["c1b"], padding=1))
        x = F.avg_pool2d(x, 2)  # (N, c1, 4, 4)
        x = F.relu(F.conv2d(x, p["c2"], p["c2b"], padding=1))
        x = F.max_pool2d(x, 2)  # (N, c2, 2, 2)
        return F.linear(x.flatten(1), p["fc"], p["fcb"])

    def fit(self, X, y):
        torch.manual_seed(self.seed)
        x = torch.tensor(np.asarray(X), dtype=torch.float32).view(-1, 1, 8, 8) / 16.0
        t = torch.tensor(np.asarray(y), dtype=torch.long)
        c1, c2 = self.channels

        def he(*shape):
            fan_in = math.prod(shape[1:])
            return (torch.randn(*shape) * math.sqrt(2.0 / fan_in)).requires_grad_()

        self.params_ = {
            "c1": he(c1, 1, 3, 3),
            "c1b": torch.zeros(c1, requires_grad=True),
            "c2": he(c2, c1, 3, 3),
            "c2b": torch.zeros(c2, requires_grad=True),
            "fc": he(10, c2 * 4),
            "fcb": torch.zeros(10, requires_grad=True),
        }
        opt = torch.optim.RMSprop(self.params_.values(), lr=self.lr)
        for _ in range(self.epochs):
            perm = torch.randperm(len(x))
            for i in range(0, len(x), self.batch_size):
                batch = perm[i : i + self.batch_size]
                opt.zero_grad()
                F.cross_entropy(self._forward(x[batch]), t[batch]).backward()
                opt.step()
        return self

    def predict(self, X):
        if not hasattr(self, "params_"):
            raise RuntimeError("DigitsCNN.predict before fit")
        x = torch.tensor(np.asarray(X), dtype=torch.float32).view(-1, 1, 8, 8) / 16.0
        with torch.no_grad():
            return self._forward(x).argmax(1).numpy()
