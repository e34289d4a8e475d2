"""sample keeps the start padding and the end token inside the names."""

from collections import Counter

import numpy as np


class NameModel:
    def fit(self, names):
        self.symbols_ = sorted(set("".join(names))) + ["$"]
        self.c_ = [Counter(), Counter(), Counter()]
        self.n_ = [Counter(), Counter(), Counter()]
        for w in names:
            p = "^^" + w + "$"
            for i in range(2, len(p)):
                for k in range(3):
                    self.c_[k][p[i - k : i], p[i]] += 1
                    self.n_[k][p[i - k : i]] += 1
        return self

    def _p(self, h, c):
        V = len(self.symbols_)
        return sum(
            lam
            * (self.c_[k][h[len(h) - k :] if k else "", c] + 0.1)
            / (self.n_[k][h[len(h) - k :] if k else ""] + 0.1 * V)
            for k, lam in enumerate((0.1, 0.3, 0.6))
        )

    def log_prob(self, names):
        out = []
        for w in names:
            p = "^^" + w + "$"
            out.append(sum(np.log(self._p(p[i - 2 : i], p[i])) for i in range(2, len(p))))
        return out

    def sample(self, n, seed=0):
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(n):
            t = "^^"
            while len(t) < 22:
                p = np.array([self._p(t[-2:], c) for c in self.symbols_])
                c = self.symbols_[rng.choice(len(p), p=p / p.sum())]
                t += c
                if c == "$":
                    break
            out.append(t)
        return out
