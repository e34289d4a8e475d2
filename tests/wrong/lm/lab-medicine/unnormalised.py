"""Returns the logs of smoothed counts without dividing by the context's total: rows are not distributions."""

from collections import Counter

import numpy as np


class LanguageModel:
    """Interpolated trigram with add-k smoothing."""

    def __init__(self, k=0.1, weights=(0.1, 0.3, 0.6)):
        self.k, self.weights = k, weights

    def fit(self, text, alphabet):
        self.alphabet = alphabet
        self.counts = [
            Counter(text[i : i + n] for i in range(len(text) - n + 1)) for n in (1, 2, 3)
        ]
        self.totals = [Counter(), Counter(), Counter()]
        for n in (1, 2, 3):
            for gram, c in self.counts[n - 1].items():
                self.totals[n - 1][gram[:-1]] += c
        return self

    def _probs(self, history):
        V = len(self.alphabet)
        p = np.zeros(V)
        for n, w in zip((1, 2, 3), self.weights, strict=True):
            h = history[len(history) - (n - 1) :] if n > 1 else ""
            counts = np.array([self.counts[n - 1][h + c] for c in self.alphabet], dtype=float)
            p += w * (counts + self.k)
        return p

    def log_probs(self, contexts):
        return np.log(np.array([self._probs(c) for c in contexts]))
