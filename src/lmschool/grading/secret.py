"""The grader's server-side secret, and the hidden seeds derived from it.

A learner sees their *variant seed* (``grader.seed_for(learner, exercise)``): it is a
public formula of names, printed in every result, and it chooses the inputs of their
variant. Anything a lab grades on in secret (a held-out split, hidden rows, the
parameters of a generator) must come from the *hidden seed* instead:

    hidden_seed = HMAC-SHA256(key, exercise id, variant seed)  (first 8 bytes)

``key`` is 32 random bytes kept in ``$LMSCHOOL_HOME/grader.key`` (mode 0600), made on
first use. It never enters the sandbox (the home folder is masked there) and is never
printed, so a learner cannot recompute their hidden data even with the generator's
code in hand. Deleting the key changes every hidden split; nothing else depends on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "grader.key"
KEY_BYTES = 32


class SecretError(RuntimeError):
    """The key file exists but cannot be used."""


def load_or_create(home: Path) -> bytes:
    """The key in ``home/grader.key``, created (0600, atomically) when it does not exist."""
    path = Path(home) / KEY_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    tmp = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key.hex().encode() + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)  # fails if another process made the key first: use theirs
    except FileExistsError:
        pass
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return _read(path)


def _read(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise SecretError(
            f"{path} is not a grader key ({KEY_BYTES} bytes in hex); "
            "delete it and a new one is made (hidden splits then change)"
        )
    return key


def hidden_seed(key: bytes, exercise_id: str, seed: int) -> int:
    """A 63-bit seed no learner can compute: HMAC of the exercise and the variant seed."""
    mac = hmac.new(key, f"{exercise_id}\0{int(seed)}".encode(), hashlib.sha256).digest()
    return int.from_bytes(mac[:8], "big") >> 1
