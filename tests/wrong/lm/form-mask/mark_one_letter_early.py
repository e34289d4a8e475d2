"""Allows the line's mark as soon as n - 1 letters are written (an off-by-one on the line length)."""

import re

import numpy as np

END = "\n"


def allowed_next(text, form, vocab):
    lines = [(int(n), mark) for n, mark in re.findall(r"(\d+)(\D)", form)]
    letters = np.array([len(t) == 1 and t.isalpha() for t in vocab])  # never END, □ or a mark
    pos = 0
    for n, mark in lines:
        line = text[pos : pos + n + 1]  # this line and its mark, as far as written
        if not all(c.isalpha() for c in line[:n]):
            raise ValueError(f"{text!r} is not the start of a poem of form {form!r}")
        if len(line) < n - 1:
            return letters.copy()  # inside the line: any letter
        if len(line) in (n - 1, n):
            return np.array([t == mark for t in vocab])  # the line is full: its mark
        if line[n] != mark:
            raise ValueError(f"{text!r} is not the start of a poem of form {form!r}")
        pos += n + 1
    if len(text) > pos:
        raise ValueError(f"{text!r} is longer than a poem of form {form!r}")
    return np.array([t == END for t in vocab])  # the poem is complete
