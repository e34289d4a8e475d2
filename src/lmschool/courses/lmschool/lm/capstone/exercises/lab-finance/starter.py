"""Capstone lab: the best character-level language model you can train in the budget.

The grader calls, in the sandbox, with one CPU thread:

    model = LanguageModel().fit(text, alphabet)
    model.log_probs(contexts)   # contexts: a list of strings (up to CONTEXT characters,
                                # some shorter or empty); returns an array (N, len(alphabet))
                                # of natural-log probabilities of the next character, in the
                                # order of `alphabet`; every row must sum to 1 after exp

Inside, use any tokenizer and model you like (counts, a GPT from lmschool.ml.nn.gpt, a mix):
only the next-character distributions are graded, in bits per character on hidden text.
"""

import numpy as np  # noqa: F401 (NumPy, torch and lmschool.ml are importable)


class LanguageModel:
    def __init__(self):
        pass  # store hyperparameters only (with defaults)

    def fit(self, text, alphabet):
        # TODO: learn from `text` (a str); `alphabet` (a str) lists every character that
        # may occur, in the order of log_probs' columns. Return self.
        raise NotImplementedError("LanguageModel.fit: write your code here")

    def log_probs(self, contexts):
        # TODO: for each context, ln P(next character | context) for every character of
        # the alphabet: an array of shape (len(contexts), len(alphabet)).
        raise NotImplementedError("LanguageModel.log_probs: write your code here")
