"""Rich rendering shared by the commands: results, progress, lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group
from rich.markdown import Markdown as _RichMarkdown
from rich.markdown import TableElement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lmschool.cli import linebreak
from lmschool.course import Catalog, CodeExercise, Exercise, Lesson
from lmschool.course.mathmarkdown import replace_math
from lmschool.grading.result import Result
from lmschool.i18n import Lang, pick, t

if TYPE_CHECKING:  # the store pulls in SQLAlchemy: not needed to render
    from lmschool.store.repo import ExerciseProgress

# Chinese wraps as Chinese typesetting does (between ideographs, never before ，。 or
# inside a Latin word): see lmschool.cli.linebreak.
linebreak.install()

# markup=False: course text (hints with `order[n_test:]`, lessons, messages) is printed
# exactly as written; styles are given with Text(..., style=...), never as [markup].
console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


class _FoldingTable(TableElement):
    """A Markdown table whose cells wrap (fold) instead of ending in "…": nothing a
    learner should read is cut off."""

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]
        for table in super().__rich_console__(console, options):
            for column in table.columns:
                column.overflow = "fold"
            yield table


class Markdown(_RichMarkdown):
    """Rich's Markdown with folding tables."""

    elements = {**_RichMarkdown.elements, "table_open": _FoldingTable}


OUTPUT_LINES = 40  # learner output shown under a result: its last lines


def result_view(result: Result, lang: Lang) -> Group:
    """A result as the terminal shows it: warning, the error first (its cause is what the
    learner must read), the checks, the tail of the output, the verdict."""
    parts: list[object] = []
    if result.sandbox.warning:
        parts.append(Text(pick(result.sandbox.warning, lang), style="bold yellow"))
    if result.error is not None:
        parts.append(
            Panel(
                Text(result.error.text(lang)),
                title=t("cli.error_kind", lang, kind=result.error.kind),
                border_style="red",
            )
        )
    table = Table(
        title=t("cli.result_title", lang, id=result.exercise), show_lines=False, expand=True
    )
    table.add_column("", width=2)
    table.add_column(t("cli.col.check", lang), ratio=1, overflow="fold")
    table.add_column(t("cli.col.points", lang), justify="right", no_wrap=True)
    table.add_column(t("cli.col.message", lang), ratio=3, overflow="fold")
    for c in result.checks:
        mark = Text("✓", style="green") if c.passed else Text("✗", style="red")
        title = pick(c.title, lang) or c.name
        table.add_row(mark, title, f"{c.points:g}/{c.max_points:g}", pick(c.message, lang))
    if result.checks:
        parts.append(table)
    if result.output:
        lines = result.output.splitlines()
        body = "\n".join(lines[-OUTPUT_LINES:])
        if len(lines) > OUTPUT_LINES:
            body = t("cli.output_earlier", lang, n=len(lines) - OUTPUT_LINES) + "\n" + body
        if result.output_truncated:
            body += "\n" + t("cli.output_truncated", lang)
        parts.append(Panel(Text(body), title=t("cli.output", lang), border_style="dim"))
    key = "cli.passed" if result.passed else "cli.failed"
    parts.append(
        Text(t(key, lang, score=result.score), style="bold green" if result.passed else "bold red")
    )
    return Group(*parts)


def status_of(p: ExerciseProgress | None, lang: Lang) -> Text:
    if p is None or p.attempts == 0:
        return Text(t("cli.status.new", lang), style="dim")
    if p.passed:
        return Text(t("cli.status.passed", lang), style="green")
    return Text(t("cli.status.attempted", lang), style="yellow")


class _ProgressTable:
    """The progress table, laid out for the console's width when it is printed.

    Every column gets an explicit width (the widest of its cells, the title column the
    rest): Rich then skips measuring each of a few hundred cells, which took half of
    ``lmschool progress``'s time.
    """

    def __init__(self, title: str, caption: str, header: list[str], rows: list[tuple]) -> None:
        self.title, self.caption, self.header, self.rows = title, caption, header, rows

    def __rich_console__(self, console: Console, options):  # type: ignore[no-untyped-def]
        from rich.cells import cell_len

        def widest(i: int) -> int:
            cells = [self.header[i], *(str(row[0][i]) for row in self.rows if len(row[0]) > i)]
            return max(cell_len(c) for c in cells)

        fixed = {i: widest(i) for i in (0, 2, 3, 4, 5)}
        n = len(self.header)
        # a cell of padding either side of each inner column boundary, the box's n - 1
        # column dividers and its two edges (SIMPLE_HEAD draws them as spaces)
        gaps = 2 * (n - 1) + (n - 1) + 2
        title_width = max(12, options.max_width - sum(fixed.values()) - gaps)
        table = Table(
            title=self.title,
            caption=self.caption,
            box=box.SIMPLE_HEAD,
            pad_edge=False,
            title_justify="left",
            caption_justify="left",
        )
        for i, name in enumerate(self.header):
            if i == 1:
                table.add_column(name, width=title_width, overflow="fold")
            else:
                table.add_column(
                    name, width=fixed[i], no_wrap=True, justify="left" if i < 3 else "right"
                )
        for cells, end in self.rows:
            table.add_row(*cells, end_section=end)
        yield table


def progress_table(
    catalog: Catalog, progress: dict[str, ExerciseProgress], learner: str, lang: Lang
) -> _ProgressTable:
    """Every exercise under its module and lesson, narrow enough for 80 columns.

    An exercise id is ``module/lesson/exercise``: the module heads its group, the lesson
    its subgroup, and each row names the exercise alone (``pipeline``, ``intro``,
    ``layers-quiz``), so no id is folded mid-word; no vertical rules, titles wrap.
    """
    header = [
        t(f"cli.col.{c}", lang)
        for c in ("exercise", "title", "status", "best", "attempts", "hints")
    ]
    rows: list[tuple] = []
    for course in catalog.courses:
        for module in course.modules:
            lessons = [lesson for lesson in module.lessons if lesson.exercises]
            if not lessons:
                continue
            rows.append(
                (
                    (Text(module.id, style="bold"), Text(pick(module.title, lang), style="bold")),
                    False,
                )
            )
            for lesson in lessons:
                name = Text(" " + lesson.id.split("/", 1)[1], style="bold")
                rows.append(((name, Text(pick(lesson.title, lang), style="bold")), False))
                for ex in lesson.exercises:
                    p = progress.get(ex.id)
                    cells = (
                        "  " + ex.id.rsplit("/", 1)[1],
                        pick(ex.title, lang),
                        status_of(p, lang),
                        f"{p.best_score:.0%}" if p and p.attempts else "",
                        str(p.attempts) if p else "0",
                        str(p.hints_seen) if p else "0",
                    )
                    rows.append((cells, False))
            rows[-1] = (rows[-1][0], True)
    return _ProgressTable(
        t("cli.progress_title", lang, learner=learner), t("cli.progress_ids", lang), header, rows
    )


def progress_summary(catalog: Catalog, progress: dict[str, ExerciseProgress], lang: Lang) -> str:
    total = len(catalog.exercises())
    passed = sum(1 for ex in catalog.exercises() if (p := progress.get(ex.id)) and p.passed)
    return t(
        "cli.progress_summary",
        lang,
        passed=passed,
        total=total,
        pct=(passed / total) if total else 0.0,
    )


def exercise_header(ex: Exercise, lang: Lang) -> Group:
    parts: list[object] = [Text(f"{ex.id} · {pick(ex.title, lang)}", style="bold")]
    if isinstance(ex, CodeExercise):
        parts.append(Markdown(terminal_markdown(pick(ex.prompt, lang)), code_theme="monokai"))
        parts.append(Text(t("cli.must_define", lang, names=", ".join(ex.names)), style="cyan"))
    return Group(*parts)


def terminal_markdown(text: str) -> str:
    """Markdown for the terminal: LaTeX math shown as readable Unicode (cli/mathtext.py).

    ``$$...$$`` becomes a paragraph of its own, ``$...$`` inline text (``(x − μ)/σ``);
    the course files keep the LaTeX, which the web renders as MathML. Fenced code
    blocks are left alone (a ``$`` in code is code).
    """
    from lmschool.cli.mathtext import markdown_math

    return replace_math(
        text,
        display=lambda latex: "\n\n> " + markdown_math(latex) + "\n\n",
        inline=markdown_math,
    )


def lesson_view(lesson: Lesson, lang: Lang, progress: dict[str, ExerciseProgress]) -> Group:
    meta = t(
        "cli.lesson_meta",
        lang,
        minutes=lesson.minutes,
        level=lesson.level,
        skills=", ".join(lesson.skills),
    )
    parts: list[object] = [
        Panel(
            Text(pick(lesson.summary, lang)),
            title=f"{lesson.id} · {pick(lesson.title, lang)}",
            subtitle=meta,
        )
    ]
    if lesson.prerequisites:
        parts.append(
            Text(t("cli.prerequisites", lang, ids=", ".join(lesson.prerequisites)), style="dim")
        )
    parts.append(Markdown(terminal_markdown(lesson.text(lang)), code_theme="monokai"))
    if lesson.exercises:
        table = Table(title=t("cli.exercises", lang))
        table.add_column(t("cli.col.exercise", lang), no_wrap=True)
        table.add_column(t("cli.col.kind", lang))
        table.add_column(t("cli.col.title", lang))
        table.add_column(t("cli.col.status", lang))
        for ex in lesson.exercises:
            table.add_row(
                ex.id,
                t(f"cli.kind.{ex.kind}", lang),
                pick(ex.title, lang),
                status_of(progress.get(ex.id), lang),
            )
        parts.append(table)
    return Group(*parts)
