"""Exercises in Jupyter: the same learning loop as the terminal, inside a notebook.

``lmschool notebook ID`` writes a notebook for an exercise (its lesson's text and code
cells, the prompt, the starter); inside it::

    from lmschool.notebook import exercise
    ex = exercise("pipeline/preprocessing/scaler")
    ex.check()      # grades your cell in the sandbox; the result appears as a table
    ex.hint()       # the next hint
    ex.solution()   # the reference, under the same unlock rules as `lmschool solution`

``check()`` grades the source of the most recent cell that defines every name the
exercise asks for (``def standardize``, ``class Scaler``), exactly as ``lmschool check``
grades a file: in the sandbox, recorded in the same progress store, with the same
result. Nothing of the notebook's own namespace is trusted or sent: only that cell's
text. Pass ``ex.check(source)`` to grade other code.
"""

from __future__ import annotations

import ast
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lmschool.cli.text  # noqa: F401  (registers the interface strings used below)
from lmschool.config import get_settings
from lmschool.course import CodeExercise, Exercise, QuizExercise
from lmschool.grading.result import Result
from lmschool.i18n import Lang, pick, t

_SESSIONS: dict[tuple[str, ...], Any] = {}  # one Learning per set of extra packs, per kernel


def exercise(exercise_id: str, *, lang: Lang | None = None, course: list[str] | None = None):
    """The handle of exercise ``exercise_id`` for this notebook's learner."""
    return NotebookExercise(exercise_id, lang=lang, course=course)


def _learning(course: list[str] | None) -> Any:
    from lmschool.learning import Learning, load_catalog

    key = tuple(course or ())
    if key not in _SESSIONS:
        settings = get_settings()
        catalog = load_catalog(settings, [Path(p) for p in key])
        _SESSIONS[key] = Learning(settings, catalog)
    return _SESSIONS[key]


def defined_names(source: str) -> set[str]:
    """Top-level names a cell defines (functions, classes, assignments, imports)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                names |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def latest_cell_defining(names: list[str], history: list[str]) -> str | None:
    """The most recent cell of ``history`` (IPython's ``In``) that defines all ``names``."""
    for cell in reversed(history):
        if cell and set(names) <= defined_names(cell):
            return cell
    return None


class NotebookExercise:
    def __init__(
        self, exercise_id: str, *, lang: Lang | None = None, course: list[str] | None = None
    ) -> None:
        self._course = course
        self._session = _learning(course)
        self.exercise: Exercise = self._session.catalog.exercise(exercise_id)
        from lmschool.i18n import detect_lang

        self.lang: Lang = lang or get_settings().lang or detect_lang()

    def __repr__(self) -> str:
        return f"<lmschool exercise {self.exercise.id}>"

    # -- the loop ------------------------------------------------------------------
    def check(self, source: str | None = None, answer: str | None = None) -> ResultView:
        """Grade your code (the latest cell defining the exercise's names) or a quiz answer."""
        ex = self.exercise
        if isinstance(ex, QuizExercise):
            if answer is None and source is None:
                raise ValueError(t("nb.quiz_needs_answer", self.lang, id=ex.id))
            result = self._session.check_quiz(ex, answer if answer is not None else str(source))
            return ResultView(result, self.lang)
        assert isinstance(ex, CodeExercise)
        if source is None:
            source = latest_cell_defining(ex.names, _history())
            if source is None:
                raise LookupError(t("nb.no_cell", self.lang, names=", ".join(ex.names)))
        return ResultView(self._session.check_code(ex, source), self.lang)

    def question(self) -> TextView:
        """A quiz's question for this learner's variant, with lettered choices."""
        if not isinstance(self.exercise, QuizExercise):
            return TextView(pick(self.exercise.prompt, self.lang), "note")  # type: ignore[union-attr]
        return TextView(self._session.quiz_variant(self.exercise).render(self.lang), "note")

    def hint(self) -> TextView:
        from lmschool.learning import LearningError

        try:
            h = self._session.next_hint(self.exercise)
        except LearningError as exc:
            return TextView(t(exc.key, self.lang, **exc.kwargs), "note")
        head = t("cli.hint", self.lang, n=h.index + 1, total=h.total)
        return TextView(f"{head}\n{h.text[self.lang]}", "hint")

    def solution(self) -> TextView:
        from lmschool.learning import LearningError

        try:
            sol = self._session.solution(self.exercise)
        except LearningError as exc:
            return TextView(t(exc.key, self.lang, **exc.kwargs), "note")
        return TextView(sol.source, "code")


def _history() -> list[str]:
    try:
        from IPython import get_ipython
    except ImportError:  # not in IPython: nothing to search
        return []
    ip = get_ipython()
    if ip is None:
        return []
    cells = list(ip.user_ns.get("In", []))[:-1]  # the last one is the cell calling check()
    return [ip.transform_cell(c) for c in cells]


# --- rendering (HTML in the notebook, text elsewhere) -----------------------------------

_STYLE = (
    "<style>.lms td,.lms th{text-align:left;vertical-align:top;padding:2px 8px}"
    ".lms .ok{color:#1a7f37}.lms .bad{color:#cf222e}.lms pre{white-space:pre-wrap}</style>"
)


@dataclass
class ResultView:
    """A graded result; every learner-provided text in it is escaped."""

    result: Result
    lang: Lang

    @property
    def passed(self) -> bool:
        return self.result.passed

    def _repr_html_(self) -> str:
        r, lang, e = self.result, self.lang, html.escape
        parts = [_STYLE, '<div class="lms">']
        if r.sandbox.warning:
            parts.append(f"<p><b>{e(pick(r.sandbox.warning, lang))}</b></p>")
        if r.error is not None:
            title = e(t("cli.error_kind", lang, kind=r.error.kind))
            parts.append(f'<p class="bad"><b>{title}</b></p><pre>{e(r.error.text(lang))}</pre>')
        if r.checks:
            parts.append(
                "<table><tr><th></th>"
                f"<th>{e(t('cli.col.check', lang))}</th><th>{e(t('cli.col.points', lang))}</th>"
                f"<th>{e(t('cli.col.message', lang))}</th></tr>"
            )
            for c in r.checks:
                mark = '<span class="ok">✓</span>' if c.passed else '<span class="bad">✗</span>'
                parts.append(
                    f"<tr><td>{mark}</td><td>{e(pick(c.title, lang) or c.name)}</td>"
                    f"<td>{c.points:g}/{c.max_points:g}</td>"
                    f"<td><pre>{e(pick(c.message, lang))}</pre></td></tr>"
                )
            parts.append("</table>")
        if r.output:
            tail = "\n".join(r.output.splitlines()[-40:])
            parts.append(f"<details><summary>{e(t('cli.output', lang))}</summary>")
            parts.append(f"<pre>{e(tail)}</pre></details>")
        verdict = t("cli.passed" if r.passed else "cli.failed", lang, score=r.score)
        parts.append(f'<p class="{"ok" if r.passed else "bad"}"><b>{e(verdict)}</b></p></div>')
        return "".join(parts)

    def __repr__(self) -> str:
        r, lang = self.result, self.lang
        lines = []
        if r.error is not None:
            lines.append(f"[{r.error.kind}] {r.error.text(lang)}")
        for c in r.checks:
            lines.append(
                f"{'✓' if c.passed else '✗'} {pick(c.title, lang) or c.name}: {pick(c.message, lang)}"
            )
        lines.append(t("cli.passed" if r.passed else "cli.failed", lang, score=r.score))
        return "\n".join(lines)


@dataclass
class TextView:
    text: str
    kind: str  # "hint", "code", "note"

    def _repr_html_(self) -> str:
        body = html.escape(self.text)
        return f"{_STYLE}<div class='lms lms-{self.kind}'><pre>{body}</pre></div>"

    def __repr__(self) -> str:
        return self.text


# --- writing a notebook ---------------------------------------------------------------


def build_notebook(
    ex: Exercise, lesson_text: str, lesson_title: str, lang: Lang, course: list[str] | None
) -> Any:
    """An nbformat v4 notebook for ``ex``: the lesson, the prompt, your cell, check."""
    import nbformat
    from nbformat import v4

    cells = [v4.new_markdown_cell(f"# {pick(ex.title, lang)}\n\n*{lesson_title}* · `{ex.id}`")]
    cells += _lesson_cells(lesson_text)
    args = f'"{ex.id}", lang="{lang}"' + (f", course={course!r}" if course else "")
    cells.append(v4.new_markdown_cell(t("nb.your_turn", lang)))
    if isinstance(ex, CodeExercise):
        cells.append(v4.new_markdown_cell(pick(ex.prompt, lang)))
        cells.append(
            v4.new_code_cell(f"from lmschool.notebook import exercise\n\nex = exercise({args})")
        )
        starter = ex.starter_path.read_text(encoding="utf-8").rstrip() + "\n"
        cells.append(v4.new_code_cell(starter, metadata={"tags": ["exercise"]}))
        cells.append(v4.new_code_cell("ex.check()"))
    else:
        assert isinstance(ex, QuizExercise)
        cells.append(
            v4.new_code_cell(f"from lmschool.notebook import exercise\n\nex = exercise({args})")
        )
        cells.append(v4.new_code_cell("ex.question()"))
        cells.append(v4.new_code_cell('ex.check(answer="")  # your answer between the quotes'))
    cells.append(v4.new_markdown_cell(t("nb.help", lang)))
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["lmschool"] = {"exercise": ex.id, "lang": lang}
    nbformat.validate(nb)
    return nb


def _lesson_cells(text: str) -> list[Any]:
    """The lesson's Markdown, with each runnable ```python block as a code cell."""
    from nbformat import v4

    cells, chunk, code, fence = [], [], [], None
    for line in text.splitlines():
        if fence is None and line.strip() == "```python":
            fence = "```"
            if "".join(chunk).strip():
                cells.append(v4.new_markdown_cell("\n".join(chunk).strip()))
            chunk = []
            continue
        if fence is not None:
            if line.strip() == fence:
                cells.append(v4.new_code_cell("\n".join(code).rstrip()))
                code, fence = [], None
            else:
                code.append(line)
            continue
        chunk.append(line)
    if "".join(chunk).strip():
        cells.append(v4.new_markdown_cell("\n".join(chunk).strip()))
    return cells
