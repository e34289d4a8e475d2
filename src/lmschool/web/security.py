"""Passwords, session tokens, CSRF tokens and sign-in rate limiting.

- Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second
  recommended profile); a hash made with older parameters is upgraded at sign-in.
- A session cookie carries 32 random bytes; the database keeps only their SHA-256, so a
  leaked database does not sign anyone in.
- CSRF: every state-changing request carries a token that must equal, in constant
  time, the session's token (signed in) or the ``lmschool_csrf`` cookie (the sign-in
  form, before any session exists: the double-submit pattern).
- Sign-in attempts are limited per user name and per client address (a sliding window
  in memory: one server process; docs/web.md says what changes with several).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verified when the user name is unknown, so that a wrong name costs the same time as a
# wrong password and response times do not reveal which accounts exist.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))

MIN_PASSWORD_LEN = 8


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; ``None`` (no such user) spends the same time."""
    try:
        return _HASHER.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def join_code() -> str:
    """A cohort's join code: 10 characters without look-alikes (0/O, 1/l/I)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class RateLimiter:
    """At most ``limit`` failures per key in ``window`` seconds (thread-safe)."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit, self.window = limit, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _prune(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def retry_after(self, *keys: str) -> int:
        """Seconds until another attempt is allowed for every key (0: allowed now)."""
        now = time.monotonic()
        wait = 0.0
        with self._lock:
            for key in keys:
                q = self._prune(key, now)
                if len(q) >= self.limit:
                    wait = max(wait, self.window - (now - q[0]))
        return int(wait) + 1 if wait else 0

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._prune(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
