"""The learner side of the sandbox self-test (run inside the sandbox by ``lmschool doctor``)."""

import ctypes
import importlib.util
import os
import socket

CLONE_NEWUSER = 0x10000000


def probe(secret_paths, env_names, host_paths):
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=1).close()
        network = True
    except OSError:
        network = False
    try:
        with open("/usr/.lmschool-probe", "w") as f:
            f.write("x")
        can_write = True
    except OSError:
        can_write = False
    libc = ctypes.CDLL(None, use_errno=True)
    # unshare(CLONE_NEWUSER) in a child, so a success does not change this process
    pid = os.fork()
    if pid == 0:
        os._exit(0 if libc.unshare(CLONE_NEWUSER) == 0 else 1)
    _, status = os.waitpid(pid, 0)
    new_namespace = os.waitstatus_to_exitcode(status) == 0
    number = {"x86_64": 248, "aarch64": 217}.get(os.uname().machine)  # add_key
    keyring = libc.syscall(number, b"user", b"lmschool-probe", b"x", 1, -4) if number else -1
    with open("/proc/1/cmdline", "rb") as f:
        init = f.read().decode("utf-8", "replace")
    return {
        "network": network,
        "own_pid_namespace": os.getpid() < 10,
        "root": os.getuid() == 0,
        "secrets_visible": [p for p in secret_paths if os.path.exists(p)],
        "can_write_system": can_write,
        "env_leaks": [n for n in env_names if n in os.environ],
        "new_user_namespace": new_namespace,
        "kernel_key_added": keyring >= 0,
        "not_allowed_importable": [
            m for m in ("torch", "sklearn", "scipy") if importlib.util.find_spec(m) is not None
        ],
        "host_paths_in_init": [p for p in host_paths if p in init],
    }
