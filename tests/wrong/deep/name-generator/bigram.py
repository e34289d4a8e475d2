"""A smoothed bigram: one letter of context is not enough for the bar."""

from collections import Counter

import numpy as np


class NameModel:
    def fit(self, names):
        self.symbols_ = sorted(set("".join(names))) + ["$"]
        self.pairs_, self.ctx_ = Counter(), Counter()
        for w in names:
            p = "^" + w + "$"
            for a, b in zip(p, p[1:], strict=False):
                self.pairs_[a, b] += 1
                self.ctx_[a] += 1
        return self

    def _p(self, a, b):
        return (self.pairs_[a, b] + 0.1) / (self.ctx_[a] + 0.1 * len(self.symbols_))

    def log_prob(self, names):
        return [
            sum(np.log(self._p(a, b)) for a, b in zip("^" + w, w + "$", strict=True)) for w in names
        ]

    def sample(self, n, seed=0):
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(n):
            w, a = "", "^"
            while len(w) < 20:
                p = np.array([self._p(a, b) for b in self.symbols_])
                a = self.symbols_[rng.choice(len(p), p=p / p.sum())]
                if a == "$":
                    break
                w += a
            out.append(w)
        return out
