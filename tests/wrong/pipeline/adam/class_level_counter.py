"""Keeps the step counter on the class, so two optimisers share (and corrupt) it."""

import numpy as np


class Adam:
    t = 0

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        Adam.t = 0

    def step(self, grads):
        beta1, beta2 = self.betas
        Adam.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m[:] = beta1 * m + (1 - beta1) * g
            v[:] = beta2 * v + (1 - beta2) * g**2
            m_hat = m / (1 - beta1**Adam.t)
            v_hat = v / (1 - beta2**Adam.t)
            p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
