"""Adds eps inside the square root: sqrt(v_hat + eps) instead of sqrt(v_hat) + eps."""

import numpy as np


class Adam:
    """Adam on a list of NumPy arrays, updated in place (matches torch.optim.Adam)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m = [np.zeros_like(p) for p in self.params]  # first moment, one per parameter
        self.v = [np.zeros_like(p) for p in self.params]  # second moment (uncentred)
        self.t = 0

    def step(self, grads):
        """One Adam update of every parameter in self.params, in place."""
        beta1, beta2 = self.betas
        self.t += 1
        # m and v start at 0, so early averages are biased towards 0: divide it out.
        correction1 = 1 - beta1**self.t
        correction2 = 1 - beta2**self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            g = np.asarray(g, dtype=p.dtype)
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p -= self.lr * (m / correction1) / np.sqrt(v / correction2 + self.eps)
