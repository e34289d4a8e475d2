"""Sandbox uids that are never shared: one per sandbox, never reused while it may matter.

As root, bwrap runs without a user namespace and the learner host drops to a fresh
unprivileged uid (root is exempt from RLIMIT_NPROC; an ordinary uid is not). What a
uid owns can outlive its processes: kernel keys (denied by the seccomp filter, and
checked by tests), and anything else a future kernel feature attaches to a uid. So
uids are *leased*, machine-wide, for as long as anything of their sandbox may remain:

- a uid is drawn at random from a range of about two billion that no account uses;
- its lease is a file created with O_EXCL in a root-owned folder shared by every
  lmschool process of the machine (``/run/lmschool/uids``), naming the lessee's pid,
  so two graders never hand out the same uid at the same time;
- a lease is released only after the sandbox's control group is empty (or, without
  cgroups, no process of the uid is left in /proc); a lease whose process died without
  releasing it is reclaimed only when no process of its uid exists.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

UID_MIN = 1_000_000
UID_MAX = 2_000_000_000  # below 2**31 - 1, which some tools treat as "no uid"
SYSTEM_DIR = Path("/run/lmschool/uids")


def lease_dir() -> Path:
    """The machine-wide lease folder: /run/lmschool/uids as root, else a private one."""
    if os.geteuid() == 0:
        try:
            SYSTEM_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
            return SYSTEM_DIR
        except OSError:
            pass
    d = Path(tempfile.gettempdir()) / f"lmschool-uids-{os.geteuid()}"
    d.mkdir(exist_ok=True, mode=0o700)
    return d


@dataclass
class UidLease:
    uid: int
    path: Path

    def release(self, *, empty: bool) -> bool:
        """Give the uid back; only when ``empty`` (or no process of it remains)."""
        if not empty and uid_in_use(self.uid):
            return False  # keep the lease: never reuse a uid something still holds
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        return True


def lease(directory: Path | None = None, attempts: int = 100) -> UidLease:
    """A uid nobody else holds (machine-wide) and no process runs as."""
    d = directory or lease_dir()
    for _ in range(attempts):
        uid = UID_MIN + secrets.randbelow(UID_MAX - UID_MIN)
        path = d / str(uid)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w") as f:
            f.write(str(os.getpid()))
        if uid_in_use(uid):  # a process from before any lease, however unlikely
            continue  # keep that lease file: the uid stays out of circulation
        return UidLease(uid, path)
    raise RuntimeError(f"no free sandbox uid after {attempts} draws in {d}")


def uid_in_use(uid: int) -> bool:
    """Whether any process (of this pid namespace) runs as ``uid``."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid == uid:
                return True
        except OSError:
            continue
    return False


def reclaim(directory: Path | None = None) -> int:
    """Remove leases whose lessee died and whose uid runs nothing; returns how many."""
    d = directory or lease_dir()
    freed = 0
    for path in d.iterdir():
        if not path.name.isdigit():
            continue
        try:
            owner = int(path.read_text() or "0")
        except (OSError, ValueError):
            continue
        if owner and _alive(owner):
            continue
        if not uid_in_use(int(path.name)):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                freed += 1
    return freed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
