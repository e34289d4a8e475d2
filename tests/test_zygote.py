"""Runners forked by a zygote behave as runners started fresh (grading/zygote.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from lmschool.course import Catalog
from lmschool.grading import zygote
from lmschool.grading.grader import Grader, detect_protections, seed_for
from tests.conftest import TESTPACK

pytestmark = pytest.mark.sandbox

CATALOG = Catalog.load([TESTPACK], include_bundled=False)
TORCH = CATALOG.exercise("basics/torch-warmup/linear-forward")
NUMPY = CATALOG.exercise("basics/numpy-warmup/standardize")
PROTECTIONS = detect_protections("auto")


def _grade(grader: Grader, ex, learner: str = "ada"):
    source = ex.solution_path.read_text(encoding="utf-8")
    return grader.grade(ex, source, seed=seed_for(learner, ex.id))


@pytest.fixture
def own_zygotes(monkeypatch: pytest.MonkeyPatch):
    """Zygotes of this test alone: none shared with other tests of the worker."""
    monkeypatch.setattr(zygote, "_ZYGOTES", {})
    monkeypatch.setattr(zygote, "_FAILED", set())
    monkeypatch.setenv("LMSCHOOL_ZYGOTE", "1")
    yield zygote._ZYGOTES
    for z in list(zygote._ZYGOTES.values()):
        z.close()


def _pipe_pair() -> tuple[int, int, list[int]]:
    """Two descriptors standing in for a learner's pipe ends, and what to close later."""
    to_r, to_w = os.pipe()
    from_r, from_w = os.pipe()
    return to_w, from_r, [to_r, to_w, from_r, from_w]


def test_torch_runner_is_forked_and_its_grading_passes(own_zygotes) -> None:
    grader = Grader(sandbox="auto")
    try:
        for learner in ("ada", "lin"):
            result = _grade(grader, TORCH, learner)
            assert result.passed and result.score == 1.0, result.checks
    finally:
        grader.close()
    (z,) = own_zygotes.values()
    assert z.preload == ("torch",) and z.alive


def test_numpy_and_torch_runners_come_from_separate_zygotes(own_zygotes) -> None:
    grader = Grader(sandbox="auto")
    try:
        assert _grade(grader, NUMPY).passed
        assert _grade(grader, TORCH).passed
    finally:
        grader.close()
    assert set(own_zygotes) == {(), ("torch",)}


@pytest.mark.skipif(not PROTECTIONS.cgroups.available, reason="no cgroups on this machine")
def test_forked_runner_joins_its_own_control_group(own_zygotes) -> None:
    from lmschool.grading.grader import profile_of, start_slot

    grader = Grader(sandbox="auto")
    slot = start_slot(profile_of(NUMPY), grader.spec, grader.protections)
    try:
        assert isinstance(slot.runner, zygote.ForkedRunner)
        name = slot.groups["runner"].name
        deadline = time.monotonic() + 20  # the fork joins its groups first thing, after the reply
        while name not in (cgroup := Path(f"/proc/{slot.runner.pid}/cgroup").read_text()):
            assert time.monotonic() < deadline, cgroup
            time.sleep(0.02)
        for procs in slot.groups["runner"].procs_files:
            assert str(slot.runner.pid) in Path(procs).read_text().split()
    finally:
        slot.close()
        grader.close()


def test_a_killed_zygote_is_replaced_and_grading_goes_on(own_zygotes) -> None:
    grader = Grader(sandbox="auto")
    try:
        assert _grade(grader, NUMPY).passed
        (first,) = own_zygotes.values()
        first.proc.kill()
        first.proc.wait(10)
        deadline = time.monotonic() + 10
        while first.alive and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not first.alive
        result = _grade(grader, NUMPY, "lin")
        assert result.passed and result.score == 1.0, result.checks
        assert own_zygotes[()] is not first and own_zygotes[()].alive
    finally:
        grader.close()


def test_zygotes_can_be_turned_off(own_zygotes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LMSCHOOL_ZYGOTE", "0")
    assert zygote.spawn_runner((), [], (0, 1)) is None
    grader = Grader(sandbox="auto")
    try:
        assert _grade(grader, NUMPY).passed
    finally:
        grader.close()
    assert own_zygotes == {}


def test_a_runner_that_cannot_join_its_group_exits_125(own_zygotes, tmp_path: Path) -> None:
    to_learner, from_learner, fds = _pipe_pair()
    try:
        runner = zygote.spawn_runner(
            (), [str(tmp_path / "missing" / "cgroup.procs")], (to_learner, from_learner)
        )
        assert isinstance(runner, zygote.ForkedRunner)
        assert runner.wait(30) == 125
    finally:
        for fd in fds:
            os.close(fd)


def test_communicate_times_out_then_kill_ends_the_runner(own_zygotes) -> None:
    """A runner waiting for a learner that never says hello, as Popen would behave."""
    to_learner, from_learner, fds = _pipe_pair()
    try:
        runner = zygote.spawn_runner((), [], (to_learner, from_learner))
        assert isinstance(runner, zygote.ForkedRunner) and runner.poll() is None
        with pytest.raises(subprocess.TimeoutExpired):
            runner.communicate(b"", timeout=0.5)
        runner.kill()
        out, _err = runner.communicate(timeout=30)
        assert runner.returncode == -signal.SIGKILL
        assert out == b""  # no "ready": the learner never said hello
    finally:
        for fd in fds:
            os.close(fd)


def test_runners_of_a_dead_zygote_are_stopped(own_zygotes) -> None:
    to_learner, from_learner, fds = _pipe_pair()
    try:
        runner = zygote.spawn_runner((), [], (to_learner, from_learner))
        assert isinstance(runner, zygote.ForkedRunner)
        own_zygotes[()].proc.kill()
        assert runner.wait(30) == -signal.SIGKILL
        deadline = time.monotonic() + 10
        while Path(f"/proc/{runner.pid}").exists() and time.monotonic() < deadline:
            status = Path(f"/proc/{runner.pid}/status")
            if status.exists() and "zombie" in status.read_text():
                break
            time.sleep(0.05)
        assert (
            not Path(f"/proc/{runner.pid}").exists()
            or "zombie" in Path(f"/proc/{runner.pid}/status").read_text()
        )
    finally:
        for fd in fds:
            os.close(fd)
