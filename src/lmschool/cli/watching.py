"""``lmschool watch``: re-check on save, move on when an exercise passes (rustlings-style)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles
from rich.text import Text

from lmschool.cli.render import console, exercise_header, result_view
from lmschool.course import CodeExercise, Exercise
from lmschool.grading.result import Result
from lmschool.i18n import Lang, t
from lmschool.learning import Learning


def _changed(changes: set[tuple[watchfiles.Change, str]], path: Path) -> bool:
    return any(
        Path(p).resolve() == path.resolve() and kind != watchfiles.Change.deleted
        for kind, p in changes
    )


def watch_loop(
    L: Learning,
    ex: Exercise,
    lang: Lang,
    *,
    stop: threading.Event | None = None,
    on_result: Callable[[Exercise, Result], None] | None = None,
) -> Exercise | None:
    """Watch the current exercise's file; returns the exercise it stopped on (None: all done)."""
    stop = stop or threading.Event()
    current: Exercise | None = ex
    while current is not None and not stop.is_set():
        if not isinstance(current, CodeExercise):
            console.print(Text(t("cli.watch_quiz", lang, id=current.id), style="yellow"))
            return current
        _, path, _ = L.start(current.id)
        assert path is not None
        L.grader.warm(current)  # a slot prepared for this exercise's imports and data
        console.print(exercise_header(current, lang))
        console.print(Text(t("cli.watch_start", lang, path=path), style="cyan"))
        passed = _check(L, current, path, lang, on_result)
        if not passed:
            for changes in watchfiles.watch(
                path.parent, stop_event=stop, debounce=150, step=50, rust_timeout=500
            ):
                if _changed(changes, path) and _check(L, current, path, lang, on_result):
                    passed = True
                    break
        if not passed:
            return current
        current = L.next_exercise(current.id)
        if current is not None:
            console.print(Text(t("cli.watch_moved", lang, id=current.id), style="bold green"))
    if current is None:
        console.print(Text(t("cli.watch_done", lang), style="bold green"))
    return current


def _check(
    L: Learning,
    ex: CodeExercise,
    path: Path,
    lang: Lang,
    on_result: Callable[[Exercise, Result], None] | None,
) -> bool:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    result = L.check_code(ex, source)
    console.print(result_view(result, lang))
    if on_result is not None:
        on_result(ex, result)
    return result.passed
