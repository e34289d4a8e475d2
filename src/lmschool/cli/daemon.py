"""The command daemon: the CLI with everything imported, serving one user's commands.

Started in the background by the entry point (:mod:`lmschool.client`); listens on
``<runtime dir>/cli.sock`` (a 0700 folder of the user), accepts only connections from
its own user (SO_PEERCRED), and serves one command at a time:

1. the client sends one JSON line: ``argv``, the whole environment, the working folder,
   whether its stdout and stderr are terminals, and its :func:`~lmschool.client.code_stamp`;
2. the daemon takes that environment and folder for the command, re-creates the CLI's
   consoles as a fresh process would (same terminal detection, width, colours), runs
   the Typer app, and streams what it prints back as JSON lines ``{"out": ...}`` /
   ``{"err": ...}``, then ``{"exit": code}``.

If the stamp differs (lmschool was upgraded or edited), it answers ``{"restart": true}``
and exits: the client runs the command itself and starts a new daemon. It exits after
``LMSCHOOL_DAEMON_IDLE`` seconds without a command (default 900).

What makes it fast besides the imports: one :class:`~lmschool.grading.grader.Grader` per
configuration (home, data folder, sandbox, packs) lives across commands, with a warm
pool that keeps one started sandbox of each kind of exercise graded so far (NumPy,
PyTorch...), so that the next ``check`` skips the sandbox's start and imports.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import socket
import struct
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from lmschool.client import code_stamp

IDLE_S = 900.0


class _Stream(io.TextIOBase):
    """A text stream that sends each write to the client as one JSON frame."""

    def __init__(self, key: str, sink: Any, tty: bool) -> None:
        self.key, self.sink, self.tty, self.broken = key, sink, tty, False

    def write(self, text: str | bytes) -> int:
        if isinstance(text, bytes | bytearray):  # click writes bytes to a stream's buffer
            text = bytes(text).decode("utf-8", "replace")
        if text and not self.broken:
            try:
                self.sink.write(json.dumps({self.key: text}).encode() + b"\n")
                self.sink.flush()
            except OSError:  # the client went away (Ctrl-C): finish the command silently
                self.broken = True
        return len(text)

    def isatty(self) -> bool:
        return self.tty

    @property
    def buffer(self) -> _Stream:  # the "binary" side: bytes are decoded in write()
        return self

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def fileno(self) -> int:  # Rich asks for the terminal's size through it
        raise io.UnsupportedOperation("a daemon stream has no file descriptor")


def _reset_consoles(env: dict[str, str]) -> None:
    """The CLI's consoles as a new process would create them for this client."""
    from lmschool.cli import render

    render.console.__init__(markup=False, _environ=env)  # type: ignore[misc]
    render.err_console.__init__(stderr=True, markup=False, _environ=env)  # type: ignore[misc]


_GRADERS: dict[tuple, Any] = {}


def _shared_grader(settings: Any, packs: tuple[Path, ...], pool: dict[str, int] | None) -> Any:
    """One grader per configuration for the daemon's life, with a warm pool."""
    from lmschool.grading.grader import Grader

    key = (
        str(settings.home),
        str(settings.data_dir),
        settings.sandbox,
        packs,
        tuple(sorted((pool or {}).items())),
    )
    grader = _GRADERS.get(key)
    if grader is None:
        grader = Grader.from_settings(settings, packs=packs, pool={"numpy": 0, **(pool or {})})
        _GRADERS[key] = grader
    return grader


def _log(folder: Path, line: str) -> None:
    """One line per command in <runtime dir>/daemon.log (restarted past 1 MB)."""
    path = folder / "daemon.log"
    with contextlib.suppress(OSError):
        mode = "w" if path.exists() and path.stat().st_size > 1_000_000 else "a"
        with path.open(mode, encoding="utf-8") as f:
            f.write(line + "\n")


def _serve_one(conn: socket.socket, stamp: str, folder: Path) -> bool:
    """Serve one command; False when the daemon must stop (its code is out of date)."""
    from lmschool.cli import main as cli_main
    from lmschool.config import get_settings

    with conn, conn.makefile("rwb") as stream:
        line = stream.readline()
        if not line:
            return True
        request = json.loads(line)
        if request.get("stamp") != stamp:
            _log(folder, f"{time.strftime('%F %T')} restart: lmschool's code changed")
            stream.write(b'{"restart": true}\n')
            stream.flush()
            return False
        started = time.perf_counter()
        out_tty, err_tty = request.get("tty", [False, False])
        env = {str(k): str(v) for k, v in request["env"].items()}
        saved_env, saved_cwd, saved_argv = dict(os.environ), os.getcwd(), sys.argv
        out = _Stream("out", stream, bool(out_tty))
        err = _Stream("err", stream, bool(err_tty))
        code = 0
        try:
            os.environ.clear()
            os.environ.update(env)
            sys.argv = ["lmschool", *request["argv"]]
            get_settings.cache_clear()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # type: ignore[type-var]
                _reset_consoles(env)
                try:
                    os.chdir(request["cwd"])
                    cli_main(prog_name=request.get("prog") or "lmschool")
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                except BaseException:
                    traceback.print_exc()
                    code = 1
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
            with contextlib.suppress(OSError):
                os.chdir(saved_cwd)
            sys.argv = saved_argv
            get_settings.cache_clear()
        with contextlib.suppress(OSError):
            stream.write(json.dumps({"exit": code}).encode() + b"\n")
            stream.flush()
        command = " ".join(request["argv"][:2])[:200]
        took = time.perf_counter() - started
        _log(folder, f"{time.strftime('%F %T')} served {command!r} exit {code} in {took:.3f} s")
    return True


def _same_user(conn: socket.socket) -> bool:
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return False
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def _listen(path: Path) -> socket.socket | None:
    """Bind the socket, unless a live daemon already has it."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(path))
        return None  # another daemon answers
    except OSError:
        pass
    finally:
        probe.close()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()  # left by a daemon that died
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError:  # another daemon bound it in between
        server.close()
        return None
    os.chmod(path, 0o600)
    server.listen(8)
    return server


def _still_ours(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino == inode
    except OSError:
        return False


def serve(folder: Path, idle_s: float | None = None) -> None:
    """Serve commands until idle for ``idle_s`` seconds or until the code changes."""
    import lmschool.cli  # everything the commands need, imported once
    import lmschool.learning as learning

    lmschool.cli.keep_command()
    if idle_s is None:
        with contextlib.suppress(ValueError):
            idle_s = float(os.environ.get("LMSCHOOL_DAEMON_IDLE", IDLE_S))
    idle_s = idle_s or IDLE_S
    stamp = code_stamp()
    path = folder / "cli.sock"
    server = _listen(path)
    if server is None:
        return
    inode = path.stat().st_ino
    learning.GRADER_PROVIDER = _shared_grader
    learning.DATABASES = {}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.settimeout(idle_s)
    try:
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                break
            conn.settimeout(None)
            if not _same_user(conn):
                conn.close()
                continue
            try:
                if not _serve_one(conn, stamp, folder):
                    break
            except Exception as exc:  # a malformed request: the client reports a stopped
                # daemon and the next command is served as usual
                _log(folder, f"{time.strftime('%F %T')} failed: {type(exc).__name__}: {exc}")
    finally:
        server.close()
        with contextlib.suppress(OSError):
            if _still_ours(path, inode):  # not a newer daemon's socket
                path.unlink()
        for grader in _GRADERS.values():
            with contextlib.suppress(Exception):
                grader.close()
        for database in (learning.DATABASES or {}).values():
            with contextlib.suppress(Exception):
                database.dispose()


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
