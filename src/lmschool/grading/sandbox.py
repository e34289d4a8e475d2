"""Starting learner processes: in a bubblewrap sandbox, or (without it) rlimits only.

One :class:`LearnerProcess` is one single-use sandbox running :mod:`host`, joined
to the trusted runner by two pipes and to the supervisor by one capped output
pipe. See docs/grading.md for the threat model. The layers, outermost first:

1. bubblewrap namespaces: no network (own net namespace with only loopback), own
   pid, ipc, uts (and user, when not root) namespaces, a fresh /proc, a minimal
   /dev; the system and the Python environment bound read-only; private tmpfs
   /tmp and working folder; the lmschool package, course packs and the data home
   masked by empty tmpfs wherever they lie under a bound path; a cleared
   environment; ``--die-with-parent`` and ``--new-session``.
2. As root, bwrap runs without a user namespace and the host drops to a fresh
   unprivileged uid before anything else (root is exempt from RLIMIT_NPROC, so
   that is what makes the process limit real); other users get a user namespace,
   where the limit counts only the sandbox's own processes.
3. rlimits: processes, open files, file size, core dumps at start; CPU seconds and
   address space per exercise at load time.
4. The supervisor: a wall-clock deadline that kills the whole tree, and a cap on
   captured output.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

HOST_DIR = Path(__file__).resolve().parent
SANDBOX_HOST_DIR = "/opt/lmschool-host"
SANDBOX_WORKDIR = "/home/learner"
SANDBOX_DATA_DIR = "/data"
SANDBOX_LIB_DIR = "/opt/lmschool-lib"  # the teaching library, lmschool.ml, importable by learners

OUTPUT_KEEP = 64 * 1024  # bytes of learner output kept in the result
OUTPUT_LIMIT = 4 * 1024 * 1024  # bytes of learner output after which it is stopped

_uid_counter = itertools.count()


@dataclass(frozen=True)
class SandboxSpec:
    """How to start one learner process (per-exercise budgets come later, at load)."""

    preload: tuple[str, ...] = ()  # modules imported before the learner arrives ("torch")
    data_dir: Path | None = None  # bound read-only at /data when an exercise needs data sets
    hidden: tuple[Path, ...] = ()  # extra folders to mask if they lie under a bound path
    nproc: int = 64
    nofile: int = 256
    fsize_mb: int = 64
    tmpfs_mb: int = 128


@dataclass(frozen=True)
class Backend:
    name: str  # "bwrap" or "none"
    isolated: bool
    reason: str = ""


@lru_cache(maxsize=4)
def detect_backend(setting: str = "auto") -> Backend:
    """The sandbox backend for a setting: ``auto`` prefers bubblewrap when it works."""
    if setting == "none":
        return Backend("none", False, "LMSCHOOL_SANDBOX=none")
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        reason = "bubblewrap (bwrap) is not installed"
    else:
        probe = subprocess.run(
            [
                bwrap,
                *_namespace_args(),
                "--ro-bind",
                "/",
                "/",
                "--proc",
                "/proc",
                "--dev",
                "/dev",
                "true",
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        if probe.returncode == 0:
            return Backend("bwrap", True)
        reason = f"bwrap cannot create namespaces here: {probe.stderr.strip()[:300]}"
    if setting == "bwrap":
        raise RuntimeError(f"LMSCHOOL_SANDBOX=bwrap, but {reason}")
    return Backend("none", False, reason)


def _namespace_args() -> list[str]:
    args = [
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
    ]
    if os.geteuid() == 0:
        # Keep real root out of a user namespace so the host can drop to a fresh uid.
        args += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:
        args += ["--unshare-user", "--disable-userns"]
    return args


def python_paths() -> tuple[Path, list[Path]]:
    """The real interpreter and the site folders the sandbox needs (not the source tree)."""
    exe = Path(os.path.realpath(sys.executable))
    sites = []
    for key in ("purelib", "platlib"):
        p = Path(sysconfig.get_paths()[key]).resolve()
        if p.is_dir() and p not in sites:
            sites.append(p)
    return exe, sites


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for f in ("/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives"):
        args += ["--ro-bind-try", f, f]
    return args


def _ro_bind(src: Path | str, dst: Path | str) -> list[str]:
    """A read-only bind whose missing parent folders are world-traversable.

    bwrap creates missing mount-point parents with mode 0700, which the dropped,
    unprivileged uid could not traverse.
    """
    args: list[str] = []
    for parent in reversed(Path(dst).parents):
        if str(parent) != "/":
            args += ["--perms", "0755", "--dir", str(parent)]
    return args + ["--ro-bind", str(src), str(dst)]


def _under(path: Path, roots: list[Path]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def sandbox_env(data_bound: bool) -> dict[str, str]:
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": SANDBOX_WORKDIR,
        "USER": "learner",
        "LOGNAME": "learner",
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "MPLBACKEND": "Agg",
        "JOBLIB_MULTIPROCESSING": "0",  # no /dev/shm semaphores here: joblib would warn on import
    }
    # Some CPUs need these for OpenBLAS to compute correctly; pass them through.
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            env[var] = os.environ[var]
    if data_bound:
        env["LMSCHOOL_DATA_DIR"] = SANDBOX_DATA_DIR
    return env


def build_bwrap_argv(spec: SandboxSpec, fd_in: int, fd_out: int, uid: int | None) -> list[str]:
    exe, sites = python_paths()
    base = Path(sys.base_prefix).resolve()
    bound = [Path("/usr"), base, *sites]
    argv = [
        "bwrap",
        "--die-with-parent",
        "--new-session",
        *_namespace_args(),
        "--hostname",
        "sandbox",
    ]
    argv += _system_binds()
    argv += ["--proc", "/proc", "--dev", "/dev"]
    argv += ["--perms", "1777", "--size", str(spec.tmpfs_mb << 20), "--tmpfs", "/tmp"]
    argv += ["--perms", "0777", "--size", str(spec.tmpfs_mb << 20), "--tmpfs", SANDBOX_WORKDIR]
    if not _under(exe, bound):
        argv += _ro_bind(exe.parent, exe.parent)
        bound.append(exe.parent)
    if not _under(base, [Path("/usr")]):
        argv += _ro_bind(base, base)
    for site in sites:
        if not _under(site, [Path("/usr"), base]):
            argv += _ro_bind(site, site)
    # Mask whatever of ours lies under a bound path: the package (bundled packs, the
    # grader), course packs and the data home. The sandbox gets empty folders there.
    package_dir = HOST_DIR.parent
    for secret in (package_dir, *spec.hidden):
        secret = secret.resolve()
        if _under(secret, bound):
            argv += ["--tmpfs", str(secret)]
    # The teaching library is the one part of lmschool learners may import (lessons build it).
    ml_dir = package_dir / "ml"
    lib = [Path(SANDBOX_LIB_DIR)] if ml_dir.is_dir() else []
    if lib:
        argv += _ro_bind(package_dir / "__init__.py", f"{SANDBOX_LIB_DIR}/lmschool/__init__.py")
        argv += _ro_bind(ml_dir, f"{SANDBOX_LIB_DIR}/lmschool/ml")
    argv += _ro_bind(HOST_DIR / "host.py", f"{SANDBOX_HOST_DIR}/host.py")
    argv += _ro_bind(HOST_DIR / "wire.py", f"{SANDBOX_HOST_DIR}/wire.py")
    data_bound = spec.data_dir is not None and spec.data_dir.is_dir()
    if data_bound:
        argv += _ro_bind(spec.data_dir, SANDBOX_DATA_DIR)
    argv += ["--chdir", SANDBOX_WORKDIR, "--clearenv"]
    for key, value in sandbox_env(data_bound).items():
        argv += ["--setenv", key, value]
    argv += [
        str(exe),
        "-I",
        "-S",
        f"{SANDBOX_HOST_DIR}/host.py",
        *_host_args(spec, fd_in, fd_out, [*sites, *lib]),
    ]
    if uid is not None:
        argv += ["--uid", str(uid)]
    return argv


def _host_args(spec: SandboxSpec, fd_in: int, fd_out: int, sites: list[Path]) -> list[str]:
    args = ["--fd-in", str(fd_in), "--fd-out", str(fd_out), "--nproc", str(spec.nproc)]
    args += ["--nofile", str(spec.nofile), "--fsize-mb", str(spec.fsize_mb)]
    for site in sites:
        args += ["--site", str(site)]
    for mod in spec.preload:
        args += ["--preload", mod]
    return args


def _fresh_uid() -> int:
    # A uid no account uses, different per sandbox, so RLIMIT_NPROC counts this sandbox alone.
    return 1_000_000 + (os.getpid() * 1009 + next(_uid_counter)) % 50_000_000


@dataclass
class LearnerProcess:
    """A started, single-use learner process and the pipe ends the runner needs."""

    popen: subprocess.Popen[bytes]
    backend: Backend
    runner_write: int  # runner -> host requests
    runner_read: int  # host -> runner replies
    workdir: str | None = None  # fallback mode's private folder
    output: bytearray = field(default_factory=bytearray)
    output_total: int = 0
    killed_for: str | None = None  # "output-limit" | "timeout" when the supervisor killed it
    killed_by_supervisor: bool = False  # a SIGKILL status is then ours, not the CPU limit's
    _reader: threading.Thread | None = None

    def _read_output(self) -> None:
        assert self.popen.stdout is not None
        fd = self.popen.stdout.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            self.output_total += len(chunk)
            room = OUTPUT_KEEP - len(self.output)
            if room > 0:
                self.output += chunk[:room]
            if self.output_total > OUTPUT_LIMIT and self.killed_for is None:
                self.kill("output-limit")

    def kill(self, reason: str | None = None) -> None:
        if reason and self.killed_for is None:
            self.killed_for = reason
        if self.popen.poll() is None:
            self.killed_by_supervisor = True
            try:
                if self.backend.name == "none":
                    os.killpg(self.popen.pid, signal.SIGKILL)
                else:
                    self.popen.kill()  # bwrap dies; --die-with-parent and the pid namespace take the rest
            except (ProcessLookupError, PermissionError):
                pass

    def close(self) -> None:
        """Kill the process tree, reap it, and release every resource."""
        self.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        if self._reader is not None:
            self._reader.join(timeout=5)
        if self.popen.stdout:
            self.popen.stdout.close()
        for fd in (self.runner_write, self.runner_read):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.runner_write = self.runner_read = -1
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def output_text(self) -> tuple[str, bool]:
        return bytes(self.output).decode("utf-8", errors="replace"), self.output_total > len(
            self.output
        )

    def returncode(self) -> int | None:
        return self.popen.poll()


def start_learner_process(spec: SandboxSpec, backend: Backend) -> LearnerProcess:
    """Start the host in a sandbox; the caller hands ``runner_*`` fds to the runner."""
    host_in_r, runner_w = os.pipe()  # runner -> host
    runner_r, host_out_w = os.pipe()  # host -> runner
    for fd in (runner_w, runner_r):
        os.set_inheritable(fd, False)
    workdir = None
    try:
        if backend.name == "bwrap":
            uid = _fresh_uid() if os.geteuid() == 0 else None
            argv = build_bwrap_argv(spec, host_in_r, host_out_w, uid)
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(host_in_r, host_out_w),
                start_new_session=True,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            )
        else:
            workdir = tempfile.mkdtemp(prefix="lmschool-learner-")
            exe, sites = python_paths()
            argv = [
                str(exe),
                "-I",
                "-S",
                str(HOST_DIR / "host.py"),
                # Not isolated anyway: the whole package is importable, lmschool.ml included.
                *_host_args(spec, host_in_r, host_out_w, [*sites, HOST_DIR.parent.parent]),
            ]
            env = sandbox_env(spec.data_dir is not None)
            env["HOME"] = workdir
            if spec.data_dir is not None:
                env["LMSCHOOL_DATA_DIR"] = str(spec.data_dir)
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(host_in_r, host_out_w),
                start_new_session=True,
                cwd=workdir,
                env=env,
            )
    except BaseException:
        for fd in (host_in_r, host_out_w, runner_w, runner_r):
            os.close(fd)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        raise
    os.close(host_in_r)
    os.close(host_out_w)
    proc = LearnerProcess(
        popen=popen, backend=backend, runner_write=runner_w, runner_read=runner_r, workdir=workdir
    )
    proc._reader = threading.Thread(target=proc._read_output, name="learner-output", daemon=True)
    proc._reader.start()
    return proc
