"""Chinese text wraps as Chinese typesetting does, measured in display cells (wcwidth).

Every Chinese text of the bundled pack that the terminal shows (lesson paragraphs and
list items, exercise prompts, hints, quiz questions and explanations) is printed through
the CLI's console at 80 and 60 columns. For every printed line:

- it fits the width (wcwidth.wcswidth);
- it does not start with closing punctuation (，。、；：！？）」 ...);
- it does not end with opening punctuation (（「 ...);
- no Latin word is split in two: the line ends and the next begins with a Latin
  letter or digit only where the text had a space (or a line break) there;
- it is not half empty: a line that is not the last of its paragraph is full enough
  that the next line's first piece would not have fitted on it.
"""

from __future__ import annotations

import re

import pytest
import wcwidth
from markdown_it import MarkdownIt
from rich.console import Console
from rich.text import Text

from lmschool.cli import linebreak
from lmschool.cli.render import Markdown, terminal_markdown
from lmschool.course import Catalog, CodeExercise, QuizExercise
from lmschool.course.quiz import make_variant
from lmschool.grading.grader import seed_for
from tests.conftest import TESTPACK

CATALOG = Catalog.load([TESTPACK], include_bundled=True)
MD = MarkdownIt("commonmark")
LATIN = re.compile(r"[A-Za-z0-9_]")


def _paragraphs(markdown: str) -> list[str]:
    """The prose of a Markdown text (paragraphs, list items), as the terminal shows it."""
    shown = terminal_markdown(markdown)
    return [
        t.content
        for t in MD.parse(shown)
        if t.type == "inline" and re.search("[\u4e00-\u9fff]", t.content)
    ]


def _texts() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for course in CATALOG.courses:
        for lesson in course.lessons():
            found += [(lesson.id, p) for p in _paragraphs(lesson.text("zh"))]
    for ex in CATALOG.exercises():
        found += [(f"{ex.id} hint", h) for h in ex.hints.get("zh", [])]
        if isinstance(ex, CodeExercise):
            found += [(f"{ex.id} prompt", p) for p in _paragraphs(ex.prompt["zh"])]
        if isinstance(ex, QuizExercise):
            v = make_variant(ex, seed_for("ada", ex.id))
            found += [(f"{ex.id} question", p) for p in _paragraphs(v.render("zh"))]
            if v.explanation:
                found.append((f"{ex.id} explanation", v.explanation["zh"]))
    return found


TEXTS = _texts()


def _lines(text: str, width: int) -> list[str]:
    console = Console(width=width, markup=False, color_system=None, highlight=False)
    with console.capture() as cap:
        console.print(Text(text))
    return cap.get().rstrip("\n").split("\n")


def _problems(text: str, width: int) -> list[str]:
    """What is wrong with the way the CLI's console wraps ``text`` at ``width``."""
    text = " ".join(text.split())
    lines = [line.rstrip() for line in _lines(text, width)]
    problems: list[str] = []
    breaks, pos = [], 0  # where in text each printed line ends
    for i, line in enumerate(lines):
        while pos < len(text) and text[pos] == " " and not text.startswith(line, pos):
            pos += 1
        if not text.startswith(line, pos):
            return [f"line {i + 1} {line!r} is not the text at {pos}: {text[pos : pos + 40]!r}"]
        pos += len(line)
        breaks.append(pos)
        if wcwidth.wcswidth(line) > width:
            problems.append(f"line {i + 1} is {wcwidth.wcswidth(line)} cells wide: {line!r}")
        if line[:1] in linebreak.NO_START:
            problems.append(f"line {i + 1} starts with {line[0]!r}: {line!r}")
        if line[-1:] in linebreak.NO_END:
            problems.append(f"line {i + 1} ends with {line[-1]!r}: {line!r}")
    for i, b in enumerate(breaks[:-1]):
        rest = text[b:].lstrip(" ")
        if not rest:
            continue
        word = re.match(r"\S*", text[:b][::-1]).group(0)[::-1] + re.match(r"\S*", rest).group(0)
        if (
            text[b] != " "
            and LATIN.match(text[b - 1])
            and LATIN.match(text[b])
            and wcwidth.wcswidth(word) <= width
        ):
            problems.append(f"line {i + 1} splits {word!r}")
        first = linebreak.segments(rest)[0].rstrip()
        used = wcwidth.wcswidth(lines[i]) + (1 if text[b] == " " else 0)
        if wcwidth.wcswidth(first) <= width - used:
            problems.append(f"line {i + 1} is half empty: {first!r} would fit after {lines[i]!r}")
    return problems


@pytest.mark.parametrize("width", [80, 60])
def test_chinese_course_text_wraps_as_chinese_typesetting(width: int) -> None:
    assert len(TEXTS) > 500, "the pack's Chinese texts were not found"
    bad = []
    for where, text in TEXTS:
        bad += [f"{where}: {p}" for p in _problems(text, width)]
    assert not bad, f"{len(bad)} problems, first ones:\n" + "\n".join(bad[:15])


def test_breaks_between_ideographs_not_before_closing_punctuation() -> None:
    text = "训练到时间用完为止，而不是训练固定的步数。这样模型都能用满预算"
    lines = _lines(text, 20)
    assert lines[1:3] == ["而不是训练固定的步", "数。这样模型都能用满"], lines  # 。 takes 数 along
    assert all(line[:1] not in linebreak.NO_START for line in lines)
    assert "".join(line.rstrip() for line in lines) == text
    assert all(wcwidth.wcswidth(line.rstrip()) <= 20 for line in lines)


def test_latin_words_and_code_are_not_cut() -> None:
    text = "把 `order[n_test:]` 当作测试集之前，请先调用 np.random.default_rng(seed) 打乱顺序。"
    for width in range(28, 60):  # the longest word is 27 cells: wider than that, none is folded
        lines = _lines(text, width)
        joined = "\n".join(lines)
        assert "`order[n_test:]`" in joined, (width, lines)
        assert "np.random.default_rng(seed)" in joined, (width, lines)


def test_no_half_empty_lines_at_ascii_spaces() -> None:
    """Rich alone moves a whole space-free Chinese clause to the next line."""
    text = "在本机上它输出 0.979：训练 200 步、只用了几秒钟，远远落后于 6 元模型的 0.594，这是预算在起作用。"
    lines = _lines(text, 30)
    assert all(wcwidth.wcswidth(line.rstrip()) >= 26 for line in lines[:-1]), lines


def test_english_wraps_exactly_as_rich_does() -> None:
    from rich._wrap import divide_line as rich_divide_line

    text = "A plain English sentence that wraps exactly as Rich wraps it, with no change at all."
    for width in range(10, 90, 7):
        assert linebreak.divide_line(text, width) == rich_divide_line(text, width)


def test_lesson_markdown_joins_chinese_source_lines_without_a_space() -> None:
    console = Console(width=80, markup=False, color_system=None)
    with console.capture() as cap:
        console.print(Markdown(terminal_markdown("第一行的末尾\n第二行的开头，English\nwords")))
    out = cap.get()
    assert "第一行的末尾第二行的开头" in out
    assert "English words" in out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_progress_table_fits_80_columns_without_breaking_ids(lang: str) -> None:
    from lmschool.cli.render import progress_table

    console = Console(width=80, markup=False, color_system=None)
    with console.capture() as cap:
        console.print(progress_table(CATALOG, {}, "ada", lang))
    lines = cap.get().splitlines()
    assert all(wcwidth.wcswidth(line.rstrip()) <= 80 for line in lines)
    header = next(line for line in lines if "Exercise" in line or "练习" in line)
    for col in ("cli.col.status", "cli.col.best", "cli.col.attempts", "cli.col.hints"):
        from lmschool.i18n import t

        assert t(col, lang) in header, f"column {t(col, lang)!r} is cropped: {header!r}"
    first_cells = [line[:28].strip() for line in lines]
    for ex in CATALOG.exercises():
        name = ex.id.rsplit("/", 1)[1]
        assert name in first_cells, f"{ex.id}: its name is not whole in the first column"
    assert "…" not in cap.get(), "nothing is cut off"


def test_lesson_code_is_wrapped_never_cropped_at_80_columns() -> None:
    """Every line of every code block of every lesson reaches an 80-column terminal whole."""
    from lmschool.cli.render import lesson_view

    console = Console(width=80, markup=False, color_system=None)
    for lesson in CATALOG.lessons():
        with console.capture() as cap:
            console.print(lesson_view(lesson, "en", {}))
        flat = "".join(cap.get().split())
        for token in MD.parse(lesson.text("en")):
            if token.type != "fence":
                continue
            for line in token.content.splitlines():
                piece = "".join(line.split())
                assert piece in flat, f"{lesson.id}: code line cropped at 80 columns: {line!r}"
