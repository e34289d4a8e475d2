"""Lab (general): a character-level model of names."""

import numpy as np  # noqa: F401 (NumPy, torch and lmschool.ml are importable)


class NameModel:
    """fit(names); log_prob(names) -> natural-log probability of each whole name, end included."""

    def __init__(self):
        pass  # store hyperparameters only (with defaults)

    def fit(self, names):
        # TODO: learn P(next character | previous characters) from the names; return self
        raise NotImplementedError("NameModel.fit: write your code here")

    def log_prob(self, names):
        # TODO: for each name, sum log P(c_i | c_<i) over its letters AND the end-of-name token
        raise NotImplementedError("NameModel.log_prob: write your code here")

    def sample(self, n, seed=0):
        # TODO: n new names drawn letter by letter until the end token (same seed, same names)
        raise NotImplementedError("NameModel.sample: write your code here")
