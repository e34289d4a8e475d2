"""Lab: a model that writes Tang quatrains."""

import numpy as np  # noqa: F401
import torch  # noqa: F401

END, UNK = "\n", "□"


class PoetModel:
    """fit(poems, vocab); next_log_probs(contexts) -> (N, V) log-probabilities; write(form, seed)."""

    def __init__(self):
        pass  # store hyperparameters only (with defaults)

    def fit(self, poems, vocab):
        # TODO: learn P(next token | the poem so far) from the poems; return self
        raise NotImplementedError("PoetModel.fit: write your code here")

    def next_log_probs(self, contexts):
        # TODO: (len(contexts), len(vocab)) natural-log probabilities of the token after each context
        raise NotImplementedError("PoetModel.next_log_probs: write your code here")

    def write(self, form, seed=0):
        # TODO: sample a poem of this form ("5，5。5，5。" or "7，7。7，7。") under the form's mask
        raise NotImplementedError("PoetModel.write: write your code here")
