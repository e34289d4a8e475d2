"""The command daemon: the same output as in-process, faster; private; self-stopping.

Each test starts a daemon in a private runtime folder and runs the real entry point
(`python -m lmschool`) once through the daemon and once with LMSCHOOL_DAEMON=0, on a
pipe and on a pseudo-terminal, and compares stdout, stderr and the exit code byte for
byte. Speed is measured in bench/cli.py, not here.
"""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmschool.client import code_stamp, runtime_dir
from tests.conftest import HAS_BWRAP, TESTPACK

SRC = str(Path(__file__).resolve().parents[1] / "src")
COURSE = ["--course", str(TESTPACK)]


def _env(home: Path, folder: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LMSCHOOL_")}
    env.update(
        LMSCHOOL_HOME=str(home),
        LMSCHOOL_LEARNER="tester",
        LMSCHOOL_DAEMON_DIR=str(folder),
        LMSCHOOL_DAEMON_IDLE="120",
        PYTHONPATH=SRC,
        **extra,
    )
    if os.environ.get("LMSCHOOL_DATA_DIR"):
        env["LMSCHOOL_DATA_DIR"] = os.environ["LMSCHOOL_DATA_DIR"]
    return env


def _served(folder: Path) -> list[str]:
    log = folder / "daemon.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(home, runtime folder) with a daemon listening; stopped afterwards."""
    home, folder = tmp_path / "home", tmp_path / "run"
    folder.mkdir(mode=0o700)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lmschool.cli.daemon", str(folder)],
        env=_env(home, folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (folder / "cli.sock").exists():
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the daemon did not start"
        time.sleep(0.05)
    yield home, folder
    proc.terminate()
    proc.wait(timeout=30)


def _run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "lmschool", *args], env=env, capture_output=True, text=True
    )
    return proc.returncode, proc.stdout, proc.stderr


def _run_tty(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(sys.executable, [sys.executable, "-m", "lmschool", *args], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out


COMMANDS = [
    ["--help"],
    ["list", *COURSE],
    ["list", "--json", *COURSE],
    ["progress", *COURSE, "--lang", "zh"],
    ["show", "basics/numpy-warmup", "--no-pager", *COURSE],
    ["hint", "basics/numpy-warmup/mean-quiz", *COURSE],
    ["check", "basics/numpy-warmup/mean-quiz", "--answer", "banana", *COURSE],
    ["show", "basics/no-such-lesson", "--no-pager", *COURSE],
    ["glossary", "--lang", "zh"],
]


def test_the_daemon_prints_exactly_what_the_command_prints_in_process(daemon) -> None:  # noqa: ANN001
    home, folder = daemon
    twin = home.parent / "twin"  # the same commands in-process, on a home of their own
    for args in COMMANDS:
        here = _run(args, _env(twin, folder, LMSCHOOL_DAEMON="0"))
        served_before = len(_served(folder))
        there = _run(args, _env(home, folder))
        assert len(_served(folder)) == served_before + 1, f"{args}: not served by the daemon"
        assert there == here, f"{args}: the daemon's output differs"


def test_on_a_terminal_width_and_colours_are_the_clients(daemon) -> None:  # noqa: ANN001
    home, folder = daemon
    twin = home.parent / "twin"
    for columns in ("60", "100"):
        for args in (["progress", *COURSE], ["hint", "basics/numpy-warmup/standardize", *COURSE]):
            env = _env(home, folder, COLUMNS=columns, TERM="xterm-256color")
            env.pop("NO_COLOR", None)
            here = _run_tty(
                args,
                {
                    **_env(twin, folder, COLUMNS=columns, TERM="xterm-256color"),
                    "LMSCHOOL_DAEMON": "0",
                },
            )
            there = _run_tty(args, env)
            assert there == here, f"{args} at {columns} columns differs on a terminal"
            assert b"\x1b[" in there[1], "colours on a terminal"
    assert any("progress" in line for line in _served(folder))


@pytest.mark.skipif(not HAS_BWRAP, reason="bubblewrap is not installed")
def test_code_checks_through_the_daemon_grade_as_in_process(daemon) -> None:  # noqa: ANN001
    home, folder = daemon
    solution = TESTPACK / "basics/numpy-warmup/exercises/standardize/solution.py"
    args = ["check", "basics/numpy-warmup/standardize", "--file", str(solution), *COURSE]
    here = _run(args, _env(home.parent / "twin", folder, LMSCHOOL_DAEMON="0"))
    first = _run(args, _env(home, folder))
    second = _run(args, _env(home, folder))  # in a sandbox the first check left warm
    assert here[0] == first[0] == second[0] == 0, first[1][-2000:]
    assert first[1] == second[1] == here[1]


def _request(folder: Path, request: dict) -> list[dict]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(folder / "cli.sock"))
        sock.sendall(json.dumps(request).encode() + b"\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return [json.loads(line) for line in data.splitlines()]


def test_a_daemon_with_other_code_asks_for_a_restart_and_stops(daemon) -> None:  # noqa: ANN001
    home, folder = daemon
    request = {"argv": ["list"], "env": _env(home, folder), "cwd": "/", "tty": [False, False]}
    frames = _request(folder, {**request, "stamp": "an older lmschool"})
    assert frames == [{"restart": True}]
    deadline = time.monotonic() + 30
    while (folder / "cli.sock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not (folder / "cli.sock").exists(), "the daemon stopped and removed its socket"
    # the client then runs the command itself, and it still works
    code, out, _ = _run(["list", *COURSE], _env(home, folder))
    assert code == 0 and "basics/numpy-warmup" in out


def test_the_daemon_serves_a_raw_request_and_reports_the_exit_code(daemon) -> None:  # noqa: ANN001
    home, folder = daemon
    env = _env(home, folder)
    frames = _request(
        folder,
        {
            "argv": ["show", "basics/nope", "--no-pager", *COURSE],
            "env": env,
            "cwd": "/",
            "tty": [False, False],
            "stamp": code_stamp(),
        },
    )
    assert frames[-1] == {"exit": 2}
    assert any("err" in f and "basics/nope" in f["err"] for f in frames)


def test_the_daemon_stops_when_idle(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "run"
    folder.mkdir(mode=0o700)
    env = {**_env(home, folder), "LMSCHOOL_DAEMON_IDLE": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "lmschool.cli.daemon", str(folder)], env=env)
    assert proc.wait(timeout=60) == 0
    assert not (folder / "cli.sock").exists()


def test_an_unsafe_runtime_folder_is_not_used(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("LMSCHOOL_DAEMON_DIR", str(shared))
    assert runtime_dir() is None, "a folder others may write to could hold a planted socket"
    private = tmp_path / "private"
    monkeypatch.setenv("LMSCHOOL_DAEMON_DIR", str(private))
    assert runtime_dir() == str(private) and (private.stat().st_mode & 0o777) == 0o700


def test_without_a_daemon_the_command_runs_here_and_starts_one(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "run"
    env = {**_env(home, folder), "LMSCHOOL_DAEMON_IDLE": "20"}
    code, out, _ = _run(["list", *COURSE], env)
    assert code == 0 and "basics/numpy-warmup" in out
    deadline = time.monotonic() + 60
    while not (folder / "cli.sock").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (folder / "cli.sock").exists(), "a daemon was started for the next command"
    code, out2, _ = _run(["list", *COURSE], env)
    assert code == 0 and out2 == out and _served(folder)
    _request(folder, {"argv": [], "env": env, "cwd": "/", "tty": [False, False], "stamp": "x"})
