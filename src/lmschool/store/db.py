"""Opening the database: engine, sessions and migrations.

``open_database(url)`` is the one entry point. It creates the folder of a SQLite
file, brings the schema to the newest Alembic revision (safe when several
processes start at once) and returns a ``Database`` whose ``session()`` hands out
ORM sessions.

SQLite connections are set up for several processes at once (the CLI, the web
server and graders may all write): WAL journal so readers never block the writer,
foreign keys enforced, and a 5 s busy timeout so a writer waits for another
instead of failing with "database is locked".
"""

from __future__ import annotations

import ast
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import URL, Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:  # Alembic takes 0.4 s to import: only when a migration has to run
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

BUSY_TIMEOUT_MS = 5000
# How long `upgrade` keeps retrying while another process holds the migration lock.
MIGRATION_WAIT_S = 60.0


def alembic_config(url: str | URL) -> Config:
    """An Alembic config for the package's migrations, built in code (no alembic.ini).

    Pass a live ``Connection`` in ``config.attributes["connection"]`` to migrate
    on it; otherwise env.py connects to ``url``.
    """
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    # ConfigParser interpolation: a percent-encoded password must survive.
    cfg.set_main_option("sqlalchemy.url", rendered.replace("%", "%%"))
    return cfg


@cache
def _revisions() -> dict[str, str | None]:
    """Each shipped migration's revision and the one it revises, read from the files.

    Only literal assignments (``revision: str = "0002"``) are read, with ``ast``: the
    common start of every command (is the schema current?) then needs no Alembic.
    tests/test_store_migrations.py checks this against Alembic's own reading.
    """
    found: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        values: dict[str, object] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target = node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            if isinstance(target, ast.Name) and node.value is not None:
                with suppress(ValueError):
                    values[target.id] = ast.literal_eval(node.value)
        if isinstance(values.get("revision"), str):
            down = values.get("down_revision")
            found[values["revision"]] = down if isinstance(down, str) else None
    return found


def head_revision() -> str | None:
    """The newest revision shipped with this version of lmschool."""
    revisions = _revisions()
    heads = set(revisions) - set(revisions.values())
    if len(heads) != 1:  # a branched history: let Alembic say what is wrong
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    return heads.pop()


def _known_revisions() -> set[str]:
    return set(_revisions())


def _is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def _is_memory(url: URL) -> bool:
    database = url.database or ""
    return database in ("", ":memory:") or "mode=memory" in database


def _set_sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    try:
        # busy_timeout first: switching to WAL may have to wait for another process.
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def create_db_engine(url: str | URL) -> Engine:
    """An engine for ``url``; for SQLite, the folder is created and pragmas are set."""
    url = make_url(url)
    kwargs: dict[str, Any] = {}
    if _is_sqlite(url):
        if _is_memory(url):
            # One shared connection, or every connection would see its own empty database.
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            Path(url.database or "").expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    if _is_sqlite(url):
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def _is_locked(exc: DBAPIError) -> bool:
    return "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower()


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer lmschool than this one."""

    def __init__(self, url: URL, revision: str) -> None:
        super().__init__(
            f"the database {url.render_as_string(hide_password=True)} is at schema "
            f"revision {revision!r}, which this version of lmschool does not know: a newer "
            "lmschool wrote it. Upgrade lmschool, or set LMSCHOOL_DATABASE_URL to another database."
        )
        self.revision = revision


class Database:
    """An engine and its session factory, with the schema at the newest revision.

    ``session()`` does not commit: the functions in ``lmschool.store.repo`` that
    write commit themselves, and anything uncommitted is rolled back on exit.
    """

    def __init__(self, url: str | URL) -> None:
        self.url = make_url(url)
        self.engine = create_db_engine(self.url)
        # expire_on_commit=False: objects returned by repo functions stay readable
        # after their session has closed (the CLI prints them, the web renders them).
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.sessionmaker() as session:
            yield session

    def upgrade(self) -> None:
        """Run ``alembic upgrade head``; idempotent and safe to race.

        SQLite: the whole upgrade runs in one ``BEGIN IMMEDIATE`` transaction, so a
        second process waits on the write lock and then finds the schema current.
        Other backends run it in one transaction (transactional DDL) and retry if
        a concurrent process created the tables first.
        """
        deadline = time.monotonic() + MIGRATION_WAIT_S
        delay, tries = 0.05, 0
        while True:
            tries += 1
            try:
                current = self.current_revision()
                if current == head_revision():
                    return  # the common case: no write lock needed
                if current is not None and current not in _known_revisions():
                    raise SchemaTooNewError(self.url, current)
                self._upgrade_once()
                return
            except DBAPIError as exc:
                if _is_sqlite(self.url):
                    retry = _is_locked(exc) and time.monotonic() + delay < deadline
                else:
                    retry = not isinstance(exc, OperationalError) and tries < 3
                if not retry:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def _upgrade_once(self) -> None:
        with self.engine.connect() as connection:
            if _is_sqlite(self.url):
                # pysqlite never begins a transaction before DDL on its own; take the
                # write lock now so the migration is atomic and serialised.
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                connection.begin()
            from alembic import command

            cfg = alembic_config(self.url)
            cfg.attributes["connection"] = connection
            # Alembic sees the open transaction and runs inside it.
            command.upgrade(cfg, "head")
            connection.commit()

    def current_revision(self) -> str | None:
        """The revision in the database's ``alembic_version`` table (None: no schema yet)."""
        with self.engine.connect() as connection:
            if not connection.dialect.has_table(connection, "alembic_version"):
                return None
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        if len(rows) > 1:  # several heads: Alembic's own reading says which
            from alembic.runtime.migration import MigrationContext

            with self.engine.connect() as connection:
                return MigrationContext.configure(connection).get_current_revision()
        return rows[0][0] if rows else None

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"


def open_database(url: str | URL) -> Database:
    """Open (creating if needed) the database at ``url`` and migrate it to head."""
    database = Database(url)
    try:
        database.upgrade()
    except BaseException:
        database.dispose()
        raise
    return database
