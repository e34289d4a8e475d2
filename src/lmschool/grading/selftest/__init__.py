"""The sandbox self-test exercise used by ``lmschool doctor`` (package data, hidden from learners)."""

from pathlib import Path
from types import SimpleNamespace

SELFTEST_DIR = Path(__file__).resolve().parent


def selftest_exercise() -> SimpleNamespace:
    """The self-test as a gradable exercise (the grader needs only these fields)."""
    return SimpleNamespace(
        id="lmschool/doctor/sandbox",
        dir=SELFTEST_DIR,
        names=["probe"],
        needs=["numpy"],
        limits=SimpleNamespace(cpu_seconds=5.0, memory_mb=256, wall_seconds=15.0),
    )


def probe_source() -> str:
    return (SELFTEST_DIR / "probe.py").read_text(encoding="utf-8")
