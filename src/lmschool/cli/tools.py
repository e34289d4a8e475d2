"""Commands beyond the learning loop: ``grade``, ``author validate``, ``doctor``, ``demo``."""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from lmschool.cli import (
    CourseOpt,
    LangOpt,
    _exit_code,
    _read_source,
    app,
    author_app,
    fail,
    learning,
    resolve_lang,
)
from lmschool.cli.render import console, err_console, progress_summary
from lmschool.cli.text import help_text
from lmschool.config import get_settings
from lmschool.course import (
    Catalog,
    CodeExercise,
    CourseError,
    Exercise,
    QuizExercise,
    validate_pack,
)
from lmschool.course.loader import bundled_pack_path
from lmschool.course.model import UnknownIdError
from lmschool.course.quiz import grade_answer, right_answer, wrong_answer
from lmschool.grading.grader import Grader, sandbox_warning, seed_for
from lmschool.grading.result import Result
from lmschool.i18n import Lang, pick, t


def _progress(lang: Lang) -> Progress:
    return Progress(
        TextColumn("{task.description}", style="bold", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}", style="dim", markup=False),
        console=err_console,
        transient=False,
    )


# --- grade ----------------------------------------------------------------------------


@app.command(help=help_text("grade"))
def grade(
    exercise: Annotated[str, typer.Option("--exercise", help=help_text("exercise"))],
    file: Annotated[
        Path | None, typer.Option("--file", help=help_text("file"), metavar="PATH")
    ] = None,
    answer: Annotated[str | None, typer.Option("--answer", help=help_text("answer"))] = None,
    seed: Annotated[int | None, typer.Option("--seed", help=help_text("seed"))] = None,
    learner: Annotated[str | None, typer.Option("--learner", help=help_text("learner"))] = None,
    json_out: Annotated[bool, typer.Option("--json", help=help_text("json"))] = False,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    """Stateless: no database, no workspace; prints the result document."""
    from lmschool.cli.render import result_view

    settings = get_settings()
    lg = resolve_lang(lang, settings)
    try:
        # Not via lmschool.learning: grade is stateless and need not import the store.
        catalog = Catalog.load([*settings.course_paths, *(course or [])])
        ex = catalog.exercise(exercise)
    except CourseError as exc:
        for issue in exc.issues:
            err_console.print(f"  {issue}")
        raise typer.Exit(2) from None
    except UnknownIdError as exc:
        raise fail("cli.unknown", lg, 2, detail=str(exc)) from None
    seed = seed if seed is not None else seed_for(learner or settings.learner, ex.id)
    if isinstance(ex, QuizExercise):
        if answer is None:
            raise fail("cli.need_answer", lg, 2, id=ex.id)
        result = Result.model_validate(grade_answer(ex, seed, answer))
    else:
        if file is None:
            raise fail("cli.file_missing", lg, 2, path="--file", id=ex.id)
        source = _read_source(file, ex.id, lg)
        packs = tuple(c.root for c in catalog.courses)
        with Grader.from_settings(settings, packs=packs) as grader:
            result = grader.grade(ex, source, seed=seed)
    if json_out:
        typer.echo(json.dumps(result.doc(), ensure_ascii=False))
    else:
        console.print(result_view(result, lg))
    raise typer.Exit(_exit_code(result))


# --- author validate ------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    exercise: Exercise
    what: str  # "solution" | "starter" | "answer" | "wrong-answer"
    expect_pass: bool
    seed: int


def _runs(exercises: list[Exercise], seeds: int) -> list[Run]:
    runs = []
    for ex in exercises:
        for k in range(seeds):
            seed = seed_for(f"author-{k}", ex.id)
            if isinstance(ex, CodeExercise):
                runs += [Run(ex, "solution", True, seed), Run(ex, "starter", False, seed)]
            else:
                runs += [Run(ex, "answer", True, seed), Run(ex, "wrong-answer", False, seed)]
    return runs


def _execute(run: Run, grader: Grader) -> Result:
    ex = run.exercise
    if isinstance(ex, CodeExercise):
        path = ex.solution_path if run.what == "solution" else ex.starter_path
        return grader.grade(ex, path.read_text(encoding="utf-8"), seed=run.seed)
    answer = right_answer(ex, run.seed) if run.what == "answer" else wrong_answer(ex, run.seed)
    return Result.model_validate(grade_answer(ex, run.seed, answer))


@author_app.command(help=help_text("validate"))
def validate(
    path: Annotated[Path | None, typer.Argument(help=help_text("pack"), metavar="PATH")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help=help_text("jobs"), min=1)] = max(
        1, os.cpu_count() or 1
    ),
    seeds: Annotated[int, typer.Option("--seeds", help=help_text("seeds"), min=1)] = 1,
    static_only: Annotated[
        bool, typer.Option("--static-only", help=help_text("static_only"))
    ] = False,
    lang: LangOpt = None,
) -> None:
    settings = get_settings()
    lg = resolve_lang(lang, settings)
    pack = (path or bundled_pack_path()).resolve()
    console.print(Text(t("cli.validate_static", lg, path=pack), style="bold"))
    issues = validate_pack(pack)
    for issue in issues:
        style = "red" if issue.severity == "error" else "yellow"
        console.print(Text(f"{issue.severity}: {issue}", style=style))
    if any(i.severity == "error" for i in issues):
        raise typer.Exit(1)
    try:
        catalog = Catalog.load([pack], include_bundled=pack != bundled_pack_path().resolve())
    except CourseError as exc:
        for issue in exc.issues:
            console.print(Text(str(issue), style="red"))
        raise typer.Exit(1) from None
    if not issues:
        console.print(Text(t("cli.validate_ok", lg), style="green"))
    if static_only:
        return
    course = next(c for c in catalog.courses if c.root.resolve() == pack)
    runs = _runs(course.exercises(), seeds)
    console.print(Text(t("cli.validate_dynamic", lg), style="bold"))
    outcomes: list[tuple[Run, Result]] = []
    packs = tuple(c.root for c in catalog.courses)
    with (
        Grader.from_settings(settings, packs=packs) as grader,
        _progress(lg) as bar,
    ):
        task = bar.add_task(t("cli.grading", lg), total=len(runs), current="")
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_execute, run, grader): run for run in runs}
            for fut in as_completed(futures):
                run = futures[fut]
                outcomes.append((run, fut.result()))
                bar.update(task, advance=1, current=f"{run.exercise.id} ({run.what})")
    outcomes.sort(key=lambda o: (o[0].exercise.id, o[0].what))
    table = Table()
    table.add_column(t("cli.col.exercise", lg))
    table.add_column(t("cli.col.run", lg))
    table.add_column(t("cli.col.result", lg))
    table.add_column(t("cli.col.message", lg))
    bad = 0
    for run, result in outcomes:
        ok = result.passed == run.expect_pass and not (
            result.error and result.error.kind in ("internal", "sandbox")
        )
        bad += not ok
        expectation = t(_EXPECTATION[(isinstance(run.exercise, CodeExercise), run.expect_pass)], lg)
        detail = "" if ok else _first_problem(result, lg)
        table.add_row(
            run.exercise.id,
            f"{run.what}: {expectation}",
            Text(t("cli.ok", lg), style="green")
            if ok
            else Text(t("cli.unexpected", lg), style="bold red"),
            detail,
        )
    console.print(table)
    # Authors see what learners never do: the trusted tracebacks behind incident ids.
    for entry in grader.incidents.recent:
        console.print(
            Text(
                t("cli.validate_incident", lg, id=entry["id"], exercise=entry["exercise"]),
                style="yellow",
            )
        )
        console.print(Text(entry["detail"]), markup=False)
    console.print(t("cli.validate_summary", lg, ok=len(outcomes) - bad, total=len(outcomes)))
    if bad:
        raise typer.Exit(1)


def _demo_input(L: Any, ex: Exercise) -> str:
    if isinstance(ex, CodeExercise):
        return ex.solution_path.read_text(encoding="utf-8")
    return right_answer(ex, L.seed(ex.id))


def _demo_unchanged(L: Any, ex: Exercise, text: str) -> bool:
    """Passed before with this very input, and no file of the exercise changed since."""
    from lmschool.store import repo

    with L.session() as s:
        last = repo.list_attempts(s, learner_id=L.learner_id, exercise_id=ex.id, limit=1)
    if not last or not last[0].passed or last[0].source != text or last[0].finished_at is None:
        return False
    changed = max((p.stat().st_mtime for p in Path(ex.dir).rglob("*") if p.is_file()), default=0)
    finished = last[0].finished_at
    if finished.tzinfo is None:
        finished = finished.replace(tzinfo=datetime.UTC)
    return changed < finished.timestamp()


_EXPECTATION = {
    (True, True): "cli.validate_expect_pass",
    (True, False): "cli.validate_expect_fail",
    (False, True): "cli.validate_answer_pass",
    (False, False): "cli.validate_wrong_fail",
}


def _layer_rows(grader: Grader, result: Result, lg: Lang) -> list[tuple[str, bool, str]]:
    """One row per containment layer beyond the namespaces: cgroups, seccomp, uids, imports."""
    from lmschool.grading import uids

    p = grader.protections
    rows: list[tuple[str, bool, str]] = []
    if p.cgroups.available:
        where = ", ".join(str(d) for d in p.cgroups.parents.values())
        rows.append(
            (
                t("doctor.cgroups", lg),
                True,
                t("doctor.cgroups_ok", lg, version=p.cgroups.version, where=where),
            )
        )
    else:
        reason = p.cgroups.reason
        rows.append(
            (t("doctor.cgroups", lg), False, t("doctor.cgroups_missing", lg, reason=reason))
        )
    seccomp_failed = [
        c for c in result.checks if c.name in ("no_namespaces", "no_keys") and not c.passed
    ]
    if p.seccomp and not seccomp_failed:
        rows.append((t("doctor.seccomp", lg), True, t("doctor.seccomp_ok", lg)))
    else:
        reason = p.seccomp_reason or "; ".join(pick(c.message, lg) for c in seccomp_failed)
        rows.append(
            (t("doctor.seccomp", lg), False, t("doctor.seccomp_missing", lg, reason=reason))
        )
    if p.uid_mode == "leased":
        rows.append(
            (t("doctor.uids", lg), True, t("doctor.uids_leased", lg, where=uids.lease_dir()))
        )
    elif p.uid_mode == "user-namespace":
        rows.append((t("doctor.uids", lg), True, t("doctor.uids_userns", lg)))
    else:
        rows.append((t("doctor.uids", lg), False, t("doctor.uids_none", lg)))
    allow = next((c for c in result.checks if c.name == "allow_list"), None)
    if p.backend.isolated and allow is not None and allow.passed:
        rows.append((t("doctor.allow", lg), True, t("doctor.allow_ok", lg)))
    else:
        detail = pick(allow.message, lg) if allow is not None else p.backend.reason
        rows.append((t("doctor.allow", lg), False, t("doctor.allow_missing", lg, detail=detail)))
    return rows


def _first_problem(result: Result, lang: Lang) -> str:
    if result.error is not None:
        return f"{result.error.kind}: {result.error.text(lang)}"[:400]
    failed = [c for c in result.checks if not c.passed]
    if failed:
        return f"{failed[0].name}: {pick(failed[0].message, lang)}"[:400]
    return f"score {result.score:.0%}"


# --- doctor ---------------------------------------------------------------------------


def doctor_rows(
    settings: Any, lg: Lang, course: list[Path] | None = None
) -> list[tuple[str, bool | None, str]]:
    """What ``lmschool doctor`` checks, as (item, ok, detail) rows; ok None: a warning.

    Also the web admin's grader health page. Grades a probe in a real sandbox.
    """
    from lmschool.grading.selftest import probe_source, selftest_exercise

    rows: list[tuple[str, bool | None, str]] = []
    rows.append(
        (
            t("doctor.python", lg),
            sys.version_info >= (3, 11),
            f"{platform.python_version()} ({sys.executable})",
        )
    )
    try:
        import numpy

        rows.append((t("doctor.numpy", lg), True, numpy.__version__))
    except ImportError as exc:
        rows.append((t("doctor.numpy", lg), False, str(exc)))
    try:
        import torch

        rows.append(
            (t("doctor.torch", lg), True, f"{torch.__version__}, {torch.get_num_threads()} threads")
        )
    except ImportError as exc:
        rows.append((t("doctor.torch", lg), False, str(exc)))
    try:
        from lmschool.store import open_database

        db = open_database(settings.db_url)
        rows.append(
            (
                t("doctor.database", lg),
                True,
                f"{settings.db_url} (revision {db.current_revision()})",
            )
        )
        db.dispose()
    except Exception as exc:
        rows.append((t("doctor.database", lg), False, f"{settings.db_url}: {exc}"))
    with Grader.from_settings(settings) as grader:
        result = grader.grade(selftest_exercise(), probe_source(), seed=0)
    if not grader.backend.isolated:
        rows.append(
            (
                t("doctor.sandbox", lg),
                False,
                t("sandbox.not_isolated", lg) + f" ({grader.backend.reason})",
            )
        )
    elif result.passed:
        rows.append((t("doctor.sandbox", lg), True, t("doctor.sandbox_ok", lg)))
    else:
        rows.append(
            (
                t("doctor.sandbox", lg),
                False,
                t("doctor.sandbox_failed", lg, detail=_first_problem(result, lg)),
            )
        )
    rows += _layer_rows(grader, result, lg)
    if settings.data_dir is None:
        rows.append((t("doctor.data", lg), None, t("doctor.data_none", lg)))
    elif not settings.data_dir.is_dir():
        rows.append(
            (t("doctor.data", lg), False, t("doctor.data_missing", lg, path=settings.data_dir))
        )
    else:
        names = sorted(p.name for p in settings.data_dir.iterdir() if p.is_dir())
        rows.append((t("doctor.data", lg), True, f"{settings.data_dir}: {', '.join(names)}"))
    try:
        from lmschool.learning import load_catalog

        catalog = load_catalog(settings, course)
        detail = ", ".join(f"{c.id} ({len(c.exercises())})" for c in catalog.courses)
        rows.append((t("doctor.courses", lg), True, detail))
    except CourseError as exc:
        rows.append((t("doctor.courses", lg), False, str(exc)[:500]))
    return rows


@app.command(help=help_text("doctor"))
def doctor(lang: LangOpt = None, course: CourseOpt = None) -> None:
    settings = get_settings()
    lg = resolve_lang(lang, settings)
    rows = doctor_rows(settings, lg, course)
    table = Table(title=t("doctor.title", lg))
    table.add_column(t("doctor.col.item", lg))
    table.add_column(t("doctor.col.state", lg))
    table.add_column(t("doctor.col.detail", lg))
    for item, ok, detail in rows:
        state = (
            Text("ok", style="green")
            if ok
            else Text("!", style="yellow")
            if ok is None
            else Text("FAIL", style="bold red")
        )
        table.add_row(item, state, detail)
    console.print(table)
    problems = sum(1 for _, ok, _ in rows if ok is False)
    console.print(
        t("doctor.summary_ok", lg) if not problems else t("doctor.summary_bad", lg, n=problems)
    )
    raise typer.Exit(1 if problems else 0)


# --- demo -----------------------------------------------------------------------------


@app.command(help=help_text("demo"))
def demo(lang: LangOpt = None, course: CourseOpt = None) -> None:
    settings = get_settings()
    if "LMSCHOOL_HOME" not in os.environ:  # the demo keeps its learner under ./var
        os.environ["LMSCHOOL_HOME"] = str(Path("var").resolve())
        get_settings.cache_clear()
        settings = get_settings()
    lg = resolve_lang(lang, settings)
    with learning(lg, course, learner="demo") as L:
        # The packs named with --course, else the bundled course.
        wanted = {p.resolve() for p in course or []} or {bundled_pack_path().resolve()}
        shown = Catalog([c for c in L.catalog.courses if c.root.resolve() in wanted])
        exercises = shown.exercises()
        console.print(Text(t("cli.demo_title", lg, n=len(exercises), learner="demo"), style="bold"))
        console.print(t("cli.demo_home", lg, home=settings.home))
        warning = sandbox_warning(L.grader.protections)
        if warning:  # the reference solutions run too: say so before they do
            console.print(Text(pick(warning, lg), style="bold yellow"))
        todo = [(ex, _demo_input(L, ex)) for ex in exercises]
        todo = [(ex, text) for ex, text in todo if not _demo_unchanged(L, ex, text)]
        if len(todo) < len(exercises):
            console.print(t("cli.demo_skipped", lg, n=len(exercises) - len(todo)))
        with _progress(lg) as bar:
            task = bar.add_task(t("cli.grading", lg), total=len(todo), current="")
            for ex, text in todo:
                bar.update(task, current=ex.id)
                if isinstance(ex, CodeExercise):
                    L.check_code(ex, text)
                else:
                    L.check_quiz(ex, text)
                bar.update(task, advance=1)
        data = L.progress()
        failed = [ex for ex in exercises if not ((p := data.get(ex.id)) and p.passed)]
        for ex in failed:  # only what needs a look; the whole table is `lmschool progress`
            console.print(Text(f"✗ {ex.id}", style="red"))
        console.print(progress_summary(shown, data, lg))
        first_lesson = shown.lessons()[0] if shown.lessons() else None
        first_code = next((e for e in exercises if isinstance(e, CodeExercise)), None)
        if first_lesson is not None and first_code is not None:
            console.print(
                Text(
                    t("cli.demo_next", lg, lesson=first_lesson.id, exercise=first_code.id),
                    style="cyan",
                )
            )
