"""Course markdown with LaTeX math: one walk over the text for every renderer.

Lessons, prompts and hints write math as ``$...$`` (inline) and ``$$...$$`` (display).
The terminal shows it as Unicode text (lmschool.cli.mathtext), the web as MathML
(lmschool.web.render); both go through :func:`replace_math`, which leaves fenced code
alone (a ``$`` in code is code) and removes a source line break between two Chinese
characters (no space in Chinese).
"""

from __future__ import annotations

import re
from collections.abc import Callable

FENCE = re.compile(r"^(```|~~~)")
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
# inline math may wrap onto the next line of the source, never across a blank line
INLINE_MATH = re.compile(r"(?<![\\$])\$((?:[^$\n]|\n(?![ \t]*\n))+?)\$")

_CJK = "\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\uff01-\uff60"
CJK_SOFT_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


def replace_math(
    text: str, *, display: Callable[[str], str], inline: Callable[[str], str]
) -> str:
    """``text`` with each display formula replaced by ``display(latex)`` and each inline
    one by ``inline(latex)``, outside fenced code blocks."""
    out: list[str] = []
    chunk: list[str] = []
    in_fence = False

    def flush() -> None:
        if chunk:
            body = DISPLAY_MATH.sub(lambda m: display(m.group(1).strip()), "\n".join(chunk))
            body = INLINE_MATH.sub(lambda m: inline(m.group(1)), body)
            out.append(CJK_SOFT_BREAK.sub("", body))
            chunk.clear()

    for line in text.splitlines():
        if FENCE.match(line.lstrip()):
            if not in_fence:
                flush()
            in_fence = not in_fence
            out.append(line)
        elif in_fence:
            out.append(line)
        else:
            chunk.append(line)
    flush()
    return "\n".join(out)
