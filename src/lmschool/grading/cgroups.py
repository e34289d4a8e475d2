"""Control groups per slot: memory (shmem, tmpfs and memfd included), swap, pids and CPU.

rlimits are per process: memory held in memfds or tmpfs, or spread over forked
children, escapes RLIMIT_AS, and RLIMIT_CPU does not stop sixty spinning children
from starving a neighbour. A control group counts all of a slot's processes and
every page they charge, so each sandbox (and each trusted runner) gets one:

- **cgroup v2** (one unified hierarchy, most current servers): ``memory.max``,
  ``memory.swap.max = 0``, ``pids.max``, ``cpu.max``; the kernel's ``memory.events``
  says whether the OOM killer struck; ``cgroup.kill`` ends everything at once.
- **cgroup v1** (a hierarchy per controller, as on this project's CI machines):
  ``memory.limit_in_bytes`` and ``memory.memsw.limit_in_bytes`` (memory + swap),
  ``pids.max``, ``cpu.cfs_quota_us``; ``memory.oom_control`` counts OOM kills.

Groups live directly below the supervisor's own group (so a container or a systemd
unit that delegated its subtree keeps working), named ``lmschool-slot-<pid>-...``.
They are siblings of the supervisor, not children of one shared parent: the CPU
scheduler weighs each group as one entity among its siblings, and one parent for all
slots would make every grading of the machine share the weight of a single process. A process joins its group before it runs
anything: the supervisor starts it through ``/bin/sh -c 'echo $$ > .../cgroup.procs;
exec ...'``, so nothing it forks can be born outside. Where no hierarchy can be
written (no root, no delegation), :func:`detect` says why and the grader reports the
missing protection in every result and in ``lmschool doctor``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PREFIX = "lmschool-"  # every group this module makes; slots are lmschool-slot-<pid>-...
V1_CONTROLLERS = ("memory", "pids", "cpu")  # required; cpuacct is read when present
V2_CONTROLLERS = ("memory", "pids", "cpu")
# A short CFS period spreads a slot's CPU quota thinly: with 100 ms, sixty spinning
# children burn their quota on every core at the start of each period and a neighbour
# waits behind them (1.44x its idle time); with 20 ms it waits 1.25x (bench/hardening.py).
CFS_PERIOD_US = 20_000

# The shell that puts itself into the groups, then becomes the real command:
#   sh -c SCRIPT sh N procs_1 ... procs_N command args...
JOIN_SCRIPT = (
    'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; '
    'shift; n=$((n-1)); done; exec "$@"'
)


@dataclass(frozen=True)
class CgroupSupport:
    """What this machine offers: ``version`` "v1", "v2" or None (with the reason)."""

    version: str | None
    reason: str = ""
    parents: dict[str, Path] = field(default_factory=dict)  # controller (or "unified") -> dir

    @property
    def available(self) -> bool:
        return self.version is not None


def _mounts(mountinfo: str) -> list[tuple[Path, str, str]]:
    """(mount point, fs type, super options) of every cgroup mount."""
    found = []
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        parts, rest = left.split(), right.split()
        if len(parts) < 5 or len(rest) < 3:
            continue
        if rest[0] in ("cgroup", "cgroup2"):
            point = parts[4].replace("\\040", " ")
            found.append((Path(point), rest[0], rest[2]))
    return found


def _own_paths(proc_cgroup: str) -> dict[str, str]:
    """This process's group per v1 controller, and ``""`` for the v2 hierarchy."""
    paths: dict[str, str] = {}
    for line in proc_cgroup.splitlines():
        hid, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if hid == "0" and controllers == "":
            paths[""] = path
        for ctrl in controllers.split(","):
            if ctrl:
                paths[ctrl] = path
    return paths


def _inside(mount: Path, path: str) -> Path:
    return mount / path.lstrip("/")


def detect(
    *,
    mountinfo: str | None = None,
    proc_cgroup: str | None = None,
    prefer: str | None = None,
) -> CgroupSupport:
    """Find a writable hierarchy with the memory, pids and cpu controllers.

    v2 is preferred when its unified hierarchy has the controllers; otherwise v1.
    ``prefer`` ("v1"/"v2") and the texts of /proc/self/mountinfo and
    /proc/self/cgroup can be given (tests use them with a fake tree).
    """
    if mountinfo is None:
        mountinfo = _read("/proc/self/mountinfo") or ""
    if proc_cgroup is None:
        proc_cgroup = _read("/proc/self/cgroup") or ""
    mounts = _mounts(mountinfo)
    own = _own_paths(proc_cgroup)
    reasons = []
    order = ("v2", "v1") if prefer != "v1" else ("v1", "v2")
    if prefer == "v2":
        order = ("v2",)
    for version in order:
        try:
            support = _detect_v2(mounts, own) if version == "v2" else _detect_v1(mounts, own)
        except OSError as exc:
            reasons.append(f"cgroup {version}: {exc.strerror or exc} ({exc.filename or ''})")
            continue
        if support.available:
            return support
        reasons.append(support.reason)
    return CgroupSupport(None, "; ".join(r for r in reasons if r) or "no cgroup hierarchy mounted")


def _detect_v2(mounts: list[tuple[Path, str, str]], own: dict[str, str]) -> CgroupSupport:
    unified = [m for m, kind, _ in mounts if kind == "cgroup2"]
    if not unified or "" not in own:
        return CgroupSupport(None, "cgroup v2: no unified hierarchy mounted")
    base = _inside(unified[0], own[""])
    have = set((_read(base / "cgroup.controllers") or "").split())
    missing = [c for c in V2_CONTROLLERS if c not in have]
    if missing:
        return CgroupSupport(
            None,
            f"cgroup v2: {base} lacks the {', '.join(missing)} controller(s) "
            "(they are bound to cgroup v1 hierarchies, or not delegated)",
        )
    enable = " ".join(f"+{c}" for c in V2_CONTROLLERS)
    enabled = set((_read(base / "cgroup.subtree_control") or "").split())
    if not set(V2_CONTROLLERS) <= enabled:
        try:
            _write(base / "cgroup.subtree_control", enable)
        except OSError as exc:
            if exc.errno != errno.EBUSY or own[""] == "/":
                raise
            # "No internal processes": a non-root group with processes cannot hand
            # controllers to children. Move this process into a leaf of its own first.
            leaf = base / f"{PREFIX}supervisor"
            leaf.mkdir(exist_ok=True)
            _write(leaf / "cgroup.procs", str(os.getpid()))
            try:
                _write(base / "cgroup.subtree_control", enable)
            except OSError as again:
                raise OSError(
                    again.errno,
                    "other processes share this cgroup; run lmschool in a delegated cgroup "
                    "of its own (e.g. systemd-run --scope -p Delegate=yes)",
                    str(base),
                ) from None
    _probe_writable(base)
    return CgroupSupport("v2", parents={"unified": base})


def _detect_v1(mounts: list[tuple[Path, str, str]], own: dict[str, str]) -> CgroupSupport:
    points: dict[str, Path] = {}
    for mount, kind, options in mounts:
        if kind != "cgroup":
            continue
        for ctrl in options.split(","):
            if ctrl in (*V1_CONTROLLERS, "cpuacct") and ctrl not in points:
                points[ctrl] = mount
    missing = [c for c in V1_CONTROLLERS if c not in points]
    if missing:
        return CgroupSupport(None, f"cgroup v1: no {', '.join(missing)} hierarchy mounted")
    parents: dict[str, Path] = {}
    for ctrl, mount in points.items():
        parent = _inside(mount, own.get(ctrl, "/"))
        _probe_writable(parent)  # PermissionError without root: the caller says why
        parents[ctrl] = parent
    return CgroupSupport("v1", parents=parents)


def _probe_writable(parent: Path) -> None:
    """Create and remove a group under ``parent``: the only sure test of permission."""
    probe = parent / f"{PREFIX}probe-{os.getpid()}"
    probe.mkdir(exist_ok=True)
    probe.rmdir()


@lru_cache(maxsize=1)
def support() -> CgroupSupport:
    """This machine's support, probed once per process."""
    if os.environ.get("LMSCHOOL_CGROUPS") == "off":
        return CgroupSupport(None, "LMSCHOOL_CGROUPS=off")
    return detect(prefer=os.environ.get("LMSCHOOL_CGROUPS") or None)


@dataclass
class Usage:
    memory_peak: int | None = None  # bytes
    cpu_seconds: float | None = None
    oom_kills: int = 0
    throttled: int = 0  # CPU periods in which the quota stopped the group


class SlotCgroup:
    """One slot's group (the same name in each v1 hierarchy, or one v2 group)."""

    def __init__(self, support: CgroupSupport, name: str) -> None:
        if not support.available:
            raise RuntimeError(f"cgroups are not available: {support.reason}")
        self.support = support
        self.name = name
        self.dirs: dict[str, Path] = {k: p / name for k, p in support.parents.items()}
        made: list[Path] = []
        try:
            for d in self.dirs.values():
                d.mkdir()
                made.append(d)
        except BaseException:
            for d in made:
                with contextlib.suppress(OSError):
                    d.rmdir()
            raise
        if support.version == "v1":
            # Reclaim page cache rather than swap anonymous memory (memsw forbids swap anyway).
            with contextlib.suppress(OSError):
                _write(self.dirs["memory"] / "memory.swappiness", "0")
        self._peak_seen = 0

    @property
    def procs_files(self) -> list[str]:
        return [str(d / "cgroup.procs") for d in self.dirs.values()]

    def wrap(self, argv: list[str]) -> list[str]:
        """``argv`` started through the shell that joins this group first."""
        files = self.procs_files
        return ["/bin/sh", "-c", JOIN_SCRIPT, "sh", str(len(files)), *files, *argv]

    # -- limits ------------------------------------------------------------------
    def set_limits(
        self, *, memory: int | None = None, pids: int | None = None, cpus: float | None = None
    ) -> None:
        """Bytes of memory (no swap), processes+threads, and CPUs (1.0 = one core)."""
        if self.support.version == "v2":
            d = self.dirs["unified"]
            if memory is not None:
                _write(d / "memory.max", str(int(memory)))
                with contextlib.suppress(FileNotFoundError):
                    _write(d / "memory.swap.max", "0")
            if pids is not None:
                _write(d / "pids.max", str(int(pids)))
            if cpus is not None:
                _write(d / "cpu.max", f"{max(1000, int(cpus * CFS_PERIOD_US))} {CFS_PERIOD_US}")
            return
        if memory is not None:
            mem = self.dirs["memory"]
            memsw = mem / "memory.memsw.limit_in_bytes"
            # memsw >= limit at every moment: raise memsw first, lower it last
            current = int(_read(mem / "memory.limit_in_bytes") or 0)
            order = ["limit", "memsw"] if memory < current else ["memsw", "limit"]
            for which in order:
                if which == "limit":
                    _write(mem / "memory.limit_in_bytes", str(int(memory)))
                elif memsw.exists():
                    _write(memsw, str(int(memory)))
        if pids is not None:
            _write(self.dirs["pids"] / "pids.max", str(int(pids)))
        if cpus is not None:
            cpu = self.dirs["cpu"]
            _write(cpu / "cpu.cfs_period_us", str(CFS_PERIOD_US))
            _write(cpu / "cpu.cfs_quota_us", str(max(1000, int(cpus * CFS_PERIOD_US))))

    # -- readings ----------------------------------------------------------------
    def memory_current(self) -> int:
        if self.support.version == "v2":
            value = int(_read(self.dirs["unified"] / "memory.current") or 0)
        else:
            value = int(_read(self.dirs["memory"] / "memory.usage_in_bytes") or 0)
        self._peak_seen = max(self._peak_seen, value)
        return value

    def usage(self) -> Usage:
        u = Usage()
        if self.support.version == "v2":
            d = self.dirs["unified"]
            peak = _read(d / "memory.peak")  # Linux 5.19+
            u.memory_peak = int(peak) if peak else max(self._peak_seen, self.memory_current())
            events = _keyed(_read(d / "memory.events"))
            u.oom_kills = events.get("oom_kill", 0)
            stat = _keyed(_read(d / "cpu.stat"))
            if "usage_usec" in stat:
                u.cpu_seconds = stat["usage_usec"] / 1e6
            u.throttled = stat.get("nr_throttled", 0)
            return u
        mem = self.dirs["memory"]
        peak = _read(mem / "memory.max_usage_in_bytes")
        u.memory_peak = int(peak) if peak else None
        oom = _keyed(_read(mem / "memory.oom_control"))
        u.oom_kills = oom.get("oom_kill", 0)
        if "oom_kill" not in oom:  # kernels before 4.13: hitting the limit is the best sign
            u.oom_kills = int(_read(mem / "memory.failcnt") or 0) and int(oom.get("under_oom", 0))
        acct = self.dirs.get("cpuacct")
        if acct is not None:
            ns = _read(acct / "cpuacct.usage")
            u.cpu_seconds = int(ns) / 1e9 if ns else None
        u.throttled = _keyed(_read(self.dirs["cpu"] / "cpu.stat")).get("nr_throttled", 0)
        return u

    def pids(self) -> list[int]:
        found: set[int] = set()
        for d in self.dirs.values():
            for line in (_read(d / "cgroup.procs") or "").split():
                found.add(int(line))
        return sorted(found)

    # -- teardown ----------------------------------------------------------------
    def kill(self, timeout: float = 5.0) -> bool:
        """SIGKILL every process of the group; True once the group is empty."""
        if self.support.version == "v2":
            with contextlib.suppress(FileNotFoundError, OSError):
                _write(self.dirs["unified"] / "cgroup.kill", "1")
        deadline = time.monotonic() + timeout
        while True:
            left = self.pids()
            if not left:
                return True
            for pid in left:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)

    def remove(self) -> bool:
        """Kill what is left and delete the group; False if it could not be emptied."""
        empty = self.kill()
        for d in self.dirs.values():
            for _ in range(50):
                try:
                    d.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError as exc:
                    if exc.errno != errno.EBUSY:
                        break
                    time.sleep(0.01)  # exiting tasks leave the group a moment later
        return empty


def sweep_stale(support: CgroupSupport) -> int:
    """Remove slot groups left by supervisors that died (their name holds the pid)."""
    removed = 0
    if not support.available:
        return 0
    names: set[str] = set()
    for parent in support.parents.values():
        with contextlib.suppress(OSError):
            names |= {p.name for p in parent.iterdir() if p.is_dir()}
    for name in names:
        m = re.match(rf"^{PREFIX}slot-(\d+)-", name)
        if not m or _alive(int(m.group(1))):
            continue
        group = SlotCgroup.__new__(SlotCgroup)
        group.support, group.name, group._peak_seen = support, name, 0
        group.dirs = {k: p / name for k, p in support.parents.items() if (p / name).is_dir()}
        if group.remove():
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _keyed(text: str | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("-").isdigit():
            out[parts[0]] = int(parts[1])
    return out


def _read(path: str | Path) -> str | None:
    try:
        with open(path, encoding="ascii") as f:
            return f.read().strip()
    except (FileNotFoundError, PermissionError, OSError):
        return None


def _write(path: Path, value: str) -> None:
    with open(path, "w", encoding="ascii") as f:
        f.write(value)
