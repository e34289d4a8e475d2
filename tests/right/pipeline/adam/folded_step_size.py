"""Bias corrections folded into one step size and a rescaled epsilon (the Adam paper's "efficient" form)."""

import math

import numpy as np


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = params if isinstance(params, list) else list(params)
        self.lr = lr
        self.beta1, self.beta2 = betas
        self.eps = eps
        self.m = [np.zeros(p.shape, dtype=p.dtype) for p in self.params]
        self.v = [np.zeros(p.shape, dtype=p.dtype) for p in self.params]
        self.t = 0

    def step(self, grads):
        self.t += 1
        c1 = 1.0 - self.beta1**self.t
        c2 = 1.0 - self.beta2**self.t
        # m_hat / (sqrt(v_hat) + eps) == (sqrt(c2) / c1) * m / (sqrt(v) + eps * sqrt(c2))
        step_size = self.lr * math.sqrt(c2) / c1
        eps_hat = self.eps * math.sqrt(c2)
        for i, g in enumerate(grads):
            self.m[i] = self.beta1 * self.m[i] + (1.0 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1.0 - self.beta2) * np.square(g)
            self.params[i] -= step_size * self.m[i] / (np.sqrt(self.v[i]) + eps_hat)
