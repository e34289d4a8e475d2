"""The schema: Alembic migrations match the models, and opening is safe to repeat and race."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from lmschool.store import Base, alembic_config, open_database, repo
from lmschool.store.db import SchemaTooNewError, head_revision
from tests.conftest import postgres_database

SRC = Path(__file__).resolve().parents[1] / "src"
TABLES = {"learners", "attempts", "hint_views", "solution_views"}


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new, empty database: a SQLite file, or a database on the private PostgreSQL."""
    if request.param == "sqlite":
        yield _url(tmp_path / "a.db")
    else:
        with postgres_database() as pg:
            yield pg


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    return env


def test_one_linear_history_ending_at_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert script.get_heads() == [head_revision()]
    revisions = list(script.walk_revisions())
    assert revisions[-1].down_revision is None


def test_revisions_read_without_alembic_match_alembics_reading() -> None:
    """Commands learn whether the schema is current without importing Alembic."""
    from lmschool.store.db import _revisions

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert _revisions() == {s.revision: s.down_revision for s in script.walk_revisions()}


def test_a_command_that_finds_the_schema_current_does_not_import_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with open_database(url):
        pass  # migrated once
    code = (
        "import sys; from lmschool.store import open_database\n"
        f"db = open_database({url!r}); db.dispose()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=_child_env(), capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_upgrade_creates_every_table(url: str) -> None:
    db = open_database(url)
    try:
        names = set(inspect(db.engine).get_table_names())
        assert names >= TABLES | {"alembic_version"}
        assert db.current_revision() == head_revision()
    finally:
        db.dispose()


def test_migrated_schema_matches_models(url: str) -> None:
    """The `alembic check` comparison: no difference between migrations and models."""
    db = open_database(url)
    try:
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        assert diff == [], f"models and migrations differ; write a new migration: {diff}"
    finally:
        db.dispose()


def test_migrated_constraints_have_the_models_names(url: str) -> None:
    db = open_database(url)
    try:
        inspector = inspect(db.engine)
        for table in Base.metadata.sorted_tables:
            want_indexes = {index.name for index in table.indexes}
            # PostgreSQL also lists the index behind each unique constraint: not an index
            # of the models, but their constraint (asserted below).
            indexes = inspector.get_indexes(table.name)
            got = {ix["name"] for ix in indexes if not ix.get("duplicates_constraint")}
            assert got == want_indexes
            want_fks = {fk.name for fk in table.foreign_key_constraints}
            assert {fk["name"] for fk in inspector.get_foreign_keys(table.name)} == want_fks
        uniques = inspector.get_unique_constraints("hint_views")
        assert [u["column_names"] for u in uniques] == [["learner_id", "exercise_id", "hint_index"]]
        checks = inspector.get_check_constraints("attempts")
        assert [c["name"] for c in checks] == ["ck_attempts_status"]
    finally:
        db.dispose()


def _schema_sql(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name != 'alembic_version'"
        )
        return {name: " ".join(sql.split()) for name, sql in rows}


def test_migrated_ddl_equals_the_models_ddl(tmp_path: Path) -> None:
    """Stricter than autogenerate: CHECK constraints and ON DELETE are compared too."""
    migrated = open_database(_url(tmp_path / "migrated.db"))
    created = create_engine(_url(tmp_path / "created.db"))
    try:
        Base.metadata.create_all(created)
        assert _schema_sql(migrated.engine) == _schema_sql(created)
    finally:
        migrated.dispose()
        created.dispose()


def test_upgrade_is_idempotent_and_keeps_data(url: str) -> None:
    with open_database(url) as db, db.session() as session:
        repo.get_or_create_learner(session, name="ada")
    with open_database(url) as db:
        db.upgrade()
        command.upgrade(alembic_config(url), "head")  # the plain Alembic path as well
        assert db.current_revision() == head_revision()
        with db.session() as session:
            assert repo.get_or_create_learner(session, name="ada").id == 1


def test_downgrade_to_base_and_back(url: str) -> None:
    open_database(url).dispose()
    command.downgrade(alembic_config(url), "base")
    engine = create_engine(url)
    try:
        assert not (set(inspect(engine).get_table_names()) & TABLES)
    finally:
        engine.dispose()
    with open_database(url) as db:
        assert set(inspect(db.engine).get_table_names()) >= TABLES


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    with open_database(_url(tmp_path / "a.db")) as db, db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_parent_folders_of_a_sqlite_file_are_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "lmschool.db"
    with open_database(_url(path)):
        assert path.is_file()


def test_in_memory_database_is_one_shared_database() -> None:
    with open_database("sqlite://") as db:
        with db.session() as session:
            repo.get_or_create_learner(session, name="ada")
        with db.session() as session:
            assert session.execute(text("SELECT count(*) FROM learners")).scalar() == 1


def test_processes_opening_a_new_database_at_once_all_succeed(tmp_path: Path) -> None:
    """Racing first starts: one migrates under the write lock, the others find it done."""
    url = _url(tmp_path / "race.db")
    go = tmp_path / "go"
    script = textwrap.dedent(
        f"""
        import pathlib, time
        while not pathlib.Path({str(go)!r}).exists():
            time.sleep(0.005)
        from lmschool.store import open_database
        open_database({url!r}).dispose()
        """
    )
    children = [
        subprocess.Popen([sys.executable, "-c", script], env=_child_env(), stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    go.touch()
    for child in children:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
    with open_database(url) as db:
        assert db.current_revision() == head_revision()


def test_migration_has_no_sqlite_only_sql() -> None:
    """Offline SQL for PostgreSQL renders, and so does the metadata."""
    out = io.StringIO()
    cfg = alembic_config("postgresql://user@localhost/lmschool")
    cfg.stdout = out
    cfg.output_buffer = out
    command.upgrade(cfg, "head", sql=True)
    sql = out.getvalue()
    for table in TABLES:
        assert f"CREATE TABLE {table}" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql
    dialect = postgresql.dialect()
    for table in Base.metadata.sorted_tables:
        str(CreateTable(table).compile(dialect=dialect))
        for index in table.indexes:
            str(CreateIndex(index).compile(dialect=dialect))


@pytest.mark.parametrize("url", ["sqlite:///relative/%41.db"])
def test_alembic_config_keeps_percent_signs(url: str) -> None:
    assert alembic_config(url).get_main_option("sqlalchemy.url") == url


def test_a_database_from_a_newer_lmschool_is_refused_with_the_fix(tmp_path: Path) -> None:
    url = _url(tmp_path / "a.db")
    with open_database(url) as db, db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(SchemaTooNewError, match="from_the_future.*Upgrade lmschool"):
        open_database(url)
