"""LaTeX math as readable Unicode for the terminal (the web renders MathML instead).

A terminal cannot typeset ``\\frac{x - \\mu}{\\sigma}``, and showing the source is hard
to read; but a plain text converter that drops braces changes the meaning
(``x - μ/σ``). This one keeps the structure: fractions become ``(x − μ)/σ`` with
parentheses only where the reading needs them, roots ``√(d_k)``, sub- and superscripts
use Unicode's small letters where every character has one (``x₁``, ``σ²``, ``W_hh``
otherwise), accents combine (``ŷ``), and named symbols come from pylatexenc's table
(``\\mu`` → μ, ``\\mathbb{R}`` → ℝ, ``\\leftarrow`` → ←). The LaTeX source stays in the
course files; only the terminal shows this.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexEnvironmentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexSpecialsNode,
    LatexWalker,
    LatexWalkerError,
)

SUB = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))
SUP = dict(
    zip(
        "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVW",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂ",
        strict=True,
    )
)
SUP |= {"⊤": "ᵀ", "T": "ᵀ", "*": "*", "′": "′", "'": "′", "∞": "^∞"}
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}
TEXT_MACROS = (
    "text",
    "mathrm",
    "mathbf",
    "mathit",
    "mathsf",
    "mathtt",
    "operatorname",
    "boldsymbol",
)
SPACES = {",": " ", ";": " ", ":": " ", "!": "", "quad": "  ", "qquad": "   ", " ": " "}
DROP = (
    "left",
    "middle",
    "right",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "displaystyle",
    "limits",
    "nolimits",
)
OPERATORS = "+-−=<>≤≥≈·×/ ,"
DOUBLE_STRUCK = dict(zip("RNZQCEP", "ℝℕℤℚℂ𝔼ℙ", strict=True))
RELATIONS = set("←→⇐⇒↔⇔≈≤≥≠∈∉⊂⊆∼∝≡≜")


@lru_cache(maxsize=1)
def _symbols() -> LatexNodes2Text:
    return LatexNodes2Text(math_mode="text")


def to_unicode(latex: str) -> str:
    """``latex`` (math-mode source, without the ``$``) as Unicode text."""
    try:
        nodes, _, _ = LatexWalker(latex, tolerant_parsing=True).get_latex_nodes()
    except (LatexWalkerError, IndexError, ValueError):
        return latex
    text = _render(nodes or [])
    if not text.strip():
        return latex.strip()
    # NFC: an accent combined with its letter where Unicode has one (y + ^ -> ŷ)
    return unicodedata.normalize("NFC", " ".join(text.replace("-", "−").split()))


def _render(nodes: list) -> str:
    out: list[str] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        if isinstance(node, LatexCharsNode):
            chars = node.chars
            j = 0
            while j < len(chars):
                c = chars[j]
                if c in "_^":
                    if j + 1 < len(chars):
                        arg, j = chars[j + 1], j + 2
                    else:  # the script is the next node (a group or a macro)
                        arg = _render([nodes[i + 1]]) if i + 1 < len(nodes) else ""
                        i += 1
                        j += 1
                    out.append(_script(arg, SUB if c == "_" else SUP, c))
                    continue
                out.append(c)
                j += 1
        elif isinstance(node, LatexGroupNode):
            out.append(_render(node.nodelist or []))
        elif isinstance(node, LatexMacroNode) and node.macroname in BRACES:
            # \underbrace{n_in × n_out}_{weights}: the labelled term, then "(weights)"
            args = _args(node)
            label = ""
            nxt = nodes[i + 1] if i + 1 < len(nodes) else None
            if isinstance(nxt, LatexCharsNode) and nxt.chars[:1] in ("_", "^"):
                if len(nxt.chars) > 1:
                    label = nxt.chars[1]
                    rest = nxt.chars[2:]
                    nodes = [*nodes[: i + 1], _chars_like(nxt, rest), *nodes[i + 2 :]]
                else:
                    label = _render([nodes[i + 2]]) if i + 2 < len(nodes) else ""
                    nodes = [*nodes[: i + 1], *nodes[i + 3 :]]
            out.append((args[0] if args else "") + (f" ({label.strip()})" if label else ""))
        elif isinstance(node, LatexMacroNode):
            out.append(_macro(node) + (" " if getattr(node, "macro_post_space", "") else ""))
        elif isinstance(node, LatexMathNode | LatexEnvironmentNode):  # aligned, cases, ...
            out.append(_render(node.nodelist or []))
        elif isinstance(node, LatexSpecialsNode):
            out.append(
                {"~": " ", "&": " ", "\\\\": "; "}.get(node.specials_chars, node.specials_chars)
            )
        elif isinstance(node, LatexCommentNode):
            pass
        i += 1
    return "".join(out)


BRACES = ("underbrace", "overbrace")


def _chars_like(node: LatexCharsNode, chars: str) -> LatexCharsNode:
    """A characters node holding ``chars`` in place of ``node``'s."""
    return LatexCharsNode(parsing_state=node.parsing_state, chars=chars, pos=node.pos, len=node.len)


def _args(node: LatexMacroNode) -> list[str]:
    argd = node.nodeargd
    if argd is None:
        return []
    return [_render([a]) for a in argd.argnlist if a is not None]


def _macro(node: LatexMacroNode) -> str:
    name = node.macroname
    args = _args(node)
    if name == "frac" or name in ("dfrac", "tfrac"):
        num, den = (args + ["", ""])[:2]
        return f"{_wrap(num)}/{_wrap(den)}"
    if name == "sqrt":
        return "√" + _wrap(args[-1] if args else "")
    if name in TEXT_MACROS:
        return args[0] if args else ""
    if name in ACCENTS:
        base = args[0] if args else ""
        return base + ACCENTS[name] if len(base) == 1 else f"{base}{ACCENTS[name]}"
    if name in SPACES:
        return SPACES[name]
    if name in DROP:
        return ""
    if name in ("top", "intercal"):
        return "⊤"
    if name in ("cdot", "cdotp"):
        return "·"
    if name == "mid":
        return " | "
    # Greek letters, arrows, relations, \mathbb{R}, \sum, \log, ...: pylatexenc's table
    if name == "mathbb":
        return "".join(DOUBLE_STRUCK.get(c, c) for c in "".join(args))
    text = _symbols().latex_to_text("\\" + name).strip()
    if not text:  # a macro pylatexenc does not know: keep what it wraps
        return "".join(args)
    if name == "mathbb":
        return "".join(DOUBLE_STRUCK.get(c, c) for c in "".join(args))
    return (f" {text} " if text in RELATIONS else text) + "".join(args)


def _wrap(text: str) -> str:
    """Parentheses around ``text`` unless it reads as one token (``x``, ``σ``, ``d_k``)."""
    t = text.strip()
    if len(t) <= 1 or not any(c in OPERATORS for c in t):
        return t
    if t.startswith("(") and t.endswith(")") and t.count("(") == 1:
        return t
    return f"({t})"


def _script(arg: str, table: dict[str, str], mark: str) -> str:
    arg = arg.strip()
    if arg and all(c in table for c in arg):
        return "".join(table[c] for c in arg)
    if len(arg) <= 1 or all(c.isdigit() or c in ".-−" for c in arg):
        return mark + arg  # N_c, x^0.076: unambiguous without parentheses
    return f"{mark}({arg})"  # W_(hy)h: where the script ends is visible


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def markdown_math(latex: str) -> str:
    """``to_unicode`` escaped for Markdown, so ``W_hh`` is not read as emphasis."""
    return to_unicode(latex).translate(_MD_SPECIAL)
