"""The web platform's tables: accounts, sign-in sessions, cohorts and their members.

Matched by the hand-written migration ``migrations/versions/0003_web.py`` (compared by
``tests/test_store_migrations.py``). A web account is tied to one ``Learner`` row, so
the learning loop (attempts, hints, mastery, plans) is the same for the terminal and the
browser; see docs/web.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final, Literal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lmschool.store.models import NAME_LEN, Base, UTCDateTime, utcnow

Role = Literal["learner", "instructor", "admin"]
ROLES: Final[tuple[str, ...]] = ("learner", "instructor", "admin")
ROLE_LEN: Final = 16
HASH_LEN: Final = 255  # an argon2id PHC string is about 100 characters
TOKEN_HASH_LEN: Final = 64  # hex SHA-256
JOIN_CODE_LEN: Final = 32


class User(Base):
    """A web account. ``password_hash`` is an argon2id PHC string, never a password."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('learner', 'instructor', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(NAME_LEN), unique=True)
    password_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    role: Mapped[str] = mapped_column(String(ROLE_LEN), default="learner")
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learners.id", ondelete="CASCADE"), unique=True
    )
    # The interface language the user chose (en or zh); None: from the browser.
    lang: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"User(id={self.id!r}, username={self.username!r}, role={self.role!r})"


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored,
    so a copy of the database cannot be used to sign in."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LEN), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Sent in every state-changing form and compared in constant time (docs/web.md).
    csrf_token: Mapped[str] = mapped_column(String(TOKEN_HASH_LEN))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Cohort(Base):
    """A class or a company cohort, run by one instructor; learners join with its code."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN))
    join_code: Mapped[str] = mapped_column(String(JOIN_CODE_LEN), unique=True)
    instructor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CohortMember(Base):
    __tablename__ = "cohort_members"
    __table_args__ = (UniqueConstraint("cohort_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
