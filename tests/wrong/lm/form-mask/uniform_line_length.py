"""Finds the position in the line with len(text) % (n + 1) using the first line's length for every line."""

import re

import numpy as np

END = "\n"


def allowed_next(text, form, vocab):
    lines = [(int(n), mark) for n, mark in re.findall(r"(\d+)(\D)", form)]
    letters = np.array([len(t) == 1 and t.isalpha() for t in vocab])  # never END, □ or a mark
    n = lines[0][0]
    total = sum(k + 1 for k, _ in lines)
    if len(text) > total:
        raise ValueError(f"{text!r} is longer than a poem of form {form!r}")
    if len(text) < total:
        line, col = divmod(len(text), n + 1)  # every line is n letters and a mark
        if col < n:
            return letters.copy()
        return np.array([t == lines[min(line, len(lines) - 1)][1] for t in vocab])
    return np.array([t == END for t in vocab])  # the poem is complete
