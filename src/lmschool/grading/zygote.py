"""Trusted runners forked from a process that has done their imports once.

Every slot has a trusted runner (runner.py), and starting one costs an interpreter
plus its imports: about 3 s of CPU with torch on a 2-core server, as much as the
learner's own side of the slot. A *zygote* is a trusted process that imports the
runner and the profile's heavy libraries (``--preload torch``) once, then forks a
runner per slot on request; the fork inherits the imports and starts in
milliseconds. The learner's side is never forked: each learner process is a fresh
interpreter in a fresh sandbox (slots stay single-use and share nothing).

Protocol, over a ``SOCK_SEQPACKET`` socket pair (message boundaries kept, file
descriptors passed with ``SCM_RIGHTS``):

- spawn request, supervisor -> zygote: JSON ``{"procs": [cgroup.procs paths]}``
  with five descriptors: the runner's stdin, stdout, stderr, and its two pipe ends
  to the learner process (``--to-learner``, ``--from-learner``);
- reply: ``{"pid": N}`` with a pidfd of the child (so the supervisor can kill it
  with no pid-reuse race), or ``{"error": "..."}``;
- exit notice, whenever a child ends: ``{"exit": N, "status": S}``, S as
  ``subprocess`` writes it (negative for a signal).

The child joins its control groups first (exit status 125 when it cannot, as the
shell of ``cgroups.JOIN_SCRIPT``), starts a new session, then runs
``runner.main``. When the zygote cannot start or dies, the supervisor starts
runners as separate interpreters again and logs why (``LMSCHOOL_ZYGOTE=0`` does
that on purpose, e.g. to compare). Standard library only on the zygote side.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path

PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
SPAWN_SECONDS = 180.0  # a first spawn waits for the zygote's own imports
MAX_MESSAGE = 64 * 1024
log = logging.getLogger("lmschool.grading")


class ZygoteError(RuntimeError):
    """The zygote could not start a runner (the caller falls back to a fresh interpreter)."""


def runner_env() -> dict[str, str]:
    """The environment of every trusted runner (and of the zygote that forks them)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH", "")) if p)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


# -- the supervisor's side -------------------------------------------------------------


class ForkedRunner:
    """A runner forked by a zygote, with the part of ``subprocess.Popen`` the grader uses."""

    def __init__(self, pid: int, pidfd: int, stdin: int, stdout: int, stderr: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.stdin = os.fdopen(stdin, "wb")
        self.stdout = os.fdopen(stdout, "rb")
        self.stderr = os.fdopen(stderr, "rb")
        self._pidfd = pidfd
        self._pidfd_lock = threading.Lock()
        self._done = threading.Event()
        self._io: list[threading.Thread] | None = None
        self._out: list[bytes] = []
        self._err: list[bytes] = []

    def _exited(self, status: int) -> None:
        with self._pidfd_lock:
            if self.returncode is None:
                self.returncode = status
            if self._pidfd >= 0:
                os.close(self._pidfd)
                self._pidfd = -1
        self._done.set()

    def poll(self) -> int | None:
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if not self._done.wait(timeout):
            raise subprocess.TimeoutExpired("lmschool.grading.runner", timeout or 0.0)
        assert self.returncode is not None
        return self.returncode

    def kill(self) -> None:
        with self._pidfd_lock:
            if self._pidfd >= 0:
                with contextlib.suppress(ProcessLookupError, OSError):
                    signal.pidfd_send_signal(self._pidfd, signal.SIGKILL)

    def communicate(
        self, input: bytes | None = None, timeout: float | None = None
    ) -> tuple[bytes, bytes]:
        """Send ``input``, read both streams to their end and wait, like ``Popen.communicate``.

        After ``TimeoutExpired`` a second call goes on where the first stopped (the
        input is not sent twice), as with ``Popen``.
        """
        if self._io is None:
            self._io = [
                threading.Thread(target=self._write, args=(input,), daemon=True),
                threading.Thread(target=self._read, args=(self.stdout, self._out), daemon=True),
                threading.Thread(target=self._read, args=(self.stderr, self._err), daemon=True),
            ]
            for thread in self._io:
                thread.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._io:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                raise subprocess.TimeoutExpired("lmschool.grading.runner", timeout or 0.0)
        self.wait(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return b"".join(self._out), b"".join(self._err)

    def _write(self, data: bytes | None) -> None:
        with contextlib.suppress(BrokenPipeError, OSError, ValueError):
            if data:
                self.stdin.write(data)
            self.stdin.close()

    @staticmethod
    def _read(stream, into: list[bytes]) -> None:
        with contextlib.suppress(OSError, ValueError):
            while chunk := stream.read1(65536):
                into.append(chunk)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            if self._pidfd >= 0:
                os.close(self._pidfd)


class Zygote:
    """The supervisor's handle on one zygote process (one per preload set, per process)."""

    def __init__(self, preload: tuple[str, ...]) -> None:
        self.preload = preload
        self.owner = os.getpid()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        argv = [sys.executable, "-m", "lmschool.grading.zygote", "--fd", str(theirs.fileno())]
        for mod in preload:
            argv += ["--preload", mod]
        try:
            self.proc = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                env=runner_env(),
                start_new_session=True,
            )
        finally:
            theirs.close()
        self.sock = ours
        self.alive = True
        self._closed = False
        self._spawn_lock = threading.Lock()  # one request (and its reply) at a time
        self._state = threading.Lock()
        self._reply: list[tuple[dict, list[int]]] = []
        self._replied = threading.Condition(self._state)
        self._children: dict[int, ForkedRunner] = {}
        self._early: dict[int, int] = {}  # exit notices that came before their handle
        threading.Thread(target=self._listen, name="zygote-listener", daemon=True).start()

    def spawn(self, procs: list[str], fds: tuple[int, int]) -> ForkedRunner:
        """A new runner joined to the learner's pipe ends ``fds`` (to, from the learner)."""
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        stderr_r, stderr_w = os.pipe()
        theirs = [stdin_r, stdout_w, stderr_w, *fds]
        ours = [stdin_w, stdout_r, stderr_r]
        try:
            with self._spawn_lock:
                if not self.alive:
                    raise ZygoteError("the zygote is gone")
                request = json.dumps({"procs": procs}).encode()
                try:
                    socket.send_fds(self.sock, [request], theirs)
                except OSError as exc:
                    raise ZygoteError(f"cannot reach the zygote: {exc}") from exc
                with self._replied:
                    if not self._replied.wait_for(
                        lambda: self._reply or not self.alive, SPAWN_SECONDS
                    ):
                        # Stop it: a late fork would hold the learner's pipe ends too.
                        self.proc.kill()
                        raise ZygoteError(f"the zygote did not answer in {SPAWN_SECONDS:.0f} s")
                    if not self._reply:
                        raise ZygoteError("the zygote died before it answered")
                    reply, pidfds = self._reply.pop()
                if "error" in reply:
                    for fd in pidfds:
                        os.close(fd)
                    raise ZygoteError(reply["error"])
                pid = int(reply["pid"])
                handle = ForkedRunner(pid, pidfds[0], stdin_w, stdout_r, stderr_r)
                ours = []
                with self._state:
                    if pid in self._early:
                        handle._exited(self._early.pop(pid))
                    else:
                        self._children[pid] = handle
                return handle
        finally:
            for fd in theirs[:3] + ours:
                os.close(fd)

    def _listen(self) -> None:
        while True:
            try:
                data, fds, _flags, _addr = socket.recv_fds(self.sock, MAX_MESSAGE, 4)
            except OSError:
                data, fds = b"", []
            if not data:
                break
            message = json.loads(data)
            if "exit" in message:
                pid, status = int(message["exit"]), int(message["status"])
                with self._state:
                    handle = self._children.pop(pid, None)
                    if handle is None:
                        self._early[pid] = status
                if handle is not None:
                    handle._exited(status)
            else:
                with self._replied:
                    self._reply.append((message, fds))
                    self._replied.notify_all()
        # The zygote is gone: its children are orphans we cannot reap; stop them.
        with self._replied:
            self.alive = False
            orphans = list(self._children.values())
            self._children.clear()
            self._replied.notify_all()
        for handle in orphans:
            handle.kill()
            handle._exited(-signal.SIGKILL)
        if self.owner == os.getpid() and not self._closed:
            log.warning("the runner zygote (preload %s) ended; runners start fresh", self.preload)

    def close(self) -> None:
        self._closed = True
        self.alive = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self.sock.close()
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=5)


_ZYGOTES: dict[tuple[str, ...], Zygote] = {}
_ZYGOTES_LOCK = threading.Lock()
_FAILED: set[tuple[str, ...]] = set()


def enabled() -> bool:
    return os.environ.get("LMSCHOOL_ZYGOTE", "1") != "0" and hasattr(socket, "send_fds")


def spawn_runner(preload: tuple[str, ...], procs: list[str], fds: tuple[int, int]):
    """A forked runner, or None when zygotes are off or this one cannot work here."""
    if not enabled():
        return None
    with _ZYGOTES_LOCK:
        zygote = _ZYGOTES.get(preload)
        if zygote is not None and (not zygote.alive or zygote.owner != os.getpid()):
            zygote = None
        if zygote is None:
            if preload in _FAILED:
                return None
            try:
                zygote = _ZYGOTES[preload] = Zygote(preload)
            except OSError as exc:
                _FAILED.add(preload)
                log.warning("no runner zygote (%s): runners start as fresh interpreters", exc)
                return None
    try:
        return zygote.spawn(procs, fds)
    except ZygoteError as exc:
        log.warning("runner zygote: %s; this runner starts as a fresh interpreter", exc)
        return None


@atexit.register
def close_all() -> None:
    with _ZYGOTES_LOCK:
        zygotes = [z for z in _ZYGOTES.values() if z.owner == os.getpid()]
        _ZYGOTES.clear()
    for zygote in zygotes:
        zygote.close()


# -- the zygote's side ------------------------------------------------------------------


def _child(procs: list[str], fds: list[int], closing: list[int]) -> None:
    """In the fork: join the groups, take the descriptors, run the runner; never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for path in procs:
            try:
                with open(path, "w") as f:
                    f.write(str(os.getpid()))
            except OSError:
                os._exit(125)
        os.setsid()
        for fd in closing:
            os.close(fd)
        stdin, stdout, stderr, to_learner, from_learner = fds
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
            os.close(fd)
        from lmschool.grading import runner

        runner.main(["--to-learner", str(to_learner), "--from-learner", str(from_learner)])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def serve(sock: socket.socket, preload: list[str]) -> None:
    for mod in preload:
        __import__(mod)
    import lmschool.grading.runner  # noqa: F401  (what every fork runs)

    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)

    def send(message: dict, fds: tuple[int, ...] = ()) -> None:
        try:
            socket.send_fds(sock, [json.dumps(message).encode()], list(fds))
        except OSError:
            os._exit(0)  # the supervisor is gone

    while True:
        for key, _ in selector.select():
            if key.fileobj is sock:
                data, fds, _flags, _addr = socket.recv_fds(sock, MAX_MESSAGE, 8)
                if not data:
                    os._exit(0)  # the supervisor is gone; running forks finish on their own
                if len(fds) != 5:
                    for fd in fds:
                        os.close(fd)
                    send({"error": f"a spawn request needs 5 descriptors, got {len(fds)}"})
                    continue
                procs = json.loads(data)["procs"]
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    _child(procs, fds, [sock.fileno(), wake_r, wake_w])
                for fd in fds:
                    os.close(fd)
                pidfd = os.pidfd_open(pid)  # not reaped yet: it is this child
                try:
                    send({"pid": pid}, (pidfd,))
                finally:
                    os.close(pidfd)
            else:
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_r, 512):
                        pass
                while True:
                    try:
                        pid, status = os.waitpid(-1, os.WNOHANG)
                    except ChildProcessError:
                        break
                    if pid == 0:
                        break
                    send({"exit": pid, "status": os.waitstatus_to_exitcode(status)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fd", type=int, required=True, help="the socket to the supervisor")
    parser.add_argument("--preload", action="append", default=[])
    args = parser.parse_args()
    serve(socket.socket(fileno=args.fd), args.preload)


if __name__ == "__main__":
    main()
