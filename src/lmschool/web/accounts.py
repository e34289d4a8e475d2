"""Web accounts, sessions and cohorts: queries on the store, as functions taking a session.

As in ``lmschool.store.repo``, the functions that write commit themselves
(``Database.session()`` does not commit).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lmschool.store import repo
from lmschool.store.models import NAME_LEN, utcnow
from lmschool.store.web_models import ROLES, Cohort, CohortMember, User, WebSession
from lmschool.web import security

SESSION_DAYS = 14
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class AccountError(ValueError):
    """A request about accounts that cannot be done; ``key`` names an i18n message."""

    def __init__(self, key: str, **kwargs: object) -> None:
        super().__init__(key)
        self.key, self.kwargs = key, kwargs


def check_username(username: str) -> str:
    if not (1 <= len(username) <= NAME_LEN) or not USERNAME.match(username):
        raise AccountError("web.bad_username", name=username)
    return username


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str = "learner",
    lang: str | None = None,
) -> User:
    """A new account tied to the learner of the same name (created if new).

    The terminal's learner of that name, if any, becomes this account's progress: on
    one machine the same person uses both.
    """
    check_username(username)
    if role not in ROLES:
        raise AccountError("web.bad_role", role=role, roles=", ".join(ROLES))
    if len(password) < security.MIN_PASSWORD_LEN:
        raise AccountError("web.short_password", n=security.MIN_PASSWORD_LEN)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError("web.user_exists", name=username)
    learner = repo.get_or_create_learner(session, name=username)
    user = User(
        username=username,
        password_hash=security.hash_password(password),
        role=role,
        learner_id=learner.id,
        lang=lang,
    )
    session.add(user)
    session.commit()
    return user


def user_by_name(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = user_by_name(session, username)
    if not security.verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if security.needs_rehash(user.password_hash):
        user.password_hash = security.hash_password(password)
        session.commit()
    return user


def start_session(session: Session, user: User, *, now: datetime | None = None) -> str:
    """A new signed-in session for ``user``; returns the cookie's token."""
    now = now or utcnow()
    token = security.new_token()
    session.add(
        WebSession(
            token_hash=security.token_hash(token),
            user_id=user.id,
            csrf_token=security.new_token(),
            created_at=now,
            expires_at=now + timedelta(days=SESSION_DAYS),
        )
    )
    # expired sessions of anyone go with each sign-in: the table stays small
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    session.commit()
    return token


def session_for(session: Session, token: str | None) -> tuple[User, WebSession] | None:
    if not token:
        return None
    row = session.scalar(
        select(WebSession).where(WebSession.token_hash == security.token_hash(token))
    )
    if row is None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return (user, row) if user is not None else None


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            delete(WebSession).where(WebSession.token_hash == security.token_hash(token))
        )
        session.commit()


# -- cohorts ---------------------------------------------------------------------------
def create_cohort(session: Session, *, instructor: User, name: str) -> Cohort:
    name = name.strip()
    if not name or len(name) > NAME_LEN:
        raise AccountError("web.bad_cohort_name")
    code = security.join_code()
    while session.scalar(select(Cohort).where(Cohort.join_code == code)) is not None:
        code = security.join_code()
    cohort = Cohort(name=name, join_code=code, instructor_id=instructor.id)
    session.add(cohort)
    session.commit()
    return cohort


def cohorts_of_instructor(session: Session, instructor: User) -> list[Cohort]:
    """An instructor's own cohorts; an admin's view is every cohort."""
    query = select(Cohort).order_by(Cohort.created_at, Cohort.id)
    if instructor.role != "admin":
        query = query.where(Cohort.instructor_id == instructor.id)
    return list(session.scalars(query))


def cohort_for_instructor(session: Session, instructor: User, cohort_id: int) -> Cohort | None:
    """The cohort if ``instructor`` may see it (theirs, or any for an admin), else None:
    a cohort that exists and one that does not answer alike (no id probing)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None or (instructor.role != "admin" and cohort.instructor_id != instructor.id):
        return None
    return cohort


def join_cohort(session: Session, *, user: User, code: str) -> Cohort:
    cohort = session.scalar(select(Cohort).where(Cohort.join_code == code.strip().upper()))
    if cohort is None:
        raise AccountError("web.bad_join_code")
    exists = session.scalar(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id
        )
    )
    if exists is None:
        session.add(CohortMember(cohort_id=cohort.id, user_id=user.id))
        session.commit()
    return cohort


def members(session: Session, cohort: Cohort) -> list[User]:
    query = (
        select(User)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .order_by(User.username)
    )
    return list(session.scalars(query))


def cohorts_of_member(session: Session, user: User) -> list[Cohort]:
    query = (
        select(Cohort)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .where(CohortMember.user_id == user.id)
        .order_by(Cohort.name)
    )
    return list(session.scalars(query))


def set_lang(session: Session, user_id: int, lang: str) -> None:
    user = session.get(User, user_id)
    if user is not None:
        user.lang = lang
        session.commit()


def may_see_learner(session: Session, viewer: User, learner_id: int) -> bool:
    """Whether ``viewer`` may read a learner's code, results, hints and plan: the learner
    themself, an admin, or an instructor of a cohort the learner is in."""
    if viewer.learner_id == learner_id or viewer.role == "admin":
        return True
    if viewer.role != "instructor":
        return False
    shared = (
        select(Cohort.id)
        .join(CohortMember, CohortMember.cohort_id == Cohort.id)
        .join(User, User.id == CohortMember.user_id)
        .where(Cohort.instructor_id == viewer.id, User.learner_id == learner_id)
        .limit(1)
    )
    return session.scalar(shared) is not None


@dataclass(frozen=True)
class Imported:
    username: str
    password: str | None  # generated now (shown once), or None: an existing account


def import_learners(session: Session, *, cohort: Cohort, text: str) -> list[Imported]:
    """Learners from a CSV (``username`` and optional ``password`` columns) into a cohort.

    Every row is checked before anything is written: on any problem, AccountError with
    ``rows`` (line number and reason) and nothing created. A new account without a
    password gets a random one (returned, shown once); an existing account just joins.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "username" not in fields:
        raise AccountError("web.csv_no_username", columns=", ".join(fields) or "-")
    problems: list[str] = []
    rows: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        name, password = row.get("username", ""), row.get("password") or None
        if not name:
            continue
        if not USERNAME.match(name) or len(name) > NAME_LEN:
            problems.append(f"{line}: {name!r}")
        elif name in seen:
            problems.append(f"{line}: {name!r} (x2)")
        elif password is not None and len(password) < security.MIN_PASSWORD_LEN:
            problems.append(f"{line}: {name!r} ({security.MIN_PASSWORD_LEN}+)")
        seen.add(name)
        rows.append((name, password))
    if problems:
        raise AccountError("web.csv_problems", rows="; ".join(problems))
    out = []
    for name, password in rows:
        user = user_by_name(session, name)
        if user is None:
            password = password or security.new_token()[:12]
            user = create_user(session, username=name, password=password, role="learner")
            out.append(Imported(name, password))
        else:
            out.append(Imported(name, None))
        join_cohort(session, user=user, code=cohort.join_code)
    return out


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))
