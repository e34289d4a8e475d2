"""Constrained decoding: the tokens a poem of a given form allows next."""

import re  # noqa: F401

import numpy as np  # noqa: F401

END = "\n"


def allowed_next(text, form, vocab):
    # TODO: a boolean array of shape (len(vocab),): True for the tokens that may follow text
    raise NotImplementedError("allowed_next: write your code here")
