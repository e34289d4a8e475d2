"""Line breaking for Chinese (and mixed Chinese-Latin) text in the terminal.

Rich wraps text at ASCII spaces only. A Chinese sentence has none, so Rich either moves
a whole clause to the next line (leaving the line before half empty) or, when the clause
is wider than the line, chops it at any character, so that a line may start with
``，`` or ``。``. Chinese typesetting breaks between any two ideographs, never before
closing punctuation nor after opening punctuation (the kinsoku rules of CLREQ/JLREQ),
and never inside a Latin word.

:func:`divide_line` is a drop-in for ``rich._wrap.divide_line`` (same signature, same
result for text without wide characters) that implements those rules; :func:`install`
makes every Rich ``Text`` use it, so lessons, hints, tables and check messages all wrap
the same way. Widths are display cells (Rich's ``cell_len``, which follows wcwidth:
an ideograph is 2 cells).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rich import text as _rich_text
from rich._wrap import divide_line as _rich_divide_line
from rich.cells import cell_len, chop_cells

# No line may start with these (closing brackets and quotes, sentence and clause marks,
# iteration and prolonged-sound marks, small kana are left out: not used in the course).
NO_START = set("，。、；：！？）］｝〕〉》」』】〙〗”’…‥·・ー々〻%‰,.;:!?)]}")
# No line may end with these (opening brackets and quotes).
NO_END = set("（［｛〔〈《「『【〘〖“‘([{")

_SPACE = re.compile(r"\s")


@lru_cache(maxsize=4096)
def is_wide(ch: str) -> bool:
    """A character that Chinese typesetting may break around: wide or fullwidth."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def segments(text: str) -> list[str]:
    """Cut text into the pieces a line may break between.

    A break is allowed after whitespace, and between two characters of which one is
    wide (an ideograph, fullwidth punctuation), except before a character of
    :data:`NO_START` or after one of :data:`NO_END`. Latin words, numbers and code
    spans without spaces are never cut. Whitespace stays at the end of its segment.
    """
    out: list[str] = []
    start = 0
    n = len(text)
    for i in range(1, n):
        prev, ch = text[i - 1], text[i]
        if _SPACE.match(ch):
            continue  # whitespace belongs to the segment before it
        breakable = bool(_SPACE.match(prev)) or is_wide(prev) or is_wide(ch)
        if breakable and ch not in NO_START and prev not in NO_END:
            out.append(text[start:i])
            start = i
    if start < n:
        out.append(text[start:])
    return out


def divide_line(text: str, width: int, fold: bool = True) -> list[int]:
    """Offsets at which to break ``text`` so that each line fits in ``width`` cells.

    Greedy, as Rich's: each segment goes on the current line if it fits there
    (trailing whitespace may hang over the edge), else it starts a new line; a segment
    wider than a whole line is folded by cells (or cropped when ``fold`` is false).
    """
    if not any(is_wide(ch) for ch in text):
        return _rich_divide_line(text, width, fold=fold)
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    pos = 0  # index in text of the segment at hand
    for seg in segments(text):
        seg_width = cell_len(seg.rstrip())
        if width - offset >= seg_width:
            offset += cell_len(seg)
        elif seg_width > width:
            if pos and offset:
                breaks.append(pos)
            if fold:
                pieces = chop_cells(seg, width)
                cut = pos
                for piece in pieces[:-1]:
                    cut += len(piece)
                    breaks.append(cut)
                offset = cell_len(pieces[-1])
            else:
                offset = cell_len(seg)
        elif offset and pos:
            breaks.append(pos)
            offset = cell_len(seg)
        pos += len(seg)
    return breaks


def install() -> None:
    """Make Rich's ``Text.wrap`` break lines with :func:`divide_line` (idempotent)."""
    _rich_text.divide_line = divide_line
