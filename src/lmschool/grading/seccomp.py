"""The system calls a learner's code never needs, denied by a seccomp filter.

bubblewrap loads the filter (``--seccomp FD``, a BPF program compiled here with
libseccomp through the ``pyseccomp`` ctypes binding) right before it starts the
learner host, so it holds for the host, the learner's code and every process they
start. Everything not listed is allowed: NumPy and PyTorch need the ordinary
system-call surface, and the filter's job is to remove the kernel features that turn
a contained process into an escaped or persistent one:

- new namespaces: ``unshare``, ``setns``, and ``clone`` with any ``CLONE_NEW*`` flag
  (a nested user namespace would give back every capability, and with it mounts);
  ``clone3`` answers ENOSYS, so the C library falls back to ``clone``, whose flags
  the filter can read (``clone3`` passes them in memory, out of a filter's reach);
- mounts of any kind: ``mount``, ``umount2``, ``pivot_root``, ``chroot`` and the new
  mount API (``fsopen``, ``fsconfig``, ``fsmount``, ``fspick``, ``move_mount``,
  ``open_tree``, ``mount_setattr``);
- kernel keyrings: ``keyctl``, ``add_key``, ``request_key`` (keys outlive a process
  and are found by uid: one submission could leave one for the next);
- other processes and the kernel: ``ptrace``, ``process_vm_readv``/``writev``,
  ``bpf``, ``perf_event_open``, ``userfaultfd``, ``io_uring_*``, module loading,
  ``kexec_*``, ``reboot``, ``swapon``/``swapoff``, ``acct``, ``syslog``, ``quotactl``,
  clock setting, ``iopl``/``ioperm``, handle-based opens, ``ioctl(TIOCSTI)``.

A denied call fails with EPERM (ENOSYS for ``clone3``): Python raises
``PermissionError`` and the learner sees an ordinary error message. System calls of
a foreign architecture (the 32-bit ABI on x86-64) kill the process, libseccomp's
default. Without libseccomp the grader reports "seccomp: missing" in every result.
"""

from __future__ import annotations

import errno
import os
import tempfile
from functools import lru_cache

DENIED = (
    "unshare",
    "setns",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "keyctl",
    "add_key",
    "request_key",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "syslog",
    "quotactl",
    "quotactl_fd",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "iopl",
    "ioperm",
    "open_by_handle_at",
    "name_to_handle_at",
    "lookup_dcookie",
    "vhangup",
    "uselib",
    "nfsservctl",
)

# clone(2) flags that create namespaces (linux/sched.h)
CLONE_NEW = {
    "CLONE_NEWNS": 0x00020000,
    "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000,
    "CLONE_NEWUSER": 0x10000000,
    "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
}
TIOCSTI = 0x5412


class SeccompUnavailable(RuntimeError):
    """libseccomp (or its Python binding) cannot be loaded here."""


@lru_cache(maxsize=1)
def bpf_program() -> bytes:
    """The compiled filter (BPF bytes for bwrap's ``--seccomp``), built once per process."""
    try:
        import pyseccomp as sc
    except (ImportError, OSError) as exc:  # the binding, or libseccomp.so.2 itself
        raise SeccompUnavailable(
            f"libseccomp is not usable ({exc}); install libseccomp2 and pyseccomp"
        ) from None
    f = sc.SyscallFilter(defaction=sc.ALLOW)
    eperm = sc.ERRNO(errno.EPERM)
    for name in DENIED:
        try:
            f.add_rule(eperm, name)
        except (OSError, ValueError, RuntimeError):
            continue  # not a system call on this architecture (e.g. iopl on arm64)
    for flag in CLONE_NEW.values():
        f.add_rule(eperm, "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    f.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    f.add_rule(eperm, "ioctl", sc.Arg(1, sc.MASKED_EQ, 0xFFFFFFFF, TIOCSTI))
    with tempfile.TemporaryFile() as out:
        f.export_bpf(out)
        out.seek(0)
        program = out.read()
    if not program:
        raise SeccompUnavailable("libseccomp exported an empty filter")
    return program


def available() -> tuple[bool, str]:
    """(True, "") when the filter can be built, else (False, why)."""
    try:
        bpf_program()
    except SeccompUnavailable as exc:
        return False, str(exc)
    return True, ""


def program_fd() -> int:
    """A fresh, readable fd holding the program (bwrap reads it to the end)."""
    program = bpf_program()
    fd = os.memfd_create("lmschool-seccomp", os.MFD_CLOEXEC)
    try:
        os.write(fd, program)
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd
