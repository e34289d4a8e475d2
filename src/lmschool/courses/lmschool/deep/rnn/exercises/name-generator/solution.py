"""Reference name model: an interpolated, add-alpha smoothed character trigram.

P(c | a, b) = l3 P3(c | a b) + l2 P2(c | b) + l1 P1(c), each P_k = (count + alpha) / (context
count + alpha V) over the V = |alphabet| + 1 symbols (the letters and the end token "$").
Names are padded with "^^" in front, so the first letters are predicted from the start.
"""

from collections import Counter

import numpy as np

END, START = "$", "^"


class NameModel:
    """fit(names); log_prob(names) -> natural-log probability of each whole name, end included."""

    def __init__(self, alpha: float = 0.1, lambdas=(0.1, 0.3, 0.6)):
        self.alpha = alpha  # add-alpha smoothing of every order
        self.lambdas = lambdas  # weights of the unigram, bigram and trigram estimates

    def fit(self, names):
        self.alphabet_ = sorted(set("".join(names)))
        self.symbols_ = self.alphabet_ + [END]
        self.counts_ = [Counter(), Counter(), Counter()]  # order k: (context, char) -> count
        self.context_ = [Counter(), Counter(), Counter()]  # order k: context -> count
        for name in names:
            padded = START * 2 + name + END
            for i in range(2, len(padded)):
                for k in range(3):
                    ctx = padded[i - k : i]
                    self.counts_[k][ctx, padded[i]] += 1
                    self.context_[k][ctx] += 1
        return self

    def _prob(self, history: str, char: str) -> float:
        V = len(self.symbols_)
        p = 0.0
        for k, lam in enumerate(self.lambdas):
            ctx = history[len(history) - k :] if k else ""
            p += (
                lam
                * (self.counts_[k][ctx, char] + self.alpha)
                / (self.context_[k][ctx] + self.alpha * V)
            )
        return p

    def log_prob(self, names):
        if not hasattr(self, "counts_"):
            raise RuntimeError("NameModel is not fitted yet: call fit(names) first")
        out = []
        for name in names:
            padded = START * 2 + name + END
            out.append(
                sum(np.log(self._prob(padded[i - 2 : i], padded[i])) for i in range(2, len(padded)))
            )
        return np.array(out, dtype=np.float64)

    def sample(self, n, seed=0):
        rng = np.random.default_rng(seed)
        names = []
        for _ in range(n):
            text = START * 2
            while len(text) < 22:
                p = np.array([self._prob(text[-2:], c) for c in self.symbols_])
                c = self.symbols_[int(rng.choice(len(p), p=p / p.sum()))]
                if c == END:
                    break
                text += c
            names.append(text[2:])
        return names
