"""Does not pad the start: counts from position order - 1 of the raw text and scores only from there."""

import math

import numpy as np

START = "\x02"  # the start symbol: never a character of the vocabulary


class CharNGram:
    def __init__(self, order=3, k=1.0):
        self.order = order  # n: the context is the previous n - 1 characters
        self.k = k  # add-k: every character gets k extra counts in every context

    def fit(self, text):
        self.vocab_ = sorted(set(text))
        self.index_ = {c: i for i, c in enumerate(self.vocab_)}
        self.counts_ = {}  # context (str of n - 1 characters) -> counts (V,)
        padded = text
        for i in range(self.order - 1, len(padded)):
            h = padded[i - self.order + 1 : i]
            if h not in self.counts_:
                self.counts_[h] = np.zeros(len(self.vocab_))
            self.counts_[h][self.index_[padded[i]]] += 1
        return self

    def _context(self, context):
        return context[len(context) - (self.order - 1) :] if self.order > 1 else ""

    def next_log_probs(self, context):
        """ln P(c | context) for every c in vocab_, shape (V,)."""
        if not hasattr(self, "counts_"):
            raise RuntimeError("CharNGram is not fitted yet: call fit(text) first")
        V = len(self.vocab_)
        counts = self.counts_.get(self._context(context), np.zeros(V))
        return np.log((counts + self.k) / (counts.sum() + self.k * V))

    def bits_per_char(self, text):
        """Mean of -log2 P(c_t | c_<t) over the characters of text (padded at its start)."""
        padded = text
        nats = 0.0
        for i in range(self.order - 1, len(padded)):
            h = padded[i - self.order + 1 : i]
            nats -= self.next_log_probs(h)[self.index_[padded[i]]]
        return nats / (len(text) - self.order + 1) / math.log(2)  # nats -> bits

    def perplexity(self, text):
        return 2.0 ** self.bits_per_char(text)
