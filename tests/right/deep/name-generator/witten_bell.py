"""A 4-gram (three letters of context) with Witten-Bell interpolation, recursive down to a
uniform distribution, instead of add-alpha trigram mixing with fixed weights."""

from collections import Counter, defaultdict

import numpy as np

BOUNDARY = "#"  # pads the start of a name and marks its end
ORDER = 4


class NameModel:
    def __init__(self, order=ORDER):
        self.order = order

    def fit(self, names):
        self.letters_ = sorted(set("".join(names)))
        self.symbols_ = self.letters_ + [BOUNDARY]
        self.follow_ = defaultdict(Counter)  # context -> counts of the next symbol
        for name in names:
            text = BOUNDARY * (self.order - 1) + name + BOUNDARY
            for i in range(self.order - 1, len(text)):
                for k in range(self.order):  # contexts of length 0 .. order - 1
                    self.follow_[text[i - k : i]][text[i]] += 1
        self._cache = {}
        return self

    def _p(self, context, symbol):
        key = (context, symbol)
        if key in self._cache:
            return self._cache[key]
        lower = 1.0 / len(self.symbols_) if context is None else None
        if context is not None:
            lower = self._p(context[1:] if context else None, symbol)
            counts = self.follow_.get(context)
            if counts:
                total, types = sum(counts.values()), len(counts)
                # Witten-Bell: the back-off gets the weight of "a new type follows here"
                lower = (counts[symbol] + types * lower) / (total + types)
        self._cache[key] = lower
        return lower

    def _context(self, text):
        return text[len(text) - (self.order - 1) :]

    def log_prob(self, names):
        if not hasattr(self, "follow_"):
            raise RuntimeError("fit the model first")
        result = np.empty(len(names))
        for j, name in enumerate(names):
            text = BOUNDARY * (self.order - 1) + name + BOUNDARY
            result[j] = sum(
                np.log(self._p(self._context(text[:i]), text[i]))
                for i in range(self.order - 1, len(text))
            )
        return result

    def sample(self, n, seed):
        rng = np.random.default_rng(seed)
        out = []
        for _ in range(n):
            text = BOUNDARY * (self.order - 1)
            while len(text) < 25 + self.order:
                ctx = self._context(text)
                probs = np.array([self._p(ctx, s) for s in self.symbols_])
                symbol = self.symbols_[rng.choice(len(probs), p=probs / probs.sum())]
                if symbol == BOUNDARY:
                    break
                text += symbol
            out.append(text[self.order - 1 :])
        return out
