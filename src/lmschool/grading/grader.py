"""The supervisor: grade one submission and always return a result document.

For each submission it takes a *slot*, a learner process (sandboxed host) and a
trusted runner joined by two pipes, either pre-started by a :class:`WarmPool` or
started on the spot (both processes start in parallel, so a one-shot grading
costs about one interpreter start with NumPy). Each process of a slot runs in a
control group of its own (when the machine allows: cgroups.py) and the learner's
under a seccomp filter and a leased uid. The supervisor sends the job to the runner,
sets the exercise's limits on the groups, enforces the wall-clock deadline, caps
learner output and the result document, logs grader-side problems under an incident
id, and turns whatever happened (a normal result, a crash, a kill) into a
:class:`~lmschool.grading.result.Result`. Slots are single-use.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import os
import queue
import secrets
import select
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from lmschool.grading import cgroups, seccomp, uids, zygote
from lmschool.grading.result import ErrorInfo, Result, SandboxInfo, failure
from lmschool.grading.sandbox import (
    OUTPUT_LIMIT,
    Backend,
    LearnerProcess,
    SandboxSpec,
    detect_backend,
    start_learner_process,
)
from lmschool.grading.secret import hidden_seed, load_or_create
from lmschool.i18n import LANGS, msg

GRACE_SECONDS = 5.0  # beyond the wall limit before the supervisor kills everything
RUNNER_MEMORY_MB = 2048  # the trusted runner's own budget, beyond the exercise's memory_mb
SLOT_CPUS = 1.0  # CPU quota of each sandbox (and of each runner): one core
STARTUP_MEMORY_MB = {"numpy": 1024, "torch": 2048}  # a slot's cap before its job sets it
RESULT_BYTES = 512 * 1024  # the whole result document, output included, at most
DEFAULT_ALLOW = {"numpy": ("numpy",), "torch": ("numpy", "torch")}
LOAD_MARK = "@load"
log = logging.getLogger("lmschool.grading")
Runner = subprocess.Popen[bytes] | zygote.ForkedRunner  # a fresh interpreter, or a zygote's fork


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


@dataclass(frozen=True)
class Profile:
    """What a slot is prepared for: the preloaded flavour, the allowed imports, data sets.

    One warm pool per profile: its ``key`` is the flavour's name for an exercise with
    the flavour's default allow-list and no data sets ("numpy", "torch"), else
    ``flavour|allow,...|data,...``.
    """

    flavor: str
    allow: tuple[str, ...]
    data: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        if self.allow == DEFAULT_ALLOW[self.flavor] and not self.data:
            return self.flavor
        return f"{self.flavor}|{','.join(self.allow)}|{','.join(self.data)}"

    @classmethod
    def parse(cls, key: str) -> Profile:
        if key in DEFAULT_ALLOW:
            return cls(key, DEFAULT_ALLOW[key])
        flavor, allow, data = (key.split("|") + ["", ""])[:3]
        if flavor not in DEFAULT_ALLOW:
            raise ValueError(f"unknown sandbox profile {key!r}")
        return cls(
            flavor, tuple(a for a in allow.split(",") if a), tuple(d for d in data.split(",") if d)
        )


def profile_of(exercise: Any) -> Profile:
    """The profile an exercise needs (its flavour, ``allowed_imports``, ``sandbox_data``)."""
    flavor = flavor_of(exercise.needs)
    allow = getattr(exercise, "allowed_imports", None) or DEFAULT_ALLOW[flavor]
    if flavor == "torch" and not any(a == "torch" or a.startswith("torch.") for a in allow):
        flavor = "numpy"  # torch is not in the sandbox, so the host must not preload it
    data = tuple(getattr(exercise, "sandbox_data", ()) or ())
    return Profile(flavor, tuple(sorted(set(allow))), data)


@dataclass(frozen=True)
class Protections:
    """The containment layers in force on this machine, and why any is missing."""

    backend: Backend
    cgroups: cgroups.CgroupSupport
    seccomp: bool
    seccomp_reason: str = ""

    @property
    def uid_mode(self) -> str:
        if self.backend.name != "bwrap":
            return "none"
        return "leased" if os.geteuid() == 0 else "user-namespace"

    @property
    def missing(self) -> list[str]:
        gone = []
        if not self.backend.isolated:
            gone.append("isolation")
        if not self.cgroups.available:
            gone.append("cgroups")
        if not self.seccomp:
            gone.append("seccomp")
        return gone


def detect_protections(
    sandbox: str = "auto", *, cgroups_on: bool = True, seccomp_on: bool = True
) -> Protections:
    """The layers this machine offers (``*_on=False``: benchmarks measuring their cost)."""
    backend = detect_backend(sandbox)
    support = (
        cgroups.support() if cgroups_on else cgroups.CgroupSupport(None, "disabled by the caller")
    )
    if backend.name != "bwrap":
        ok, why = False, "seccomp is applied by bubblewrap, which is not in use"
    elif not seccomp_on:
        ok, why = False, "disabled by the caller"
    else:
        ok, why = seccomp.available()
    return Protections(backend, support, ok, why)


UNSAFE_OPT_OUT = "--unsafe-shared-grading"  # the flag a multi-user server must be given


def require_hardened(protections: Protections, *, unsafe_opt_out: bool = False) -> list[str]:
    """For a server that grades several users' code on one machine (``lmschool serve``).

    Raises RuntimeError naming every missing layer (isolation, cgroups, seccomp) and
    how to fix it, unless ``unsafe_opt_out`` (the explicitly named ``--unsafe-shared-
    grading`` flag); then returns the missing layers so the server can keep saying so.
    """
    missing = protections.missing
    if not missing or unsafe_opt_out:
        return missing
    reasons = {
        "isolation": protections.backend.reason or "bubblewrap is not in use",
        "cgroups": protections.cgroups.reason,
        "seccomp": protections.seccomp_reason,
    }
    detail = "; ".join(f"{m}: {reasons[m]}" for m in missing)
    raise RuntimeError(
        f"refusing to grade several users' code without {', '.join(missing)} ({detail}). "
        "Run `lmschool doctor` for the fixes, or start with "
        f"{UNSAFE_OPT_OUT} to accept that one learner's code can harm the others."
    )


_slot_counter = itertools.count()


@dataclass
class Slot:
    profile: Profile
    learner: LearnerProcess
    runner: Runner
    started: float
    warm: bool = False
    groups: dict[str, cgroups.SlotCgroup] = field(default_factory=dict)  # "learner", "runner"
    uid: uids.UidLease | None = None

    @property
    def flavor(self) -> str:
        return self.profile.flavor

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
        had_groups, empty = bool(self.groups), True
        for group in self.groups.values():
            with contextlib.suppress(OSError):
                empty = group.remove() and empty
        self.groups = {}
        if self.uid is not None:
            # An emptied group proves nothing of the uid is left; without one, /proc decides.
            self.uid.release(empty=had_groups and empty)
            self.uid = None


def start_slot(profile: Profile, spec: SandboxSpec, protections: Protections) -> Slot:
    """Start a slot's two processes (each in its own control group when available)."""
    preload = ("torch",) if profile.flavor == "torch" else ()
    spec = SandboxSpec(
        **{**spec.__dict__, "preload": preload, "allow": profile.allow, "data_sets": profile.data}
    )
    name = f"{cgroups.PREFIX}slot-{os.getpid()}-{next(_slot_counter)}-{secrets.token_hex(3)}"
    groups: dict[str, cgroups.SlotCgroup] = {}
    lease = None
    learner = None
    try:
        if protections.cgroups.available:
            groups["learner"] = cgroups.SlotCgroup(protections.cgroups, name)
            groups["learner"].set_limits(
                memory=STARTUP_MEMORY_MB[profile.flavor] << 20,
                pids=spec.nproc + 8,
                cpus=SLOT_CPUS,
            )
            groups["runner"] = cgroups.SlotCgroup(protections.cgroups, f"{name}-runner")
            groups["runner"].set_limits(
                memory=(RUNNER_MEMORY_MB + STARTUP_MEMORY_MB[profile.flavor]) << 20,
                pids=64,
                cpus=SLOT_CPUS,
            )
        if protections.backend.name == "bwrap" and os.geteuid() == 0:
            lease = uids.lease()
        learner = start_learner_process(
            spec,
            protections.backend,
            cgroup=groups.get("learner"),
            uid=lease,
            seccomp=protections.seccomp,
        )
        runner: Runner | None = zygote.spawn_runner(
            preload,
            groups["runner"].procs_files if "runner" in groups else [],
            (learner.runner_write, learner.runner_read),
        )
        if runner is None:  # no zygote here: a fresh interpreter does the same
            argv = [sys.executable, "-m", "lmschool.grading.runner"]
            argv += ["--to-learner", str(learner.runner_write)]
            argv += ["--from-learner", str(learner.runner_read)]
            for mod in preload:
                argv += ["--preload", mod]
            if "runner" in groups:
                argv = groups["runner"].wrap(argv)
            runner = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                pass_fds=(learner.runner_write, learner.runner_read),
                env=zygote.runner_env(),
                start_new_session=True,
            )
    except BaseException:
        if learner is not None:
            learner.close()
        empty = True
        for group in groups.values():
            with contextlib.suppress(OSError):
                empty = group.remove() and empty
        if lease is not None:
            lease.release(empty=empty)
        raise
    # Only the runner holds the channel now, so the ends close when either side dies.
    os.close(learner.runner_write)
    os.close(learner.runner_read)
    learner.runner_write = learner.runner_read = -1
    return Slot(
        profile=profile,
        learner=learner,
        runner=runner,
        started=time.monotonic(),
        groups=groups,
        uid=lease,
    )


def sandbox_warning(protections: Protections) -> dict[str, str] | None:
    """The one-line warning ({en, zh}) when a protection is missing, else None."""
    if not protections.backend.isolated:
        return msg("sandbox.not_isolated").both()
    missing = protections.missing
    if not missing:
        return None
    layers = {
        lang: "; ".join(msg(f"sandbox.layer.{m}").render(lang) for m in missing) for lang in LANGS
    }
    return {lang: msg("sandbox.missing", layers=layers[lang]).render(lang) for lang in LANGS}


def _sandbox_info(protections: Protections, warm: bool) -> SandboxInfo:
    backend = protections.backend
    missing = protections.missing
    warning = sandbox_warning(protections)
    return SandboxInfo(
        isolated=backend.isolated,
        backend=backend.name,
        warm=warm,
        warning=warning,
        missing=missing,
    )


class IncidentLog:
    """Grader-side problems, kept for the server's operators and never shown to learners.

    Each is a JSON line (time, id, exercise, seed, where, detail) appended to ``path``
    (``$LMSCHOOL_HOME/logs/grader.log`` for a configured grader), or logged through
    the ``lmschool.grading`` logger. The last few stay in memory for ``author validate``.
    """

    def __init__(self, path: Path | None = None, keep: int = 50) -> None:
        self.path = path
        self.recent: list[dict[str, Any]] = []
        self.keep = keep
        self._lock = threading.Lock()

    def record(self, items: list[dict[str, Any]], *, exercise: str, seed: int) -> None:
        for item in items:
            entry = {
                "time": datetime.now(UTC).isoformat(timespec="seconds"),
                "id": str(item.get("id", "")),
                "exercise": exercise,
                "seed": seed,
                "where": str(item.get("where", "")),
                "detail": str(item.get("detail", ""))[-8000:],
            }
            with self._lock:
                self.recent = [*self.recent[-(self.keep - 1) :], entry]
                if self.path is not None:
                    try:
                        self.path.parent.mkdir(parents=True, exist_ok=True)
                        with open(self.path, "a", encoding="utf-8") as f:
                            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
                        continue
                    except OSError:
                        pass
            log.error("grading incident %s in %s: %s", entry["id"], exercise, entry["detail"])

    def find(self, incident: str) -> dict[str, Any] | None:
        return next((e for e in self.recent if e["id"] == incident), None)


def _new_incident(where: str, detail: str) -> dict[str, str]:
    return {"id": uuid.uuid4().hex[:12], "where": where, "detail": detail}


def run_in_slot(
    slot: Slot,
    exercise: GradableExercise,
    source: str,
    *,
    seed: int,
    protections: Protections,
    hidden_seed: int = 0,
    incidents: IncidentLog | None = None,
) -> Result:
    """Grade in ``slot`` (consumed); never raises for anything the learner did."""
    incidents = incidents or IncidentLog()
    limits = exercise.limits
    wall = float(limits.wall_seconds)
    memory_mb = int(limits.memory_mb)
    job = {
        "exercise": exercise.id,
        "dir": str(Path(exercise.dir).resolve()),
        "names": list(exercise.names),
        "source": source,
        "seed": seed,
        "hidden_seed": hidden_seed,
        "allow": list(profile_of(exercise).allow),
        "forbid": list(getattr(exercise, "forbid", ()) or ()),
        "limits": {
            "cpu_seconds": limits.cpu_seconds,
            "memory_mb": memory_mb,
            "wall_seconds": wall,
            "reply_mb": int(getattr(limits, "reply_mb", 8)),
        },
        "runner_limits": {
            "memory_mb": RUNNER_MEMORY_MB + memory_mb,
            "cpu_seconds": wall + GRACE_SECONDS + 30,
        },
    }
    sandbox = _sandbox_info(protections, slot.warm)
    started = time.monotonic()
    out: bytes = b""
    err: bytes = b""
    timed_out = False
    group = slot.groups.get("learner")
    try:
        if group is not None:
            # The exercise's memory on top of what the host already holds (NumPy or torch
            # imported): every process of the sandbox and its files in tmpfs together.
            group.set_limits(memory=group.memory_current() + (memory_mb << 20))
            slot.groups["runner"].set_limits(memory=(RUNNER_MEMORY_MB + 2 * memory_mb) << 20)
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
        item = _new_incident("supervisor", repr(exc))
        incidents.record([item], exercise=exercise.id, seed=seed)
        return failure(
            exercise.id,
            "internal",
            msg("error.internal", incident=item["id"]),
            sandbox=sandbox,
            seed=seed,
            incident=item["id"],
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
    usage = group.usage() if group is not None else None
    runner_usage = slot.groups["runner"].usage() if "runner" in slot.groups else None
    runner_status = slot.runner.returncode
    slot.close()
    if usage is not None:
        sandbox.memory_peak_mb = round((usage.memory_peak or 0) / 2**20, 1)
        sandbox.cpu_seconds = round(usage.cpu_seconds or 0.0, 3)

    learner_gone = True
    lines = out.decode("utf-8", "replace").strip().splitlines()
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
            doc = json.loads(lines[-1])
            learner_gone = bool(doc.pop("learner_gone", False))
            found = doc.pop("incidents", None) or []
            if found:
                incidents.record(found, exercise=exercise.id, seed=seed)
            doc.update(sandbox=sandbox.model_dump(), duration_ms=duration)
            result = Result.model_validate(doc)
        except Exception:
            # The runner died without a result. After the learner's code started, that is
            # the submission's doing (a reply that blew its budgets): kind "protocol".
            detail = (
                f"runner exited with {runner_status}: " + err.decode("utf-8", "replace")[-3000:]
            )
            item = _new_incident("runner", detail)
            incidents.record([item], exercise=exercise.id, seed=seed)
            loaded = LOAD_MARK in lines
            oom = bool(runner_usage and runner_usage.oom_kills)
            if loaded:
                why = "out of memory" if oom else f"exit status {runner_status}"
                result = failure(
                    exercise.id,
                    "protocol",
                    msg("error.protocol_budget", detail=why, incident=item["id"]),
                    sandbox=sandbox,
                    seed=seed,
                    incident=item["id"],
                )
            else:
                result = failure(
                    exercise.id,
                    "internal",
                    msg("error.internal", incident=item["id"]),
                    sandbox=sandbox,
                    seed=seed,
                    incident=item["id"],
                )
    result = _attribute_death(
        result,
        learner_gone=learner_gone,
        killed_for=killed_for,
        status=status,
        limits=limits,
        wall=wall,
        killed_by_us=killed_by_us,
        oom=bool(usage and usage.oom_kills),
    )
    result.output, result.output_truncated = output, truncated
    result.duration_ms = duration
    return cap_result(result)


def _attribute_death(
    result: Result,
    *,
    learner_gone: bool,
    killed_for: str | None,
    status: int | None,
    limits: Any,
    wall: float,
    killed_by_us: bool = False,
    oom: bool = False,
) -> Result:
    """When the learner process died, say why: the supervisor knows what it killed."""
    if result.error is not None and result.error.kind in (
        "syntax",
        "missing-name",
        "not-allowed",
        "protocol",  # the runner refused a reply, then the learner's process had to go
        "internal",
    ):
        return result
    if killed_for == "output-limit":
        kind, message = "output-limit", msg("error.output_limit", kb=OUTPUT_LIMIT // 1024)
    elif killed_for == "timeout":
        kind, message = "timeout", msg("error.timeout_wall", seconds=wall)
    elif oom and (learner_gone or result.error is not None):
        kind, message = "memory", msg("error.memory_group", mb=limits.memory_mb)
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


def cap_result(result: Result, limit: int = RESULT_BYTES) -> Result:
    """Keep the whole document under ``limit`` bytes, whatever the checks wrote.

    Output is cut first (it is the learner's own and already capped), then the check
    messages, longest first, until the document fits.
    """

    def size() -> int:
        return len(json.dumps(result.doc(), ensure_ascii=False).encode())

    if size() <= limit:
        return result
    if result.output:
        result.output = result.output[: max(0, len(result.output) // 4)]
        result.output_truncated = True
    cut = 2000
    while size() > limit and cut >= 50:
        for c in result.checks:
            for lang in list(c.message):
                if len(c.message[lang]) > cut:
                    c.message[lang] = c.message[lang][:cut] + " [...]"
            for lang in list(c.title):
                if len(c.title[lang]) > 200:
                    c.title[lang] = c.title[lang][:200] + "..."
        cut //= 2
    if size() > limit:  # absurdly many checks: keep the verdict, drop the detail
        result.checks = result.checks[:200]
        for c in result.checks:
            c.message = {lang: c.message.get(lang, "")[:50] for lang in LANGS}
    if result.error is not None:
        result.error.message = {k: v[:4000] for k, v in result.error.message.items()}
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
    """Pre-started, single-use slots per profile key ("numpy", "torch", ...), refilled."""

    def __init__(self, grader: Grader, sizes: dict[str, int]) -> None:
        self.grader, self.sizes = grader, dict(sizes)
        for key in self.sizes:
            Profile.parse(key)  # an unknown profile is an error now, not in the spawner
        self._ready: dict[str, queue.Queue[Slot]] = {k: queue.Queue() for k in self.sizes}
        self._closed = False
        self._lock = threading.Lock()
        # One long-lived thread starts every pooled slot: bwrap's --die-with-parent
        # (PR_SET_PDEATHSIG) fires when the *thread* that started it exits, so a slot
        # started by a short-lived thread would be killed as soon as that thread ended.
        self._requests: queue.Queue[str | None] = queue.Queue()
        self._spawner = threading.Thread(target=self._spawn, name="pool-spawner", daemon=True)
        self._spawner.start()
        for key, n in self.sizes.items():
            for _ in range(n):
                self._refill(key)

    def _spawn(self) -> None:
        while (key := self._requests.get()) is not None:
            if self._closed:
                continue
            try:
                slot = self.grader.start_slot(Profile.parse(key))
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
                self._ready[key].put(slot)

    def _refill(self, key: str) -> None:
        self._requests.put(key)

    def ensure(self, key: str, n: int = 1) -> None:
        """Keep ``n`` warm slots of profile ``key`` from now on (watch mode moves between
        exercises of different profiles)."""
        Profile.parse(key)
        with self._lock:
            if self._closed or self.sizes.get(key, 0) >= n:
                return
            missing = n - self.sizes.get(key, 0)
            self.sizes[key] = n
            self._ready.setdefault(key, queue.Queue())
        for _ in range(missing):
            self._refill(key)

    def take(self, key: str, timeout: float = 0.0) -> Slot | None:
        q = self._ready.get(key)
        if q is None:
            return None
        try:
            slot = q.get(timeout=timeout) if timeout else q.get_nowait()
        except queue.Empty:
            return None
        self._refill(key)
        if slot.runner.poll() is not None or slot.learner.returncode() is not None:
            slot.close()  # died while waiting: start fresh instead
            return None
        return slot

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Block until every profile has its slots, imports done (benchmarks and tests)."""
        end = time.monotonic() + timeout
        for key, n in self.sizes.items():
            while self._ready[key].qsize() < n and time.monotonic() < end:
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
        incident_log: Path | None = None,
        cgroups_on: bool = True,
        seccomp_on: bool = True,
    ) -> None:
        self.protections = detect_protections(sandbox, cgroups_on=cgroups_on, seccomp_on=seccomp_on)
        self.backend = self.protections.backend
        self.spec = SandboxSpec(data_dir=data_dir, hidden=hidden)
        # Without a key from LMSCHOOL_HOME (see from_settings), hidden data is keyed by
        # a per-process random key: still secret, but it changes with every process.
        self.secret = secret if secret is not None else secrets.token_bytes(32)
        self.incidents = IncidentLog(incident_log)
        if self.protections.cgroups.available:
            with contextlib.suppress(OSError):
                cgroups.sweep_stale(self.protections.cgroups)
        if self.backend.name == "bwrap" and os.geteuid() == 0:
            with contextlib.suppress(OSError):
                uids.reclaim()
        self.pool = WarmPool(self, pool) if pool else None

    def warm(self, exercise: GradableExercise) -> None:
        """With a pool, keep a slot ready for ``exercise``'s profile."""
        if self.pool is not None:
            self.pool.ensure(profile_of(exercise).key)

    def start_slot(self, profile: Profile | str) -> Slot:
        if isinstance(profile, str):
            profile = Profile.parse(profile)
        return start_slot(profile, self.spec, self.protections)

    def run_in_slot(
        self, slot: Slot, exercise: GradableExercise, source: str, *, seed: int
    ) -> Result:
        return run_in_slot(
            slot,
            exercise,
            source,
            seed=seed,
            protections=self.protections,
            hidden_seed=hidden_seed(self.secret, exercise.id, seed),
            incidents=self.incidents,
        )

    def grade(self, exercise: GradableExercise, source: str, *, seed: int) -> Result:
        profile = profile_of(exercise)
        try:
            slot = self.pool.take(profile.key) if self.pool else None
            if slot is None:
                slot = self.start_slot(profile)
                # The wall clock starts once both processes have done their imports: a
                # loaded machine's slow torch import is not the learner's time.
                if not _await_ready(slot):
                    slot.close()
                    raise RuntimeError("the sandbox or the runner did not start in time")
        except Exception as exc:
            item = _new_incident("sandbox start", repr(exc))
            self.incidents.record([item], exercise=exercise.id, seed=seed)
            return failure(
                exercise.id,
                "sandbox",
                msg("error.sandbox", detail=_short_reason(exc)),
                sandbox=_sandbox_info(self.protections, False),
                seed=seed,
                incident=item["id"],
            )
        return self.run_in_slot(slot, exercise, source, seed=seed)

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
            incident_log=settings.home / "logs" / "grader.log",
        )

    def close(self) -> None:
        if self.pool:
            self.pool.close()

    def __enter__(self) -> Grader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _short_reason(exc: BaseException) -> str:
    """An error's class and first line, without host paths' surroundings."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text[:200]}" if text else type(exc).__name__


__all__ = [
    "Grader",
    "IncidentLog",
    "Profile",
    "Protections",
    "Slot",
    "WarmPool",
    "cap_result",
    "detect_protections",
    "flavor_of",
    "profile_of",
    "run_in_slot",
    "require_hardened",
    "sandbox_warning",
    "seed_for",
    "start_slot",
]
