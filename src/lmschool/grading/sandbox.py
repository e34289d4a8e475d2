"""Starting learner processes: in a bubblewrap sandbox, or (without it) rlimits only.

One :class:`LearnerProcess` is one single-use sandbox running :mod:`host`, joined
to the trusted runner by two pipes and to the supervisor by one capped output
pipe. See docs/grading.md for the threat model. The layers, outermost first:

1. a control group per slot (cgroups.py): memory (shmem, tmpfs and memfd included)
   without swap, processes and CPU of every process of the sandbox together;
2. bubblewrap namespaces: no network (own net namespace with only loopback), own
   pid, ipc, uts (and user, when not root) namespaces, a fresh /proc, a minimal
   /dev; the system bound read-only; of the installed Python packages only those
   the exercise allows (packages.py); private tmpfs /tmp and working folder; the
   lmschool package, course packs and the data home masked; of the data folder only
   the data sets the exercise lists; a cleared environment; ``--die-with-parent``
   and ``--new-session``; bwrap's own options travel through ``--args FD``, so
   /proc/1/cmdline inside shows no host path;
3. a seccomp filter (seccomp.py): no namespaces, mounts, kernel keys, ptrace, bpf,
   perf, userfaultfd, io_uring, module loading or reboot;
4. as root, bwrap runs without a user namespace and the host drops to a leased,
   never-shared uid (uids.py; root is exempt from RLIMIT_NPROC); other users get a
   user namespace;
5. rlimits: processes, open files, file size, core dumps at start; CPU seconds and
   address space per exercise at load time;
6. the supervisor: a wall-clock deadline that kills the whole tree, and a cap on
   captured output.
"""

from __future__ import annotations

import contextlib
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

from lmschool.grading import packages as packages_mod
from lmschool.grading import seccomp as seccomp_mod
from lmschool.grading.cgroups import SlotCgroup
from lmschool.grading.uids import UidLease

HOST_DIR = Path(__file__).resolve().parent
SANDBOX_HOST_DIR = "/opt/lmschool-host"
SANDBOX_WORKDIR = "/home/learner"
SANDBOX_DATA_DIR = "/data"
SANDBOX_LIB_DIR = "/opt/lmschool-lib"  # the teaching library, lmschool.ml, when allowed

OUTPUT_KEEP = 64 * 1024  # bytes of learner output kept in the result
OUTPUT_LIMIT = 4 * 1024 * 1024  # bytes of learner output after which it is stopped


@dataclass(frozen=True)
class SandboxSpec:
    """How to start one learner process (per-exercise budgets come later, at load)."""

    preload: tuple[str, ...] = ()  # modules imported before the learner arrives ("torch")
    allow: tuple[str, ...] = ("numpy",)  # what the learner may import (packages.view)
    data_dir: Path | None = None  # the offline data folder (LMSCHOOL_DATA_DIR)
    data_sets: tuple[str, ...] = ()  # folders of data_dir bound read-only under /data
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


def data_folders(spec: SandboxSpec) -> list[tuple[Path, str]]:
    """(host folder, sandbox folder) of each data set the exercise lets learners read."""
    if spec.data_dir is None or not spec.data_sets:
        return []
    from lmschool.ml.datasets import info  # the registry: where each set lives

    found = []
    for name in spec.data_sets:
        entry = info(name)
        if not entry.filename:
            continue  # bundled or generated: nothing to bind
        top = entry.filename.split("/", 1)[0]
        host = spec.data_dir / top
        if host.exists():
            found.append((host, f"{SANDBOX_DATA_DIR}/{top}"))
    return found


def build_bwrap_args(
    spec: SandboxSpec, uid: int | None, seccomp_fd: int | None
) -> tuple[list[str], list[str]]:
    """(bwrap's options, the command): options go through ``--args FD``, unseen inside."""
    exe, _ = python_paths()
    base = Path(sys.base_prefix).resolve()
    view = packages_mod.view(spec.allow)
    opts = [
        "--die-with-parent",
        "--new-session",
        *_namespace_args(),
        "--hostname",
        "sandbox",
    ]
    opts += _system_binds()
    opts += ["--proc", "/proc", "--dev", "/dev"]
    opts += ["--perms", "1777", "--size", str(spec.tmpfs_mb << 20), "--tmpfs", "/tmp"]
    opts += ["--perms", "0777", "--size", str(spec.tmpfs_mb << 20), "--tmpfs", SANDBOX_WORKDIR]
    bound = [Path("/usr"), base]
    if not _under(exe, bound):
        opts += _ro_bind(exe.parent, exe.parent)
        bound.append(exe.parent)
    if not _under(base, [Path("/usr")]):
        opts += _ro_bind(base, base)
    # Installed packages: only the allowed ones. Every site folder the bound system
    # paths contain is hidden under an empty tmpfs first, then the entries of the
    # allowed distributions are bound back one by one.
    sites = packages_mod.site_dirs()
    for site in sites:
        if _under(site, bound):
            opts += ["--perms", "0755", "--tmpfs", str(site)]
    for site in view.site_dirs:
        if not _under(site, bound):
            opts += _ro_bind(site, site)[:-3] + ["--perms", "0755", "--dir", str(site)]
    for entry in view.entries:
        opts += ["--ro-bind", str(entry), str(entry)]
    for masked in view.masked:
        opts += ["--tmpfs", str(masked), "--remount-ro", str(masked)]
    for site in sites:
        if _under(site, bound):
            opts += ["--remount-ro", str(site)]
    package_dir = HOST_DIR.parent
    # The teaching library, when the exercise allows it (lessons build it).
    lib: list[Path] = []
    if "lmschool.ml" in view.lmschool_parts and (package_dir / "ml").is_dir():
        lib = [Path(SANDBOX_LIB_DIR)]
        opts += _ro_bind(package_dir / "__init__.py", f"{SANDBOX_LIB_DIR}/lmschool/__init__.py")
        opts += _ro_bind(package_dir / "ml", f"{SANDBOX_LIB_DIR}/lmschool/ml")
    opts += _ro_bind(HOST_DIR / "host.py", f"{SANDBOX_HOST_DIR}/host.py")
    opts += _ro_bind(HOST_DIR / "wire.py", f"{SANDBOX_HOST_DIR}/wire.py")
    folders = data_folders(spec)
    for host, inside in folders:
        opts += _ro_bind(host, inside)
    # Mask whatever of ours lies under a bound path: the package (bundled packs, the
    # grader), course packs and the data home. The sandbox gets empty folders there.
    visible = [(p, p) for p in (*bound, *view.entries)] + [(h, Path(i)) for h, i in folders]
    for secret in (package_dir, *spec.hidden):
        secret = secret.resolve()
        for host, inside in visible:
            if _under(secret, [host.resolve()]):
                opts += ["--tmpfs", str(inside / secret.relative_to(host.resolve()))]
    opts += ["--chdir", SANDBOX_WORKDIR, "--clearenv"]
    for key, value in sandbox_env(bool(folders)).items():
        opts += ["--setenv", key, value]
    if seccomp_fd is not None:
        opts += ["--seccomp", str(seccomp_fd)]
    return opts, [str(exe), "-I", "-S", f"{SANDBOX_HOST_DIR}/host.py"], [*view.site_dirs, *lib]


def build_bwrap_argv(spec: SandboxSpec, fd_in: int, fd_out: int, uid: int | None) -> list[str]:
    """The whole bwrap command line in one list (for reading and tests; the grader
    passes the options through ``--args``)."""
    opts, command, sites = build_bwrap_args(spec, uid, None)
    host = _host_args(spec, fd_in, fd_out, sites)
    return ["bwrap", *opts, *command, *host, *(["--uid", str(uid)] if uid is not None else [])]


def _host_args(spec: SandboxSpec, fd_in: int, fd_out: int, sites: list[Path]) -> list[str]:
    args = ["--fd-in", str(fd_in), "--fd-out", str(fd_out), "--nproc", str(spec.nproc)]
    args += ["--nofile", str(spec.nofile), "--fsize-mb", str(spec.fsize_mb)]
    for site in sites:
        args += ["--site", str(site)]
    for mod in spec.preload:
        args += ["--preload", mod]
    return args


def _args_fd(options: list[str]) -> int:
    """A memfd holding bwrap's options, NUL-separated (``bwrap --args FD``)."""
    fd = os.memfd_create("lmschool-bwrap-args", os.MFD_CLOEXEC)
    data = b"".join(o.encode() + b"\0" for o in options)
    os.write(fd, data)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd


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


def start_learner_process(
    spec: SandboxSpec,
    backend: Backend,
    *,
    cgroup: SlotCgroup | None = None,
    uid: UidLease | None = None,
    seccomp: bool = False,
) -> LearnerProcess:
    """Start the host in a sandbox; the caller hands ``runner_*`` fds to the runner.

    With ``cgroup`` the process joins it before it starts (and so does everything it
    starts); with ``uid`` (root only) the host drops to that uid; with ``seccomp``
    bwrap loads the filter of seccomp.py before the host runs.
    """
    host_in_r, runner_w = os.pipe()  # runner -> host
    runner_r, host_out_w = os.pipe()  # host -> runner
    for fd in (runner_w, runner_r):
        os.set_inheritable(fd, False)
    workdir = None
    extra_fds: list[int] = []
    try:
        if backend.name == "bwrap":
            seccomp_fd = seccomp_mod.program_fd() if seccomp else None
            if seccomp_fd is not None:
                extra_fds.append(seccomp_fd)
            opts, command, sites = build_bwrap_args(spec, uid.uid if uid else None, seccomp_fd)
            host = _host_args(spec, host_in_r, host_out_w, sites)
            if uid is not None:
                host += ["--uid", str(uid.uid)]
            args_fd = _args_fd(opts)
            extra_fds.append(args_fd)
            argv = ["bwrap", "--args", str(args_fd), *command, *host]
            if cgroup is not None:
                argv = cgroup.wrap(argv)
            popen = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(host_in_r, host_out_w, *extra_fds),
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
            if cgroup is not None:
                argv = cgroup.wrap(argv)
            env = sandbox_env(False)
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
        for fd in (host_in_r, host_out_w, runner_w, runner_r, *extra_fds):
            os.close(fd)
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
        raise
    for fd in (host_in_r, host_out_w, *extra_fds):
        os.close(fd)
    proc = LearnerProcess(
        popen=popen, backend=backend, runner_write=runner_w, runner_read=runner_r, workdir=workdir
    )
    proc._reader = threading.Thread(target=proc._read_output, name="learner-output", daemon=True)
    proc._reader.start()
    return proc
