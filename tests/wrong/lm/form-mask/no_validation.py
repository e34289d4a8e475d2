"""Never checks the text: a broken poem gets a mask instead of a ValueError."""

import re

import numpy as np

END = "\n"


def allowed_next(text, form, vocab):
    lines = [(int(n), mark) for n, mark in re.findall(r"(\d+)(\D)", form)]
    letters = np.array([len(t) == 1 and t.isalpha() for t in vocab])  # never END, □ or a mark
    pos = 0
    for n, mark in lines:
        line = text[pos : pos + n + 1]  # this line and its mark, as far as written
        if len(line) < n:
            return letters.copy()  # inside the line: any letter
        if len(line) == n:
            return np.array([t == mark for t in vocab])  # the line is full: its mark
        pos += n + 1
    return np.array([t == END for t in vocab])  # the poem is complete
