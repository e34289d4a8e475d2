"""The supervisor: grade one submission and always return a result document.

For each submission it takes a *slot*, a learner process (sandboxed host) and a
trusted runner joined by two pipes, either pre-started by a :class:`WarmPool` or
started on the spot (both processes start in parallel, so a one-shot grading
costs about one interpreter start with NumPy). It sends the job to the runner,
enforces the wall-clock deadline on both processes, caps learner output, and
turns whatever happened (a normal result, a crash, a kill) into a
:class:`~lmschool.grading.result.Result`. Slots are single-use.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from lmschool.grading.result import ErrorInfo, Result, SandboxInfo, failure
from lmschool.grading.secret import hidden_seed, load_or_create
from lmschool.grading.sandbox import (
    OUTPUT_LIMIT,
    Backend,
    LearnerProcess,
    SandboxSpec,
    detect_backend,
    start_learner_process,
)
from lmschool.i18n import msg

GRACE_SECONDS = 5.0  # beyond the wall limit before the supervisor kills everything
PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


class GradableExercise(Protocol):
    """What the grader needs from a code exercise (see lmschool.course.model)."""

    id: str
    dir: Path
    names: list[str]
    needs: list[str]

    @property
    def limits(self) -> Any: ...


def seed_for(learner: str, exercise_id: str) -> int:
    """The per-learner, per-exercise seed: stable, and different for every learner."""
    digest = hashlib.sha256(f"{learner}\0{exercise_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def flavor_of(needs: list[str] | tuple[str, ...]) -> str:
    return "torch" if "torch" in needs else "numpy"


@dataclass
class Slot:
    flavor: str
    learner: LearnerProcess
    runner: subprocess.Popen[bytes]
    started: float
    warm: bool = False

    def close(self) -> None:
        self.learner.close()
        if self.runner.poll() is None:
            self.runner.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.runner.wait(timeout=10)
        for stream in (self.runner.stdin, self.runner.stdout, self.runner.stderr):
            if stream:
                with contextlib.suppress(OSError):
                    stream.close()


def _runner_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH", "")) if p)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    return env


def start_slot(flavor: str, spec: SandboxSpec, backend: Backend) -> Slot:
    preload = ("torch",) if flavor == "torch" else ()
    learner = start_learner_process(SandboxSpec(**{**spec.__dict__, "preload": preload}), backend)
    try:
        argv = [
            sys.executable,
            "-m",
            "lmschool.grading.runner",
            "--to-learner",
            str(learner.runner_write),
        ]
        argv += ["--from-learner", str(learner.runner_read)]
        for mod in preload:
            argv += ["--preload", mod]
        runner = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            pass_fds=(learner.runner_write, learner.runner_read),
            env=_runner_env(),
            start_new_session=True,
        )
    except BaseException:
        learner.close()
        raise
    # Only the runner holds the channel now, so the ends close when either side dies.
    os.close(learner.runner_write)
    os.close(learner.runner_read)
    learner.runner_write = learner.runner_read = -1
    return Slot(flavor=flavor, learner=learner, runner=runner, started=time.monotonic())


def _sandbox_info(backend: Backend, warm: bool) -> SandboxInfo:
    return SandboxInfo(
        isolated=backend.isolated,
        backend=backend.name,
        warm=warm,
        warning=None if backend.isolated else msg("sandbox.not_isolated").both(),
    )


def run_in_slot(
    slot: Slot,
    exercise: GradableExercise,
    source: str,
    *,
    seed: int,
    backend: Backend,
    hidden_seed: int = 0,
) -> Result:
    """Grade in ``slot`` (consumed); never raises for anything the learner did."""
    limits = exercise.limits
    wall = float(limits.wall_seconds)
    job = {
        "exercise": exercise.id,
        "dir": str(Path(exercise.dir).resolve()),
        "names": list(exercise.names),
        "source": source,
        "seed": seed,
        "hidden_seed": hidden_seed,
        "limits": {
            "cpu_seconds": limits.cpu_seconds,
            "memory_mb": limits.memory_mb,
            "wall_seconds": wall,
        },
    }
    sandbox = _sandbox_info(backend, slot.warm)
    started = time.monotonic()
    out: bytes = b""
    err: bytes = b""
    timed_out = False
    try:
        try:
            out, err = slot.runner.communicate(
                json.dumps(job).encode() + b"\n", timeout=wall + GRACE_SECONDS
            )
        except subprocess.TimeoutExpired:
            timed_out = True
            slot.learner.kill("timeout")
            slot.runner.kill()
            out, err = slot.runner.communicate(timeout=10)
    except Exception as exc:  # the supervisor itself failed: still a result
        slot.close()
        return failure(
            exercise.id,
            "internal",
            msg("error.internal", detail=repr(exc)),
            sandbox=sandbox,
            seed=seed,
        )
    finally:
        # A learner process that ended by itself may still be exiting: give it a moment so
        # its own exit status is kept, rather than the SIGKILL this would send.
        with contextlib.suppress(subprocess.TimeoutExpired):
            slot.learner.popen.wait(timeout=0.5)
        slot.learner.kill()
    # Wait for the learner process to be reaped so its exit status and output are final.
    with contextlib.suppress(subprocess.TimeoutExpired):
        slot.learner.popen.wait(timeout=10)
    if slot.learner._reader is not None:
        slot.learner._reader.join(timeout=5)
    output, truncated = slot.learner.output_text()
    duration = (time.monotonic() - started) * 1000
    killed_for = slot.learner.killed_for
    killed_by_us = slot.learner.killed_by_supervisor
    status = slot.learner.returncode()
    slot.close()

    learner_gone = True
    if timed_out:
        result = failure(
            exercise.id,
            "timeout",
            msg("error.timeout_wall", seconds=wall),
            sandbox=sandbox,
            seed=seed,
        )
    else:
        try:
            doc = json.loads(out.decode("utf-8").strip().splitlines()[-1])
            learner_gone = bool(doc.pop("learner_gone", False))
            doc.update(sandbox=sandbox.model_dump(), duration_ms=duration)
            result = Result.model_validate(doc)
        except Exception:
            detail = (
                f"runner exited with {slot.runner.returncode}: "
                + err.decode("utf-8", "replace")[-1500:]
            )
            result = failure(
                exercise.id,
                "internal",
                msg("error.internal", detail=detail),
                sandbox=sandbox,
                seed=seed,
            )
    result = _attribute_death(
        result,
        learner_gone=learner_gone,
        killed_for=killed_for,
        status=status,
        limits=limits,
        wall=wall,
        killed_by_us=killed_by_us,
    )
    result.output, result.output_truncated = output, truncated
    result.duration_ms = duration
    return result


def _attribute_death(
    result: Result,
    *,
    learner_gone: bool,
    killed_for: str | None,
    status: int | None,
    limits: Any,
    wall: float,
    killed_by_us: bool = False,
) -> Result:
    """When the learner process died, say why: the supervisor knows what it killed."""
    if result.error is not None and result.error.kind in ("syntax", "missing-name", "internal"):
        return result
    if killed_for == "output-limit":
        kind, message = "output-limit", msg("error.output_limit", kb=OUTPUT_LIMIT // 1024)
    elif killed_for == "timeout":
        kind, message = "timeout", msg("error.timeout_wall", seconds=wall)
    elif learner_gone:
        sig = (
            -status
            if status is not None and status < 0
            else (status - 128 if status and status > 128 else 0)
        )
        if sig == signal.SIGXCPU or (sig == signal.SIGKILL and not killed_by_us):
            # SIGXCPU at the soft CPU limit; SIGKILL at the hard one if the learner ignored SIGXCPU.
            kind, message = "timeout", msg("error.timeout_cpu", seconds=limits.cpu_seconds)
        elif sig:
            kind, message = (
                "runtime",
                msg("error.process_ended", status=f"signal {signal.Signals(sig).name}"),
            )
        else:
            kind, message = "runtime", msg("error.process_ended", status=status)
    else:
        return result
    result.error = ErrorInfo(kind=kind, message=message.both())  # type: ignore[arg-type]
    result.passed = False
    return result


def _await_ready(slot: Slot, timeout: float = 120.0) -> bool:
    """Read the runner's first line: "ready" once both processes have done their imports."""
    assert slot.runner.stdout is not None
    fd = slot.runner.stdout.fileno()
    line = b""
    deadline = time.monotonic() + timeout
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return False
        byte = os.read(fd, 1)  # byte by byte: the rest of the stream is the result
        if not byte:
            return False
        line += byte
    return line == b"ready\n"


class WarmPool:
    """Pre-started, single-use slots per flavor ("numpy", "torch"), refilled in the background."""

    def __init__(self, backend: Backend, spec: SandboxSpec, sizes: dict[str, int]) -> None:
        self.backend, self.spec, self.sizes = backend, spec, dict(sizes)
        self._ready: dict[str, queue.Queue[Slot]] = {f: queue.Queue() for f in self.sizes}
        self._closed = False
        self._lock = threading.Lock()
        # One long-lived thread starts every pooled slot: bwrap's --die-with-parent
        # (PR_SET_PDEATHSIG) fires when the *thread* that started it exits, so a slot
        # started by a short-lived thread would be killed as soon as that thread ended.
        self._requests: queue.Queue[str | None] = queue.Queue()
        self._spawner = threading.Thread(target=self._spawn, name="pool-spawner", daemon=True)
        self._spawner.start()
        for flavor, n in self.sizes.items():
            for _ in range(n):
                self._refill(flavor)

    def _spawn(self) -> None:
        while (flavor := self._requests.get()) is not None:
            if self._closed:
                continue
            try:
                slot = start_slot(flavor, self.spec, self.backend)
            except Exception:
                continue
            if not _await_ready(slot):
                slot.close()
                continue
            slot.warm = True
            with self._lock:
                if self._closed:
                    slot.close()
                    continue
                self._ready[flavor].put(slot)

    def _refill(self, flavor: str) -> None:
        self._requests.put(flavor)

    def take(self, flavor: str, timeout: float = 0.0) -> Slot | None:
        q = self._ready.get(flavor)
        if q is None:
            return None
        try:
            slot = q.get(timeout=timeout) if timeout else q.get_nowait()
        except queue.Empty:
            return None
        self._refill(flavor)
        if slot.runner.poll() is not None or slot.learner.returncode() is not None:
            slot.close()  # died while waiting: start fresh instead
            return None
        return slot

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until every flavor has its slots, imports done (used by benchmarks and tests)."""
        end = time.monotonic() + timeout
        for flavor, n in self.sizes.items():
            while self._ready[flavor].qsize() < n and time.monotonic() < end:
                time.sleep(0.01)

    def close(self) -> None:
        with self._lock:
            self._closed = True
        self._requests.put(None)
        self._spawner.join(timeout=30)
        for q in self._ready.values():
            while not q.empty():
                q.get_nowait().close()


class Grader:
    """Grades code submissions; one per process (CLI command, watch loop, web server)."""

    def __init__(
        self,
        *,
        sandbox: str = "auto",
        data_dir: Path | None = None,
        hidden: tuple[Path, ...] = (),
        pool: dict[str, int] | None = None,
        secret: bytes | None = None,
    ) -> None:
        self.backend = detect_backend(sandbox)
        # Without a key from LMSCHOOL_HOME (see from_settings), hidden data is keyed by
        # a per-process random key: still secret, but it changes with every process.
        self.secret = secret if secret is not None else secrets.token_bytes(32)
        self.spec = SandboxSpec(data_dir=data_dir, hidden=hidden)
        self.pool = WarmPool(self.backend, self.spec, pool) if pool else None

    def grade(self, exercise: GradableExercise, source: str, *, seed: int) -> Result:
        flavor = flavor_of(exercise.needs)
        try:
            slot = self.pool.take(flavor) if self.pool else None
            if slot is None:
                slot = start_slot(flavor, self.spec, self.backend)
        except Exception as exc:
            return failure(
                exercise.id,
                "sandbox",
                msg("error.sandbox", detail=repr(exc)),
                sandbox=_sandbox_info(self.backend, False),
                seed=seed,
            )
        return run_in_slot(
            slot,
            exercise,
            source,
            seed=seed,
            backend=self.backend,
            hidden_seed=hidden_seed(self.secret, exercise.id, seed),
        )

    @classmethod
    def from_settings(
        cls, settings: Any, *, packs: tuple[Path, ...] = (), pool: dict[str, int] | None = None
    ) -> Grader:
        """The grader of an lmschool installation: its home's key, data folder and masks."""
        return cls(
            sandbox=settings.sandbox,
            data_dir=settings.data_dir,
            hidden=(*packs, settings.home),
            pool=pool,
            secret=load_or_create(settings.home),
        )

    def close(self) -> None:
        if self.pool:
            self.pool.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
