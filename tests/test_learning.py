"""The learning loop: watch mode, and crash safety of recorded attempts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from lmschool.cli.watching import watch_loop
from lmschool.config import get_settings
from lmschool.learning import Learning, load_catalog
from lmschool.store import open_database, repo
from tests.conftest import ROOT, TESTPACK

STANDARDIZE = "basics/numpy-warmup/standardize"
RUNNING_MEAN = "basics/numpy-warmup/running-mean"


def _learning() -> Learning:
    settings = get_settings()
    return Learning(settings, load_catalog(settings, [TESTPACK]), pool={"numpy": 1})


def test_watch_rechecks_on_save_and_moves_on_when_it_passes(home: Path) -> None:
    results: list[tuple[str, bool]] = []
    stop = threading.Event()
    with _learning() as L:
        ex, path, _ = L.start(STANDARDIZE)

        def on_result(ex, result) -> None:  # noqa: ANN001
            results.append((ex.id, result.passed))
            if ex.id == RUNNING_MEAN:
                stop.set()

        loop = threading.Thread(
            target=watch_loop, args=(L, ex, "en"), kwargs={"stop": stop, "on_result": on_result}
        )
        loop.start()
        deadline = time.monotonic() + 60
        while not results and time.monotonic() < deadline:
            time.sleep(0.05)
        assert results == [(STANDARDIZE, False)], "watch checks the starter at once"
        path.write_text(
            (TESTPACK / "basics/numpy-warmup/exercises/standardize/solution.py").read_text()
        )
        loop.join(timeout=90)
        stop.set()
        assert not loop.is_alive()
        assert (STANDARDIZE, True) in results
        assert results[-1] == (RUNNING_MEAN, False), (
            "after a pass, watch starts and checks the next exercise"
        )
        assert (home / "workspace/tester/basics/numpy-warmup/running-mean.py").exists()
        with L.session() as s:
            assert repo.get_current_exercise(s, learner_id=L.learner_id) == RUNNING_MEAN


def test_a_killed_grader_loses_no_attempt(home: Path, tmp_path: Path) -> None:
    """SIGKILL the CLI mid-grading: the attempt and its source are recorded, then marked interrupted."""
    source = "import time\ntime.sleep(1000)\n"
    sub = tmp_path / "slow.py"
    sub.write_text(source)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lmschool",
            "check",
            STANDARDIZE,
            "--file",
            str(sub),
            "--course",
            str(TESTPACK),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    db = open_database(get_settings().db_url)
    try:
        deadline = time.monotonic() + 60
        running = []
        while time.monotonic() < deadline and not running:
            time.sleep(0.1)
            with db.session() as s:
                learner = repo.get_or_create_learner(s, name="tester")
                running = [
                    a for a in repo.list_attempts(s, learner_id=learner.id) if a.status == "running"
                ]
        assert running, "the attempt is recorded before grading starts"
        time.sleep(0.5)  # now grading is under way
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        with db.session() as s:
            assert repo.recover_interrupted(s) == 1
            attempt = repo.list_attempts(s, learner_id=learner.id)[0]
            assert attempt.status == "interrupted"
            assert attempt.source == source
            assert attempt.result["error"]["kind"] == "internal"
    finally:
        if proc.poll() is None:
            proc.kill()
        db.dispose()
    # Nothing of the sandbox survives its supervisor.
    time.sleep(0.5)
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert "time.sleep(1000)" not in ps
    assert "/opt/lmschool-host/host.py" not in ps or _no_orphan_hosts(ps)


def _no_orphan_hosts(ps: str) -> bool:
    # Other tests may run graders in parallel; an orphan would have init (pid 1) as parent.
    out = subprocess.run(["ps", "-eo", "ppid,args"], capture_output=True, text=True).stdout
    return not any(
        line.strip().startswith("1 ") and "lmschool-host" in line for line in out.splitlines()
    )


def test_solution_unlock_counts_only_the_learners_failures(home: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("LMSCHOOL_SOLUTION_AFTER", "1")
    get_settings.cache_clear()
    with _learning() as L:
        ex = L.catalog.exercise(STANDARDIZE)
        from lmschool.learning import LearningError

        try:
            L.solution(ex)
            raise AssertionError("solution must be locked before any attempt")
        except LearningError as exc:
            assert exc.key == "cli.solution_locked"
        result = L.check_code(ex, "def standardize(X):\n    return X\n")
        assert not result.passed
        assert "def standardize" in L.solution(ex).source


def test_an_answer_that_is_not_an_answer_does_not_count(home: Path) -> None:
    """A word where a number is asked, or nothing: refused, and no attempt is recorded."""
    with _learning() as L:
        quiz = next(ex for ex in L.catalog.exercises() if ex.kind == "quiz")
        for typed in ("", "   ", "seven", "3,5"):
            result = L.check_quiz(quiz, typed)
            assert result.error is not None and result.error.kind == "syntax", typed
        with L.session() as s:
            assert repo.list_attempts(s, learner_id=L.learner_id) == []
        from lmschool.course.quiz import right_answer

        assert L.check_quiz(quiz, right_answer(quiz, L.seed(quiz.id))).passed
        with L.session() as s:
            assert len(repo.list_attempts(s, learner_id=L.learner_id)) == 1


def test_each_learner_has_their_own_workspace_file(home: Path, monkeypatch) -> None:  # noqa: ANN001
    from lmschool.learning import learner_folder

    paths = {}
    for name in ("ada", "lin", "../../etc"):
        monkeypatch.setenv("LMSCHOOL_LEARNER", name)
        get_settings.cache_clear()
        with _learning() as L:
            _, path, written = L.start(STANDARDIZE)
            assert written and path is not None and path.exists()
            paths[name] = path
    assert len(set(paths.values())) == 3
    workspace = home / "workspace"
    for path in paths.values():
        assert workspace in path.parents  # no name escapes the workspace
    assert learner_folder("ada") == "ada" and "/" not in learner_folder("../../etc")
