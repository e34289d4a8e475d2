"""The ``lmschool`` command line (Typer + Rich).

Commands are thin: they parse options, call :mod:`lmschool.learning` (or the
grader and course modules directly for the stateless ``grade`` and the author
tools), and render with :mod:`lmschool.cli.render`. Every command takes
``--lang en|zh`` and ``--help``; help text follows ``LMSCHOOL_LANG`` or the locale.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.syntax import Syntax
from rich.text import Text

from lmschool.cli.render import (
    console,
    err_console,
    exercise_header,
    lesson_view,
    progress_summary,
    progress_table,
    result_view,
)
from lmschool.cli.text import help_text
from lmschool.config import Settings, get_settings
from lmschool.course import CodeExercise, CourseError, QuizExercise
from lmschool.course.model import UnknownIdError
from lmschool.i18n import Lang, detect_lang, pick, t

if TYPE_CHECKING:  # the learning loop pulls in the store (SQLAlchemy, Alembic): import when used
    from lmschool.learning import Learning


class LangChoice(StrEnum):
    en = "en"
    zh = "zh"


app = typer.Typer(
    help=help_text("app"), no_args_is_help=True, rich_markup_mode=None, add_completion=False
)
author_app = typer.Typer(help=help_text("author"), no_args_is_help=True, rich_markup_mode=None)
app.add_typer(author_app, name="author")

LangOpt = Annotated[
    LangChoice | None, typer.Option("--lang", help=help_text("lang"), show_default=False)
]
CourseOpt = Annotated[
    list[Path] | None,
    typer.Option("--course", help=help_text("course"), show_default=False, metavar="PATH"),
]
ExerciseArg = Annotated[
    str, typer.Argument(help=help_text("exercise"), show_default=False, metavar="EXERCISE")
]


_GLOBAL: dict[str, Lang] = {}  # options given before the subcommand (lmschool --lang zh list)


@app.callback()
def _root(lang: LangOpt = None) -> None:
    _GLOBAL.clear()  # one invocation's options only (tests run many in one process)
    if lang is not None:
        _GLOBAL["lang"] = lang.value  # type: ignore[assignment]


def resolve_lang(lang: LangChoice | None, settings: Settings | None = None) -> Lang:
    """--lang after the subcommand, else before it, else LMSCHOOL_LANG, else the locale."""
    if lang is not None:
        return lang.value  # type: ignore[return-value]
    if "lang" in _GLOBAL:
        return _GLOBAL["lang"]
    settings = settings or get_settings()
    return settings.lang or detect_lang()


def fail(key: str, lang: Lang, code: int = 1, **kwargs: object) -> typer.Exit:
    err_console.print(Text(t(key, lang, **kwargs), style="red"))
    return typer.Exit(code)


@contextmanager
def learning(
    lang: Lang,
    courses: list[Path] | None,
    pool: dict[str, int] | None = None,
    learner: str | None = None,
) -> Iterator[Learning]:
    """A :class:`Learning` session, turning content and id errors into clear exits."""
    from lmschool.learning import Learning, LearningError, load_catalog

    settings = get_settings()
    try:
        catalog = load_catalog(settings, courses)
    except CourseError as exc:
        err_console.print(Text(t("cli.course_invalid", lang), style="bold red"))
        for issue in exc.issues:
            err_console.print(f"  {issue}")
        raise typer.Exit(2) from None
    session = Learning(settings, catalog, pool=pool, learner=learner)
    try:
        yield session
    except UnknownIdError as exc:
        raise fail("cli.unknown", lang, 2, detail=str(exc)) from None
    except LearningError as exc:
        raise fail(exc.key, lang, 1, **exc.kwargs) from None
    finally:
        session.close()


# --- learner commands ------------------------------------------------------------


@app.command("list", help=help_text("list"))
def list_cmd(
    json_out: Annotated[bool, typer.Option("--json", help=help_text("json"))] = False,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        if json_out:
            items = [
                {
                    "id": ex.id,
                    "kind": ex.kind,
                    "title": ex.title,
                    "skills": list(ex.skills) or list(L.catalog.lesson(ex.lesson_id).skills),
                    "names": list(ex.names) if isinstance(ex, CodeExercise) else [],
                    "lesson": ex.lesson_id,
                    "module": ex.module_id,
                }
                for ex in L.catalog.exercises()
            ]
            typer.echo(json.dumps(items, ensure_ascii=False, indent=2))
            return
        progress = L.progress()
        from rich.tree import Tree

        for c in L.catalog.courses:
            tree = Tree(Text.assemble((pick(c.title, lg), "bold"), f" ({c.id})"))
            for m in c.modules:
                mnode = tree.add(Text.assemble((m.id, "bold cyan"), f" · {pick(m.title, lg)}"))
                for lesson in m.lessons:
                    lnode = mnode.add(
                        Text.assemble(
                            f"{lesson.id} · {pick(lesson.title, lg)} ",
                            (f"({lesson.minutes} min, {lesson.level})", "dim"),
                        )
                    )
                    for ex in lesson.exercises:
                        p = progress.get(ex.id)
                        mark = (
                            ("✓", "green")
                            if p and p.passed
                            else (("…", "yellow") if p and p.attempts else ("·", ""))
                        )
                        lnode.add(
                            Text.assemble(
                                mark,
                                f" {ex.id} ",
                                (t("cli.kind." + ex.kind, lg), "dim"),
                                f" {pick(ex.title, lg)}",
                            )
                        )
            console.print(tree)
        if not L.catalog.exercises():
            console.print(t("cli.no_exercises", lg))


@app.command(help=help_text("show"))
def show(
    lesson_id: Annotated[str, typer.Argument(metavar="LESSON", help="module/lesson")],
    pager: Annotated[bool, typer.Option("--pager/--no-pager", help=help_text("pager"))] = True,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        view = lesson_view(L.catalog.lesson(lesson_id), lg, L.progress())
        if pager and console.is_terminal:
            # -R keeps the colours, -F quits at once when the lesson fits on one screen,
            # -X leaves it on the screen afterwards; a LESS of the user's own wins
            os.environ.setdefault("LESS", "-FRX")
            with console.pager(styles=True):
                console.print(view)
        else:
            console.print(view)


@app.command(help=help_text("start"))
def start(
    exercise_id: ExerciseArg,
    force: Annotated[bool, typer.Option("--force", help=help_text("force"))] = False,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        ex, path, written = L.start(exercise_id, force=force)
        console.print(exercise_header(ex, lg))
        if isinstance(ex, QuizExercise):
            console.print(L.quiz_variant(ex).render(lg))
            console.print(Text(t("cli.quiz_how", lg, id=ex.id), style="cyan"))
        else:
            console.print(t("cli.started" if written else "cli.kept", lg, path=path))
            typer.echo(str(path))


def _read_source(path: Path, ex_id: str, lang: Lang) -> str:
    if not path.exists():
        raise fail("cli.file_missing", lang, 2, path=path, id=ex_id)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise fail("cli.file_unreadable", lang, 2, path=path, error=exc) from None


@app.command(help=help_text("check"))
def check(
    exercise_id: Annotated[
        str | None,
        typer.Argument(help=help_text("exercise"), show_default=False, metavar="EXERCISE"),
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", help=help_text("file"), metavar="PATH")
    ] = None,
    answer: Annotated[str | None, typer.Option("--answer", help=help_text("answer"))] = None,
    json_out: Annotated[bool, typer.Option("--json", help=help_text("json"))] = False,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        ex = L.exercise(exercise_id)
        if isinstance(ex, QuizExercise):
            if answer is None:
                raise fail("cli.need_answer", lg, 2, id=ex.id)
            result = L.check_quiz(ex, answer)
        else:
            if answer is not None:
                raise fail("cli.answer_for_code", lg, 2, id=ex.id)
            path = file or L.workspace_file(ex)
            result = L.check_code(ex, _read_source(path, ex.id, lg))
        if json_out:
            typer.echo(json.dumps(result.doc(), ensure_ascii=False, indent=2))
        else:
            console.print(result_view(result, lg))
            if result.passed:
                nxt = L.next_exercise(ex.id)
                console.print(t("cli.next", lg, id=nxt.id) if nxt else t("cli.all_done", lg))
        raise typer.Exit(_exit_code(result))


def _exit_code(result) -> int:  # noqa: ANN001
    return 0 if result.passed else (2 if result.error is not None else 1)


@app.command(help=help_text("hint"))
def hint(
    exercise_id: Annotated[
        str | None,
        typer.Argument(help=help_text("exercise"), show_default=False, metavar="EXERCISE"),
    ] = None,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        ex = L.exercise(exercise_id)
        h = L.next_hint(ex)
        if h.repeated:
            console.print(Text(t("cli.hint_repeat", lg), style="dim"))
        console.print(Text(t("cli.hint", lg, n=h.index + 1, total=h.total), style="bold cyan"))
        console.print(h.text[lg])


@app.command(help=help_text("solution"))
def solution(
    exercise_id: Annotated[
        str | None,
        typer.Argument(help=help_text("exercise"), show_default=False, metavar="EXERCISE"),
    ] = None,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        ex = L.exercise(exercise_id)
        sol = L.solution(ex)
        console.print(Text(t("cli.solution_title", lg, id=ex.id), style="bold"))
        if isinstance(ex, CodeExercise):
            # wrapped, never cropped, on a narrow terminal
            console.print(Syntax(sol.source, "python", line_numbers=True, word_wrap=True))
        else:
            console.print(t("cli.quiz_answer", lg, answer=sol.source))
            if ex.quiz.explanation:
                console.print(pick(ex.quiz.explanation, lg))


@app.command(help=help_text("watch"))
def watch(
    exercise_id: Annotated[
        str | None,
        typer.Argument(help=help_text("exercise"), show_default=False, metavar="EXERCISE"),
    ] = None,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    from lmschool.cli.watching import watch_loop

    lg = resolve_lang(lang)
    with learning(lg, course, pool={"numpy": 1}) as L:
        ex = L.exercise(exercise_id)
        with suppress(KeyboardInterrupt):
            watch_loop(L, ex, lg)


@app.command(help=help_text("glossary"))
def glossary(
    term: Annotated[
        str | None, typer.Argument(help=help_text("term"), show_default=False, metavar="TERM")
    ] = None,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    from rich.table import Table

    from lmschool.course.glossary import GlossaryError, load_glossary
    from lmschool.course.loader import bundled_pack_path

    lg = resolve_lang(lang)
    packs = [bundled_pack_path(), *get_settings().course_paths, *(course or [])]
    terms = []
    for pack in packs:
        try:
            terms += load_glossary(pack).term
        except GlossaryError as exc:
            raise fail("cli.glossary_invalid", lg, 2, detail=str(exc)) from None
    if term:
        q = term.strip().lower()
        terms = [
            t
            for t in terms
            if q in t.en.lower() or q in t.zh or any(q in v.lower() for v in t.variants)
        ]
        if not terms:
            raise fail("cli.glossary_none", lg, 1, term=term)
    table = Table(title=t("cli.glossary_title", lg), show_lines=False)
    table.add_column("English", overflow="fold")
    table.add_column("中文", overflow="fold")
    table.add_column(t("cli.glossary_definition", lg), ratio=1, overflow="fold")
    table.add_column(t("cli.glossary_not", lg), overflow="fold")
    for item in sorted(terms, key=lambda x: x.en.lower()):
        table.add_row(item.en, item.zh, pick(item.definition, lg), "、".join(item.variants))
    console.print(table)


@app.command(help=help_text("notebook"))
def notebook(
    exercise_id: ExerciseArg,
    out: Annotated[
        Path | None, typer.Option("--out", help=help_text("out"), show_default=False)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=help_text("force_notebook"))] = False,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    import nbformat

    from lmschool.course.loader import bundled_pack_path
    from lmschool.learning import learner_folder
    from lmschool.notebook import build_notebook

    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        ex = L.exercise(exercise_id)
        lesson = L.catalog.lesson(ex.lesson_id)
        module, les, name = ex.id.split("/")
        path = out or (
            L.settings.workspace_dir
            / learner_folder(L.learner_name)
            / module
            / les
            / f"{name}.ipynb"
        )
        if path.exists() and not force:
            raise fail("nb.exists", lg, 1, path=path)
        bundled = bundled_pack_path().resolve()
        packs = [str(c.root) for c in L.catalog.courses if c.root.resolve() != bundled]
        nb = build_notebook(ex, lesson.text(lg), pick(lesson.title, lg), lg, packs or None)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            path.replace(path.with_suffix(".ipynb.bak"))
        nbformat.write(nb, str(path))
        with L.session() as s:
            from lmschool.store import repo

            repo.set_current_exercise(s, learner_id=L.learner_id, exercise_id=ex.id)
        console.print(Text(t("nb.written", lg, path=path), style="green"))


@app.command(help=help_text("progress"))
def progress(lang: LangOpt = None, course: CourseOpt = None) -> None:
    lg = resolve_lang(lang)
    with learning(lg, course) as L:
        data = L.progress()
        console.print(progress_table(L.catalog, data, L.learner_name, lg))
        console.print(progress_summary(L.catalog, data, lg))
        from lmschool.cli.planning import mastery_view

        console.print(mastery_view(L, lg))


from lmschool.cli import planning as _planning  # noqa: E402,F401  (registers plan, profile)
from lmschool.cli import tools as _tools  # noqa: E402,F401  (registers grade, author, doctor, demo)
from lmschool.cli import web as _web  # noqa: E402,F401  (registers serve, admin)

_COMMAND: list[object] = []  # the Click command, when built once for the process's life


def keep_command() -> None:
    """Build the Click command from the Typer app once and reuse it for every call of
    :func:`main` (the command daemon: Typer rebuilds it from the functions' signatures,
    about 60 ms, on every call otherwise)."""
    _COMMAND[:] = [typer.main.get_command(app)]


def main(prog_name: str | None = None) -> None:
    """Run the CLI on sys.argv (``prog_name``: what usage lines call it; the daemon,
    started as ``python -m``, passes ``"lmschool"``)."""
    from pydantic import ValidationError

    try:
        get_settings()
    except ValidationError as exc:  # a bad LMSCHOOL_* variable: one line each, no traceback
        lang = detect_lang()
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            err_console.print(
                Text(
                    t(
                        "cli.bad_setting",
                        lang,
                        var=f"LMSCHOOL_{field.upper()}",
                        value=str(err.get("input", ""))[:200],
                        problem=str(err["msg"]).removeprefix("Value error, "),
                    ),
                    style="red",
                )
            )
        raise SystemExit(2) from None
    if _COMMAND:
        _COMMAND[0](prog_name=prog_name)  # type: ignore[operator]
    else:
        app(prog_name=prog_name)
