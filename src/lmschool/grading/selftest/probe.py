"""The learner side of the sandbox self-test (run inside the sandbox by ``lmschool doctor``)."""

import os
import socket


def probe(secret_paths, env_names):
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
    return {
        "network": network,
        "own_pid_namespace": os.getpid() < 10,
        "root": os.getuid() == 0,
        "secrets_visible": [p for p in secret_paths if os.path.exists(p)],
        "can_write_system": can_write,
        "env_leaks": [n for n in env_names if n in os.environ],
    }
