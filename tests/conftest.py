"""Shared fixtures: the test pack, an isolated LMSCHOOL_HOME, a shared grader."""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmschool.config import get_settings

ROOT = Path(__file__).resolve().parents[1]
TESTPACK = ROOT / "tests" / "packs" / "basics"
WRONG = ROOT / "tests" / "wrong"
RIGHT = ROOT / "tests" / "right"
HAS_BWRAP = shutil.which("bwrap") is not None

# Commands run by tests (lmschool, python -m lmschool) run in-process: no command daemon
# is left behind; tests/test_daemon.py starts its own, in a private folder.
os.environ["LMSCHOOL_DAEMON"] = "0"


POSTGRES_ADMIN_URL = os.environ.get("LMSCHOOL_TEST_POSTGRES_URL")


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test; its URL, dropped afterwards.

    The server is the private one .ci/run starts (LMSCHOOL_TEST_POSTGRES_URL, an admin
    URL). Without it the test skips locally and fails in CI, where it must run.
    """
    if not POSTGRES_ADMIN_URL:
        reason = "LMSCHOOL_TEST_POSTGRES_URL is not set (.ci/run starts a private PostgreSQL)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
    from sqlalchemy import create_engine, make_url, text

    name = f"lmschool_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8'"))
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def missing_datasets(names: list[str] | tuple[str, ...]) -> list[str]:
    """The file data sets among ``names`` with no local copy (LMSCHOOL_DATA_DIR or the cache).

    Bundled (scikit-learn) and generated sets are always available.
    """
    from lmschool.ml.datasets import info, locate

    return [
        name for name in names if info(name).kind in ("file", "folder") and locate(name) is None
    ]


def data_marks(names: list[str] | tuple[str, ...]) -> list[pytest.MarkDecorator]:
    """Skip a test whose data sets are absent, except in CI, where they must be present.

    CI runs with ../shared/data beside the clone (LMSCHOOL_DATA_DIR, set by .ci/run);
    a clone elsewhere has no network to download them from.
    """
    missing = missing_datasets(names)
    if not missing or os.environ.get("CI"):
        return []
    return [pytest.mark.skip(reason=f"data sets {missing} not available (set LMSCHOOL_DATA_DIR)")]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private LMSCHOOL_HOME (database + workspace) for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("LMSCHOOL_HOME", str(home))
    monkeypatch.setenv("LMSCHOOL_LEARNER", "tester")
    monkeypatch.delenv("LMSCHOOL_DATABASE_URL", raising=False)
    monkeypatch.delenv("LMSCHOOL_WORKSPACE", raising=False)
    monkeypatch.delenv("LMSCHOOL_COURSE_PATH", raising=False)
    monkeypatch.delenv("LMSCHOOL_LANG", raising=False)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def grader():
    """One grader for a whole worker: each grading still gets a fresh sandbox."""
    from lmschool.grading.grader import Grader

    g = Grader(sandbox=os.environ.get("LMSCHOOL_SANDBOX", "auto"), hidden=(ROOT / "tests",))
    yield g
    g.close()
