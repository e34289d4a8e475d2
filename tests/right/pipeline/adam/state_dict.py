"""State kept per parameter in a dict of named moments; new values written with p[...] = ... ."""

import numpy as np


class Adam:
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.hyper = {"lr": lr, "b1": betas[0], "b2": betas[1], "eps": eps}
        self.state = [{"m": np.zeros_like(p), "v": np.zeros_like(p)} for p in self.params]
        self.t = 0

    @property
    def m(self):
        return [s["m"] for s in self.state]

    @property
    def v(self):
        return [s["v"] for s in self.state]

    def step(self, grads):
        h = self.hyper
        self.t += 1
        for p, g, s in zip(self.params, grads, self.state, strict=True):
            s["m"] = h["b1"] * s["m"] + (1 - h["b1"]) * g
            s["v"] = h["b2"] * s["v"] + (1 - h["b2"]) * g**2
            m_hat = s["m"] / (1 - h["b1"] ** self.t)
            v_hat = s["v"] / (1 - h["b2"] ** self.t)
            p[...] = p - h["lr"] * m_hat / (v_hat**0.5 + h["eps"])
        return None
