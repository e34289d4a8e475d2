"""A character n-gram language model with add-k smoothing.

P(c | h) = (count(h, c) + k) / (count(h) + k * V), where h is the previous order - 1
characters (padded with a start symbol at the beginning of a text) and V = len(vocab_).
"""

import numpy as np  # noqa: F401


class CharNGram:
    def __init__(self, order=3, k=1.0):
        self.order = order  # n: the context is the previous n - 1 characters
        self.k = k  # add-k: every character gets k extra counts in every context

    def fit(self, text):
        # TODO: vocab_ = sorted characters of text; count (context, next character) pairs,
        # with order - 1 start symbols in front of the text; return self
        raise NotImplementedError("CharNGram.fit: write your code here")

    def next_log_probs(self, context):
        """ln P(c | context) for every c in vocab_, shape (V,)."""
        raise NotImplementedError("CharNGram.next_log_probs: write your code here")

    def bits_per_char(self, text):
        """Mean of -log2 P(c_t | c_<t) over the characters of text (padded at its start)."""
        raise NotImplementedError("CharNGram.bits_per_char: write your code here")

    def perplexity(self, text):
        raise NotImplementedError("CharNGram.perplexity: write your code here")
