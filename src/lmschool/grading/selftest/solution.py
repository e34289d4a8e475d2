"""Reference for the sandbox self-test: what a well-isolated learner process sees."""


def probe(secret_paths, env_names):
    return {
        "network": False,
        "own_pid_namespace": True,
        "root": False,
        "secrets_visible": [],
        "can_write_system": False,
        "env_leaks": [],
    }
