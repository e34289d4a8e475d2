"""Data-access functions: every query the CLI, the web app and the grader need.

Each takes a ``Session`` first and keyword-only arguments. Functions that write
commit before they return (a progress event is worth keeping on its own); readers
never commit. Only portable SQL is used, so any SQLAlchemy backend works.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lmschool.i18n import msg
from lmschool.store.models import (
    DONE,
    INTERRUPTED,
    RUNNING,
    Attempt,
    HintView,
    Learner,
    SolutionView,
    utcnow,
)

# Error kinds that are not the learner's fault: they do not count as failed attempts.
NOT_LEARNERS_FAULT: Final = ("internal", "sandbox")
# A "running" attempt from another host (or whose pid may have been reused) is
# presumed dead after this long; grading runs are limited to minutes.
STALE_AFTER: Final = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class ExerciseProgress:
    exercise_id: str
    attempts: int
    passed: bool
    best_score: float
    last_attempt_at: datetime | None
    hints_seen: int
    solution_viewed: bool


# --- learners ----------------------------------------------------------------------


def get_or_create_learner(session: Session, *, name: str) -> Learner:
    """The learner called ``name``, created (and committed) on first use."""
    learner = session.scalar(select(Learner).where(Learner.name == name))
    if learner is not None:
        return learner
    learner = Learner(name=name)
    session.add(learner)
    try:
        session.commit()
    except IntegrityError:  # another process created the same learner just now
        session.rollback()
        return session.scalars(select(Learner).where(Learner.name == name)).one()
    return learner


def learner_name(session: Session, *, learner_id: int) -> str:
    return _learner(session, learner_id).name


def _learner(session: Session, learner_id: int) -> Learner:
    learner = session.get(Learner, learner_id)
    if learner is None:
        raise LookupError(f"no learner with id {learner_id} in the progress database")
    return learner


def set_current_exercise(session: Session, *, learner_id: int, exercise_id: str | None) -> None:
    _learner(session, learner_id).current_exercise = exercise_id
    session.commit()


def get_current_exercise(session: Session, *, learner_id: int) -> str | None:
    return session.scalar(select(Learner.current_exercise).where(Learner.id == learner_id))


# --- attempts ----------------------------------------------------------------------


def start_attempt(
    session: Session, *, learner_id: int, exercise_id: str, source: str, retry_of: int | None = None
) -> Attempt:
    """Record a submission as "running" and commit at once, before grading starts.

    The row names this process (pid and host), so that if the grader is killed,
    ``recover_interrupted`` can later tell the attempt will never finish.
    """
    attempt = Attempt(
        learner_id=learner_id,
        exercise_id=exercise_id,
        source=source,
        status=RUNNING,
        grader_pid=os.getpid(),
        grader_host=socket.gethostname(),
        retry_of=retry_of,
    )
    session.add(attempt)
    session.commit()
    return attempt


def _summary(result: Mapping[str, Any]) -> dict[str, Any]:
    """The queryable columns taken from a result document."""
    missing = [key for key in ("passed", "score") if key not in result]
    if missing:
        raise ValueError(
            f"result document lacks {', '.join(missing)}: a grading result needs "
            f"'passed' and 'score' (got keys {sorted(result)})"
        )
    error = result.get("error")
    duration = result.get("duration_ms")
    return {
        "passed": bool(result["passed"]),
        "score": float(result["score"]),
        "duration_ms": None if duration is None else float(duration),
        "error_kind": error.get("kind") if isinstance(error, Mapping) else None,
    }


def finish_attempt(session: Session, *, attempt_id: int, result: Mapping[str, Any]) -> Attempt:
    """Store the grader's result document, mark the attempt "done" and commit.

    A result that arrives after the attempt was presumed interrupted still wins:
    the grader did finish.
    """
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise LookupError(f"no attempt with id {attempt_id} in the progress database")
    summary = _summary(result)
    attempt.result = dict(result)
    attempt.status = DONE
    attempt.finished_at = utcnow()
    for key, value in summary.items():
        setattr(attempt, key, value)
    session.commit()
    return attempt


def get_attempt(session: Session, *, attempt_id: int) -> Attempt | None:
    return session.get(Attempt, attempt_id)


def list_attempts(
    session: Session, *, learner_id: int, exercise_id: str | None = None, limit: int = 50
) -> list[Attempt]:
    """A learner's attempts, newest first."""
    query = select(Attempt).where(Attempt.learner_id == learner_id)
    if exercise_id is not None:
        query = query.where(Attempt.exercise_id == exercise_id)
    query = query.order_by(Attempt.created_at.desc(), Attempt.id.desc()).limit(limit)
    return list(session.scalars(query))


def _failed() -> Any:
    """SQL condition: a finished attempt that failed through the learner's own code."""
    return and_(
        Attempt.status == DONE,
        Attempt.passed.is_(False),
        or_(Attempt.error_kind.is_(None), Attempt.error_kind.not_in(NOT_LEARNERS_FAULT)),
    )


def attempt_counts(session: Session, *, learner_id: int, exercise_id: str) -> tuple[int, int]:
    """(failed attempts, all attempts) for one exercise.

    Failed: graded and not passed, not counting errors that were not the learner's
    fault (internal, sandbox) nor interrupted gradings. All: every recorded
    submission, whatever its status.
    """
    row = session.execute(
        select(
            func.count(case((_failed(), 1))),
            func.count(Attempt.id),
        ).where(Attempt.learner_id == learner_id, Attempt.exercise_id == exercise_id)
    ).one()
    return int(row[0]), int(row[1])


def has_passed(session: Session, *, learner_id: int, exercise_id: str) -> bool:
    query = select(Attempt.id).where(
        Attempt.learner_id == learner_id,
        Attempt.exercise_id == exercise_id,
        Attempt.passed.is_(True),
    )
    return session.scalar(select(query.exists())) is True


# --- crash recovery ----------------------------------------------------------------


def interrupted_result() -> dict[str, Any]:
    """The result document of an attempt whose grader died before writing one."""
    return {
        "passed": False,
        "score": 0.0,
        "checks": [],
        "output": "",
        "duration_ms": None,
        "error": {"kind": "internal", "message": msg("error.interrupted").both()},
    }


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: existence check, nothing is sent
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _pid_alive_windows(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows.
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    process_query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() == access_denied
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def _grader_gone(attempt: Attempt, *, host: str, now: datetime) -> bool:
    if now - attempt.created_at > STALE_AFTER:
        return True  # another host's grader, or a pid since reused by another process
    if attempt.grader_host != host or attempt.grader_pid is None:
        return False  # cannot look at another machine's processes: wait
    return not pid_alive(attempt.grader_pid)


def recover_interrupted(session: Session) -> int:
    """Mark "interrupted" every "running" attempt whose grader is gone; return how many.

    Gone: on this host, its pid no longer exists; on another host (or with no pid
    recorded) we cannot look, so it is presumed gone once it has been running for
    longer than ``STALE_AFTER``. That age limit applies on this host too, since a
    dead grader's pid may have been reused. Call it when the CLI or the web app
    starts. The update only touches rows still "running",
    so a grader that finishes meanwhile keeps its result.
    """
    host, now = socket.gethostname(), utcnow()
    running = session.scalars(select(Attempt).where(Attempt.status == RUNNING)).all()
    gone = [attempt.id for attempt in running if _grader_gone(attempt, host=host, now=now)]
    if not gone:
        return 0
    outcome = session.execute(
        update(Attempt)
        .where(Attempt.id.in_(gone), Attempt.status == RUNNING)
        .values(
            status=INTERRUPTED,
            result=interrupted_result(),
            passed=False,
            score=0.0,
            error_kind="internal",
            finished_at=now,
        )
        .execution_options(synchronize_session="fetch")
    )
    session.commit()
    return int(outcome.rowcount)  # type: ignore[attr-defined]


# --- hints and solutions -----------------------------------------------------------


def record_hint_view(
    session: Session, *, learner_id: int, exercise_id: str, hint_index: int
) -> None:
    """Remember that a hint was shown; showing it again changes nothing."""
    seen = select(HintView.id).where(
        HintView.learner_id == learner_id,
        HintView.exercise_id == exercise_id,
        HintView.hint_index == hint_index,
    )
    if session.scalar(seen) is not None:
        return
    session.add(HintView(learner_id=learner_id, exercise_id=exercise_id, hint_index=hint_index))
    try:
        session.commit()
    except IntegrityError:  # recorded by another process at the same moment
        session.rollback()
        if session.scalar(seen) is None:
            raise


def hints_seen(session: Session, *, learner_id: int, exercise_id: str) -> int:
    """How many distinct hints the learner has opened (the index of the next one)."""
    count = session.scalar(
        select(func.count(HintView.id)).where(
            HintView.learner_id == learner_id, HintView.exercise_id == exercise_id
        )
    )
    return int(count or 0)


def record_solution_view(session: Session, *, learner_id: int, exercise_id: str) -> None:
    session.add(SolutionView(learner_id=learner_id, exercise_id=exercise_id))
    session.commit()


def solution_viewed(session: Session, *, learner_id: int, exercise_id: str) -> bool:
    query = select(SolutionView.id).where(
        SolutionView.learner_id == learner_id, SolutionView.exercise_id == exercise_id
    )
    return session.scalar(select(query.exists())) is True


# --- overview ----------------------------------------------------------------------


def progress(session: Session, *, learner_id: int) -> dict[str, ExerciseProgress]:
    """Per-exercise progress of one learner, from three aggregate queries.

    Exercises appear once the learner has attempted them, opened a hint or viewed
    the solution.
    """
    attempt_rows = session.execute(
        select(
            Attempt.exercise_id,
            func.count(Attempt.id),
            func.max(case((Attempt.passed.is_(True), 1), else_=0)),
            func.max(Attempt.score),
            func.max(Attempt.created_at),
        )
        .where(Attempt.learner_id == learner_id)
        .group_by(Attempt.exercise_id)
    ).all()
    hint_rows = session.execute(
        select(HintView.exercise_id, func.count(HintView.id))
        .where(HintView.learner_id == learner_id)
        .group_by(HintView.exercise_id)
    ).all()
    solutions = set(
        session.scalars(
            select(SolutionView.exercise_id).where(SolutionView.learner_id == learner_id).distinct()
        )
    )

    attempts = {row[0]: row for row in attempt_rows}
    hints = {exercise_id: int(count) for exercise_id, count in hint_rows}
    out: dict[str, ExerciseProgress] = {}
    for exercise_id in sorted(attempts.keys() | hints.keys() | solutions):
        row = attempts.get(exercise_id)
        out[exercise_id] = ExerciseProgress(
            exercise_id=exercise_id,
            attempts=int(row[1]) if row else 0,
            passed=bool(row[2]) if row else False,
            best_score=float(row[3]) if row and row[3] is not None else 0.0,
            last_attempt_at=row[4] if row else None,
            hints_seen=hints.get(exercise_id, 0),
            solution_viewed=exercise_id in solutions,
        )
    return out
