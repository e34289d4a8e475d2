"""The progress tables, as SQLAlchemy 2 typed ORM classes.

The migration ``migrations/versions/0001_initial.py`` is written by hand to match
these classes exactly; ``tests/test_store_migrations.py`` compares the migrated
database against this metadata, so a model change without a migration fails CI.

Only portable column types are used (no SQLite-only SQL), so the same models serve
any SQLAlchemy URL (PostgreSQL later).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

AttemptStatus = Literal["running", "done", "interrupted"]
RUNNING: Final = "running"
DONE: Final = "done"
INTERRUPTED: Final = "interrupted"

# Explicit constraint names, so migrations can refer to them on every backend.
NAMING_CONVENTION: Final = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Column sizes, shared with the migration.
NAME_LEN: Final = 200
EXERCISE_ID_LEN: Final = 200
STATUS_LEN: Final = 16
ERROR_KIND_LEN: Final = 64
HOST_LEN: Final = 255


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend.

    SQLite has no time zones: values are stored as naive UTC and read back with
    ``tzinfo=UTC``. PostgreSQL stores ``timestamptz`` and returns aware values.
    Naive datetimes are refused, since their zone is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store timezone-aware UTC values")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Learner(Base):
    __tablename__ = "learners"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LEN), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The exercise `lmschool start` last opened; `lmschool grade` defaults to it.
    current_exercise: Mapped[str | None] = mapped_column(String(EXERCISE_ID_LEN))

    def __repr__(self) -> str:
        return f"Learner(id={self.id!r}, name={self.name!r})"


class Attempt(Base):
    """One submission and its grading.

    Written twice: at start (status "running", with the source and the grader's
    pid/host, committed before grading begins) and at the end (the result
    document and its summary columns). A row left "running" by a dead grader is
    turned into "interrupted" by ``repo.recover_interrupted``.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        CheckConstraint(
            "status IN ('running', 'done', 'interrupted')",
            name="status",
        ),
        Index("ix_attempts_learner_id_exercise_id", "learner_id", "exercise_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(EXERCISE_ID_LEN), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(STATUS_LEN), default=RUNNING, index=True)
    source: Mapped[str] = mapped_column(Text)
    # The grader's whole result document; the columns below summarise it for queries.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    score: Mapped[float | None] = mapped_column(Float)
    duration_ms: Mapped[float | None] = mapped_column(Float)
    error_kind: Mapped[str | None] = mapped_column(String(ERROR_KIND_LEN))
    # Who is grading: lets a later process tell a live grader from a dead one.
    grader_pid: Mapped[int | None] = mapped_column(Integer)
    grader_host: Mapped[str | None] = mapped_column(String(HOST_LEN))
    # The interrupted attempt this one grades again (the web re-queues each one once).
    retry_of: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return (
            f"Attempt(id={self.id!r}, learner_id={self.learner_id!r}, "
            f"exercise_id={self.exercise_id!r}, status={self.status!r}, passed={self.passed!r})"
        )


class HintView(Base):
    """A hint a learner has opened; at most one row per hint."""

    __tablename__ = "hint_views"
    __table_args__ = (UniqueConstraint("learner_id", "exercise_id", "hint_index"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(EXERCISE_ID_LEN))
    hint_index: Mapped[int] = mapped_column(Integer)
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SolutionView(Base):
    """Each time a learner opened a reference solution (a log, not a flag)."""

    __tablename__ = "solution_views"
    __table_args__ = (
        Index("ix_solution_views_learner_id_exercise_id", "learner_id", "exercise_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    exercise_id: Mapped[str] = mapped_column(String(EXERCISE_ID_LEN))
    viewed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The planning tables live in their own module; importing it here puts them in
# Base.metadata wherever the models are loaded (Alembic's env.py, the tests).
from lmschool.store import mastery_models as _mastery_models  # noqa: E402,F401
from lmschool.store import web_models as _web_models  # noqa: E402,F401
