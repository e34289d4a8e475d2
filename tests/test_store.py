"""The progress store's behaviour: learners, attempts, hints, solutions, crash recovery."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lmschool.store import Attempt, Database, HintView, Learner, open_database, repo
from tests.conftest import postgres_database

SRC = Path(__file__).resolve().parents[1] / "src"
SOURCE = "def softmax(x):\n    # 数值稳定：先减去最大值\n    return x\n"
RESULT = {
    "passed": False,
    "score": 0.25,
    "duration_ms": 12.5,
    "checks": [{"name": "shape", "points": 1, "message": {"en": "wrong", "zh": "形状不对"}}],
    "output": "你好, world\n",
    "error": {
        "kind": "runtime_load",
        "message": {"en": "Your file raised", "zh": "你的文件抛出了"},
    },
}
PASSED = {"passed": True, "score": 1.0, "duration_ms": 3.0, "checks": [], "error": None}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every store test runs on SQLite (the terminal's) and PostgreSQL (a server's)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'home' / 'lmschool.db'}"
    else:
        with postgres_database() as url:
            yield url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# --- learners and timestamps -------------------------------------------------------


def test_a_learner_is_created_once(db: Database) -> None:
    with db.session() as session:
        first = repo.get_or_create_learner(session, name="李雷")
    with db.session() as session:
        again = repo.get_or_create_learner(session, name="李雷")
        other = repo.get_or_create_learner(session, name="ada")
    assert again.id == first.id
    assert other.id != first.id


def test_timestamps_come_back_timezone_aware_utc(db_url: str) -> None:
    before = datetime.now(UTC)
    with open_database(db_url) as db, db.session() as session:
        learner = repo.get_or_create_learner(session, name="ada")
        attempt_id = repo.start_attempt(
            session, learner_id=learner.id, exercise_id="e", source=""
        ).id
        repo.finish_attempt(session, attempt_id=attempt_id, result=PASSED)
    with open_database(db_url) as db, db.session() as session:  # a fresh read from disk
        attempt = repo.get_attempt(session, attempt_id=attempt_id)
        assert attempt is not None and attempt.finished_at is not None
        assert attempt.created_at.tzinfo == UTC and attempt.finished_at.tzinfo == UTC
        assert before <= attempt.created_at <= attempt.finished_at <= datetime.now(UTC)


def test_naive_datetimes_are_refused(db: Database) -> None:
    with db.session() as session:
        session.add(Learner(name="ada", created_at=datetime(2024, 1, 1)))
        with pytest.raises(Exception, match="naive datetime"):
            session.commit()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with db.session() as session:
        session.add(HintView(learner_id=999, exercise_id="e", hint_index=0))
        with pytest.raises(IntegrityError):
            session.commit()


# --- the learner flow --------------------------------------------------------------


def test_the_whole_flow_of_one_learner(db: Database) -> None:
    with db.session() as session:
        learner = repo.get_or_create_learner(session, name="ada")
        lid = learner.id
        assert repo.get_current_exercise(session, learner_id=lid) is None
        repo.set_current_exercise(session, learner_id=lid, exercise_id="m1.softmax")
        assert repo.get_current_exercise(session, learner_id=lid) == "m1.softmax"

        # A running attempt is committed with its source and who grades it.
        attempt = repo.start_attempt(
            session, learner_id=lid, exercise_id="m1.softmax", source=SOURCE
        )
        assert (attempt.status, attempt.grader_pid) == ("running", os.getpid())
        assert attempt.grader_host == socket.gethostname()
        assert repo.attempt_counts(session, learner_id=lid, exercise_id="m1.softmax") == (0, 1)

        done = repo.finish_attempt(session, attempt_id=attempt.id, result=RESULT)
        assert (done.status, done.passed, done.score) == ("done", False, 0.25)
        assert (done.duration_ms, done.error_kind) == (12.5, "runtime_load")
        assert repo.attempt_counts(session, learner_id=lid, exercise_id="m1.softmax") == (1, 1)
        assert not repo.has_passed(session, learner_id=lid, exercise_id="m1.softmax")

        # Hints: idempotent, counted once each.
        for index in (0, 0, 1):
            repo.record_hint_view(
                session, learner_id=lid, exercise_id="m1.softmax", hint_index=index
            )
        assert repo.hints_seen(session, learner_id=lid, exercise_id="m1.softmax") == 2
        assert repo.hints_seen(session, learner_id=lid, exercise_id="m1.other") == 0

        assert not repo.solution_viewed(session, learner_id=lid, exercise_id="m1.softmax")
        repo.record_solution_view(session, learner_id=lid, exercise_id="m1.softmax")
        repo.record_solution_view(session, learner_id=lid, exercise_id="m1.softmax")
        assert repo.solution_viewed(session, learner_id=lid, exercise_id="m1.softmax")

        second = repo.start_attempt(session, learner_id=lid, exercise_id="m1.softmax", source="v2")
        repo.finish_attempt(session, attempt_id=second.id, result=PASSED)
        assert repo.has_passed(session, learner_id=lid, exercise_id="m1.softmax")
        assert repo.attempt_counts(session, learner_id=lid, exercise_id="m1.softmax") == (1, 2)

    with db.session() as session:  # everything was committed
        newest_first = repo.list_attempts(session, learner_id=lid)
        assert [a.source for a in newest_first] == ["v2", SOURCE]
        assert repo.list_attempts(session, learner_id=lid, limit=1)[0].id == second.id
        assert repo.list_attempts(session, learner_id=lid, exercise_id="m1.other") == []
        assert newest_first[1].result == RESULT


def test_errors_that_are_not_the_learners_fault_do_not_count_as_failures(db: Database) -> None:
    with db.session() as session:
        lid = repo.get_or_create_learner(session, name="ada").id
        for kind in ("internal", "sandbox", "timeout_wall", None):
            attempt = repo.start_attempt(session, learner_id=lid, exercise_id="e", source="")
            error = None if kind is None else {"kind": kind, "message": {"en": "x", "zh": "x"}}
            result = {"passed": False, "score": 0.0, "duration_ms": 1.0, "error": error}
            repo.finish_attempt(session, attempt_id=attempt.id, result=result)
        repo.start_attempt(session, learner_id=lid, exercise_id="e", source="")  # still running
        assert repo.attempt_counts(session, learner_id=lid, exercise_id="e") == (2, 5)


def test_finish_attempt_names_what_is_wrong(db: Database) -> None:
    with db.session() as session:
        lid = repo.get_or_create_learner(session, name="ada").id
        attempt = repo.start_attempt(session, learner_id=lid, exercise_id="e", source="")
        with pytest.raises(ValueError, match="lacks score"):
            repo.finish_attempt(session, attempt_id=attempt.id, result={"passed": True})
        with pytest.raises(LookupError, match="no attempt with id 999"):
            repo.finish_attempt(session, attempt_id=999, result=PASSED)
        with pytest.raises(LookupError, match="no learner with id 999"):
            repo.set_current_exercise(session, learner_id=999, exercise_id="e")


def test_result_json_round_trips_chinese_text(db_url: str) -> None:
    with open_database(db_url) as db, db.session() as session:
        lid = repo.get_or_create_learner(session, name="韩梅梅").id
        attempt_id = repo.start_attempt(session, learner_id=lid, exercise_id="e", source=SOURCE).id
        repo.finish_attempt(session, attempt_id=attempt_id, result=RESULT)
    with open_database(db_url) as db, db.session() as session:
        attempt = repo.get_attempt(session, attempt_id=attempt_id)
        assert attempt is not None
        assert attempt.result == RESULT
        assert attempt.source == SOURCE


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('store') / 'h.db'}")
    yield database
    database.dispose()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(output=st.text(), message=st.text(), score=st.floats(0, 1))
def test_any_text_round_trips_through_the_result_document(
    shared_db: Database, output: str, message: str, score: float
) -> None:
    result = {
        "passed": False,
        "score": score,
        "duration_ms": None,
        "output": output,
        "error": {"kind": "runtime_load", "message": {"en": message, "zh": message}},
    }
    with shared_db.session() as session:
        lid = repo.get_or_create_learner(session, name="h").id
        attempt_id = repo.start_attempt(session, learner_id=lid, exercise_id="e", source="").id
        repo.finish_attempt(session, attempt_id=attempt_id, result=result)
    with shared_db.session() as session:
        attempt = repo.get_attempt(session, attempt_id=attempt_id)
        assert attempt is not None and attempt.result == result


# --- progress overview -------------------------------------------------------------


def _fill(session: Session, lid: int, exercises: int) -> None:
    for n in range(exercises):
        exercise = f"ex{n}"
        for result in (RESULT, PASSED):
            attempt = repo.start_attempt(session, learner_id=lid, exercise_id=exercise, source="")
            repo.finish_attempt(session, attempt_id=attempt.id, result=result)
        repo.record_hint_view(session, learner_id=lid, exercise_id=exercise, hint_index=0)


def test_progress_summarises_each_exercise(db: Database) -> None:
    with db.session() as session:
        lid = repo.get_or_create_learner(session, name="ada").id
        other = repo.get_or_create_learner(session, name="bob").id
        first = repo.start_attempt(session, learner_id=lid, exercise_id="a", source="")
        repo.finish_attempt(session, attempt_id=first.id, result=RESULT)
        last = repo.start_attempt(session, learner_id=lid, exercise_id="a", source="")
        repo.finish_attempt(session, attempt_id=last.id, result=PASSED)
        repo.start_attempt(session, learner_id=lid, exercise_id="b", source="")  # running
        repo.record_hint_view(session, learner_id=lid, exercise_id="c", hint_index=0)
        repo.record_hint_view(session, learner_id=lid, exercise_id="c", hint_index=1)
        repo.record_solution_view(session, learner_id=lid, exercise_id="d")
        repo.start_attempt(session, learner_id=other, exercise_id="z", source="")

        got = repo.progress(session, learner_id=lid)
    assert list(got) == ["a", "b", "c", "d"]
    a, b, c, d = got.values()
    assert (a.attempts, a.passed, a.best_score, a.last_attempt_at) == (
        2,
        True,
        1.0,
        last.created_at,
    )
    assert (b.attempts, b.passed, b.best_score) == (1, False, 0.0)
    assert (c.attempts, c.hints_seen, c.last_attempt_at, c.solution_viewed) == (0, 2, None, False)
    assert (d.attempts, d.solution_viewed) == (0, True)
    assert a.last_attempt_at is not None and a.last_attempt_at.tzinfo == UTC


def test_progress_issues_the_same_few_queries_for_any_number_of_exercises(db: Database) -> None:
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    with db.session() as session:
        lid = repo.get_or_create_learner(session, name="ada").id
        _fill(session, lid, 1)
        event.listen(db.engine, "before_cursor_execute", count)
        assert len(repo.progress(session, learner_id=lid)) == 1
        few = len(statements)
        event.remove(db.engine, "before_cursor_execute", count)

        _fill(session, lid, 10)
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        assert len(repo.progress(session, learner_id=lid)) == 10
        event.remove(db.engine, "before_cursor_execute", count)
    assert few == len(statements) == 3


# --- crash recovery ----------------------------------------------------------------


def _running(session: Session, *, pid: int, host: str, age: timedelta = timedelta()) -> int:
    lid = repo.get_or_create_learner(session, name="ada").id
    attempt = repo.start_attempt(session, learner_id=lid, exercise_id="e", source="x = 1")
    session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(grader_pid=pid, grader_host=host, created_at=datetime.now(UTC) - age)
    )
    session.commit()
    return attempt.id


def _status(db: Database, attempt_id: int) -> str:
    with db.session() as session:
        return session.scalars(select(Attempt.status).where(Attempt.id == attempt_id)).one()


def test_recover_marks_attempts_of_dead_graders_interrupted(db: Database) -> None:
    here = socket.gethostname()
    with db.session() as session:
        dead = _running(session, pid=_dead_pid(), host=here)
        alive = _running(session, pid=os.getpid(), host=here)
        elsewhere_recent = _running(session, pid=1, host="elsewhere.invalid")
        elsewhere_stale = _running(session, pid=1, host="elsewhere.invalid", age=timedelta(hours=2))
        assert repo.recover_interrupted(session) == 2
        assert repo.recover_interrupted(session) == 0  # nothing left to do

    assert _status(db, dead) == _status(db, elsewhere_stale) == "interrupted"
    assert _status(db, alive) == _status(db, elsewhere_recent) == "running"
    with db.session() as session:
        attempt = repo.get_attempt(session, attempt_id=dead)
        assert attempt is not None and attempt.result is not None
        assert (attempt.passed, attempt.score, attempt.error_kind) == (False, 0.0, "internal")
        assert attempt.finished_at is not None
        assert attempt.result["checks"] == []
        assert attempt.result["error"]["kind"] == "internal"
        assert "interrupted" in attempt.result["error"]["message"]["en"]
        assert "中断" in attempt.result["error"]["message"]["zh"]
        # Interrupted gradings are not held against the learner.
        assert repo.attempt_counts(session, learner_id=attempt.learner_id, exercise_id="e") == (
            0,
            4,
        )


def test_a_late_result_still_wins_over_interrupted(db: Database) -> None:
    with db.session() as session:
        attempt_id = _running(session, pid=_dead_pid(), host=socket.gethostname())
        assert repo.recover_interrupted(session) == 1
        attempt = repo.finish_attempt(session, attempt_id=attempt_id, result=PASSED)
    assert (attempt.status, attempt.passed, attempt.error_kind) == ("done", True, None)


CRASHING_GRADER = """
import os, sys, time
from lmschool.store import open_database, repo
db = open_database(sys.argv[1])
with db.session() as session:
    learner = repo.get_or_create_learner(session, name="crash")
    attempt = repo.start_attempt(
        session, learner_id=learner.id, exercise_id="m1.softmax", source={source!r}
    )
    print(attempt.id, flush=True)
    if sys.argv[2] == "exit":
        os._exit(1)  # a crash: no cleanup, no commit, no finally
    time.sleep(120)  # waits to be killed
"""


@pytest.mark.parametrize("how", ["exit", "sigkill"])
def test_a_killed_grader_loses_nothing_and_is_recovered(db_url: str, how: str) -> None:
    if how == "sigkill" and not hasattr(signal, "SIGKILL"):
        pytest.skip("no SIGKILL on this platform")
    script = textwrap.dedent(CRASHING_GRADER.format(source=SOURCE))
    child = subprocess.Popen(
        [sys.executable, "-c", script, db_url, how],
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if how == "sigkill":
        child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=60)
    assert line.strip().isdigit(), err
    assert child.returncode != 0
    attempt_id = int(line)

    with open_database(db_url) as db, db.session() as session:
        attempt = repo.get_attempt(session, attempt_id=attempt_id)
        assert attempt is not None
        assert (attempt.status, attempt.source) == ("running", SOURCE)
        assert attempt.grader_pid == child.pid
        assert repo.recover_interrupted(session) == 1
        session.expire_all()
        attempt = repo.get_attempt(session, attempt_id=attempt_id)
        assert attempt is not None and attempt.result is not None
        assert (attempt.status, attempt.error_kind) == ("interrupted", "internal")


CONCURRENT_WRITER = """
import pathlib, sys, time
while not pathlib.Path(sys.argv[2]).exists():
    time.sleep(0.005)
from lmschool.store import open_database, repo
db = open_database(sys.argv[1])
result = {{"passed": True, "score": 1.0, "duration_ms": 1.0, "error": None}}
with db.session() as session:
    lid = repo.get_or_create_learner(session, name="shared").id
    for i in range({rounds}):
        attempt = repo.start_attempt(session, learner_id=lid, exercise_id="e", source=str(i))
        repo.record_hint_view(session, learner_id=lid, exercise_id="e", hint_index=i % 5)
        repo.finish_attempt(session, attempt_id=attempt.id, result=result)
        repo.progress(session, learner_id=lid)
        repo.recover_interrupted(session)
"""


def test_processes_writing_at_once_wait_for_each_other(tmp_path: Path, db_url: str) -> None:
    rounds, writers = 40, 3
    go = tmp_path / "go"
    script = textwrap.dedent(CONCURRENT_WRITER.format(rounds=rounds))
    children = [
        subprocess.Popen(
            [sys.executable, "-c", script, db_url, str(go)],
            env=_child_env(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(writers)
    ]
    go.touch()
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err

    with open_database(db_url) as db, db.session() as session:
        lid = repo.get_or_create_learner(session, name="shared").id
        assert session.query(Learner).count() == 1
        assert repo.attempt_counts(session, learner_id=lid, exercise_id="e") == (
            0,
            rounds * writers,
        )
        assert repo.hints_seen(session, learner_id=lid, exercise_id="e") == 5
        statuses = set(session.scalars(select(Attempt.status)))
        assert statuses == {"done"}
