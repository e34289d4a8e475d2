"""Course text reaches the terminal exactly: no brackets or code eaten as markup.

Every hint, quiz question, choice and explanation, exercise title and prompt of every
bundled pack is printed through the CLI's own console and renderers, in both
languages; each code span (`...`) and each bracketed expression must come out intact.
(Hints such as ``train = order[n_test:]`` used to print as ``train = order``.)
"""

from __future__ import annotations

import re

import pytest

from lmschool.cli.render import console, exercise_header
from lmschool.course import Catalog, CodeExercise, QuizExercise
from lmschool.course.quiz import make_variant
from lmschool.grading.grader import seed_for
from lmschool.i18n import LANGS
from tests.conftest import TESTPACK

CATALOG = Catalog.load([TESTPACK], include_bundled=True)
SPAN = re.compile(r"`([^`\n]+)`")
BRACKETS = re.compile(r"\[[^\[\]\n]{1,60}\]")
BOX = re.compile(r"[\s│┃|]")


def _flat(text: str) -> str:
    return BOX.sub("", text)


def _printed(renderable: object) -> str:
    """Printed by the CLI's console, wide enough that no table cell has to fold."""
    width = console.width
    console.width = 400
    try:
        with console.capture() as cap:
            console.print(renderable)
    finally:
        console.width = width
    return cap.get()


def _must_survive(source: str) -> list[str]:
    """Code spans and bracketed expressions (outside math) of a course text."""
    plain = re.sub(r"\$\$.*?\$\$|\$[^$\n]+\$", "", source, flags=re.S)
    return [m.group(1) for m in SPAN.finditer(plain)] + [
        m.group(0) for m in BRACKETS.finditer(SPAN.sub("", plain)) if "](" not in m.group(0)
    ]


def _texts() -> list[tuple[str, str, str, object]]:
    """(exercise id, what, language, renderable) for every plain course text."""
    found = []
    for ex in CATALOG.exercises():
        for lang in LANGS:
            for i, hint in enumerate(ex.hints.get(lang, [])):
                found.append((ex.id, f"hint {i + 1}", lang, hint))
            found.append((ex.id, "title", lang, ex.title[lang]))
            if isinstance(ex, QuizExercise):
                v = make_variant(ex, seed_for("ada", ex.id))
                found.append((ex.id, "question", lang, v.render(lang)))
                if v.explanation:
                    found.append((ex.id, "explanation", lang, v.explanation[lang]))
    return found


TEXTS = _texts()


@pytest.mark.parametrize(("ex_id", "what", "lang", "text"), TEXTS, ids=lambda v: str(v)[:40])
def test_course_text_prints_exactly(ex_id: str, what: str, lang: str, text: str) -> None:
    out = _flat(_printed(text))
    for piece in _must_survive(text):
        assert _flat(piece) in out, f"{ex_id} {what} ({lang}): {piece!r} lost in {out[:300]!r}"


CODE = [ex for ex in CATALOG.exercises() if isinstance(ex, CodeExercise)]


@pytest.mark.parametrize("ex", CODE, ids=lambda e: e.id)
@pytest.mark.parametrize("lang", LANGS)
def test_prompts_keep_their_code_spans(ex: CodeExercise, lang: str) -> None:
    out = _flat(_printed(exercise_header(ex, lang)))
    for piece in [m.group(1) for m in SPAN.finditer(ex.prompt[lang])]:
        if "$" in piece:
            continue
        assert _flat(piece) in out, f"{ex.id} prompt ({lang}): {piece!r} lost"


def test_a_bracketed_hint_is_not_markup() -> None:
    out = _printed("train = order[n_test:] and np.unique(np.concatenate([y_true, y_pred]))")
    assert "order[n_test:]" in out and "[y_true, y_pred]" in out


def test_an_output_flood_does_not_push_the_error_off_screen() -> None:
    from lmschool.cli.render import result_view
    from lmschool.grading.result import CheckResult, ErrorInfo, Result, SandboxInfo

    result = Result(
        exercise="m/l/e",
        passed=False,
        score=0.0,
        checks=[
            CheckResult(
                name="c",
                passed=False,
                points=0,
                max_points=1,
                message={"en": "Not run", "zh": "未运行"},
            )
        ],
        error=ErrorInfo(
            kind="syntax", message={"en": "Syntax error at line 3", "zh": "第 3 行语法错误"}
        ),
        output="\n".join(f"line {i}" for i in range(5000)),
        output_truncated=True,
        sandbox=SandboxInfo(isolated=True, backend="bwrap"),
    )
    out = _printed(result_view(result, "en"))
    assert out.index("Syntax error at line 3") < out.index("Not run")  # the cause first
    assert "line 4999" in out and "line 100\n" not in out
    assert out.count("\n") < 80 and "4960 earlier lines" in out
