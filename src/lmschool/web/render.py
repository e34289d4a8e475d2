"""Course markdown as HTML: math as MathML made on the server, code by Pygments.

Nothing runs in the browser to typeset: ``$...$`` and ``$$...$$`` become MathML
(latex2mathml) before the markdown is parsed, fenced code is highlighted with Pygments'
CSS classes (the stylesheet is served from /static). Raw HTML in course files is not
passed through (markdown-it's ``html`` option is off), so course text is text.
"""

from __future__ import annotations

import html
import secrets
from functools import lru_cache

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from lmschool.course.mathmarkdown import replace_math

PYGMENTS_STYLE = "friendly"


def _highlight(code: str, lang: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(lang or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return highlight(code, lexer, HtmlFormatter(nowrap=True))


_MD = MarkdownIt("commonmark", {"html": False, "highlight": _highlight}).enable("table")


def mathml(latex: str, *, display: bool) -> str:
    """MathML for ``latex``; a formula latex2mathml cannot read is shown as its source."""
    try:
        return convert(latex, display="block" if display else "inline")
    except Exception:  # latex2mathml raises several types for unsupported input
        return f'<code class="math-source">{html.escape(latex)}</code>'


@lru_cache(maxsize=512)
def markdown_html(text: str) -> str:
    """HTML for a lesson, prompt or hint written in course markdown with math."""
    formulas: dict[str, str] = {}
    nonce = secrets.token_hex(4)

    def keep(latex: str, display: bool) -> str:
        key = f"LMSMATH{nonce}X{len(formulas)}X"
        formulas[key] = mathml(latex, display=display)
        return f"\n\n{key}\n\n" if display else key

    protected = replace_math(
        text,
        display=lambda latex: keep(latex, True),
        inline=lambda latex: keep(latex, False),
    )
    out = _MD.render(protected)
    for key, value in formulas.items():
        out = out.replace(f"<p>{key}</p>", value).replace(key, value)
    return out


def pygments_css() -> str:
    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight, pre code")
