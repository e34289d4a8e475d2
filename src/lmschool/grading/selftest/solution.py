"""Reference for the sandbox self-test: what a well-isolated learner process sees."""


def probe(secret_paths, env_names, host_paths):
    return {
        "network": False,
        "own_pid_namespace": True,
        "root": False,
        "secrets_visible": [],
        "can_write_system": False,
        "env_leaks": [],
        "new_user_namespace": False,
        "kernel_key_added": False,
        "not_allowed_importable": [],
        "host_paths_in_init": [],
    }
