"""Every exercise of every bundled pack (and the test pack): the solution passes, the starter fails.

Quizzes: the right answer for a learner's variant passes, a wrong one fails. Plausible
wrong solutions under tests/wrong/ must fail with a message that says what is wrong;
independent correct solutions under tests/right/ must pass, so that no check demands the
reference's exact form.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lmschool.cli.tools import right_answer, wrong_answer
from lmschool.course import Catalog, CodeExercise, QuizExercise
from lmschool.course.quiz import grade_answer
from lmschool.grading.grader import seed_for
from lmschool.grading.result import Result
from tests.conftest import RIGHT, TESTPACK, WRONG, data_marks

CATALOG = Catalog.load([TESTPACK], include_bundled=True)
EXERCISES = CATALOG.exercises()
CODE = [ex for ex in EXERCISES if isinstance(ex, CodeExercise)]


def _datasets(ex: CodeExercise) -> list[str]:
    """The data sets an exercise's checks may read: its lesson's."""
    return CATALOG.lesson(ex.lesson_id).datasets


def _marks(ex: CodeExercise) -> list[pytest.MarkDecorator]:
    """Labs that train real models are marked slow (kept in the suite, run in parallel)."""
    return ([pytest.mark.slow] if ex.limits.cpu_seconds >= 30 else []) + data_marks(_datasets(ex))


def _marked(exercises: list[CodeExercise]) -> list:
    return [pytest.param(ex, id=ex.id, marks=_marks(ex)) for ex in exercises]


QUIZZES = [ex for ex in EXERCISES if isinstance(ex, QuizExercise)]


def _submissions(folder: Path) -> list[tuple[CodeExercise, Path]]:
    """<folder>/<module>/<exercise>/*.py: submissions written for that exercise."""
    by_name: dict[tuple[str, str], CodeExercise] = {}
    for ex in CODE:
        key = (ex.module_id, ex.id.rsplit("/", 1)[1])
        assert key not in by_name, (
            f"two exercises named {key} in one module: {folder.name}/ cannot tell them apart"
        )
        by_name[key] = ex
    found = []
    for path in sorted(folder.glob("*/*/*.py")):
        ex = by_name.get((path.parent.parent.name, path.parent.name))
        assert ex is not None, (
            f"{path}: no exercise {path.parent.name} in module {path.parent.parent.name}"
        )
        found.append((ex, path))
    return found


def _by_file(submissions: list[tuple[CodeExercise, Path]]) -> list:
    """One param per submission, id ``<exercise id>-<file stem>``, marked like its exercise."""
    return [
        pytest.param(ex, path, id=f"{ex.id}-{path.stem}", marks=_marks(ex))
        for ex, path in submissions
    ]


WRONG_SOLUTIONS = _submissions(WRONG)
RIGHT_SOLUTIONS = _submissions(RIGHT)
# Modules whose every code exercise has independent correct solutions under tests/right/.
INDEPENDENTLY_SOLVED = ("pipeline", "deep")


def test_catalog_has_every_kind() -> None:
    assert CODE and QUIZZES
    assert {"numpy", "torch"} <= {need for ex in CODE for need in ex.needs}


def _reference_runs() -> list:
    """(exercise, learner) pairs: every reference for two learners' variants.

    A slow lab with independent solutions under tests/right/ grades its reference for
    "ada" only: those solutions are graded for "lin", so the lab is still tried on two
    learners' hidden data, and the suite saves a model training per lab.
    """
    solved = {ex.id for ex, _ in RIGHT_SOLUTIONS}
    runs = []
    for ex in CODE:
        lab = ex.limits.cpu_seconds >= 30 and ex.id in solved
        for learner in ("ada",) if lab else ("ada", "lin"):
            runs.append(pytest.param(ex, learner, id=f"{learner}-{ex.id}", marks=_marks(ex)))
    return runs


@pytest.mark.parametrize(("ex", "learner"), _reference_runs())
def test_solution_passes(ex: CodeExercise, learner: str, grader) -> None:
    result = grader.grade(
        ex, ex.solution_path.read_text(encoding="utf-8"), seed=seed_for(learner, ex.id)
    )
    assert result.error is None, result.error
    assert result.passed and result.score == 1.0, [
        c.message["en"] for c in result.checks if not c.passed
    ]


@pytest.mark.parametrize("ex", _marked(CODE))
def test_starter_fails(ex: CodeExercise, grader) -> None:
    result = grader.grade(
        ex, ex.starter_path.read_text(encoding="utf-8"), seed=seed_for("ada", ex.id)
    )
    assert not result.passed
    assert result.score < 1.0
    assert result.error is None or result.error.kind not in ("internal", "sandbox"), result.error


@pytest.mark.parametrize("ex", QUIZZES, ids=lambda e: e.id)
@pytest.mark.parametrize("learner", ["ada", "lin", "mei"])
def test_quiz_right_and_wrong(ex: QuizExercise, learner: str) -> None:
    seed = seed_for(learner, ex.id)
    right = Result.model_validate(grade_answer(ex, seed, right_answer(ex, seed)))
    wrong = Result.model_validate(grade_answer(ex, seed, wrong_answer(ex, seed)))
    assert right.passed and right.score == 1.0
    assert not wrong.passed and wrong.score == 0.0
    assert wrong.checks[0].message["en"] and wrong.checks[0].message["zh"]


def test_wrong_solutions_exist_for_every_code_exercise() -> None:
    covered = {ex.id for ex, _ in WRONG_SOLUTIONS}
    missing = [ex.id for ex in CODE if ex.id not in covered]
    assert not missing, f"no plausible wrong solutions under tests/wrong/ for {missing}"
    counts = {ex_id: sum(1 for e, _ in WRONG_SOLUTIONS if e.id == ex_id) for ex_id in covered}
    assert min(counts.values()) >= 3, counts


@pytest.mark.parametrize(("ex", "path"), _by_file(WRONG_SOLUTIONS))
def test_wrong_solution_fails_with_a_message(ex: CodeExercise, path: Path, grader) -> None:
    result = grader.grade(ex, path.read_text(encoding="utf-8"), seed=seed_for("ada", ex.id))
    assert not result.passed, f"{path.name} should fail {ex.id}"
    assert result.error is None or result.error.kind not in ("internal", "sandbox"), result.error
    failed = [c for c in result.checks if not c.passed]
    assert failed, "a wrong solution must fail at least one check"
    for c in failed:
        assert c.message["en"].strip() and c.message["zh"].strip()
        assert c.message["en"] != c.message["zh"]


def test_independent_solutions_exist_for_every_code_exercise() -> None:
    counts = {
        ex.id: sum(1 for e, _ in RIGHT_SOLUTIONS if e.id == ex.id)
        for ex in CODE
        if ex.module_id in INDEPENDENTLY_SOLVED
    }
    assert counts, f"no code exercises in modules {INDEPENDENTLY_SOLVED}"
    short = {ex_id: n for ex_id, n in counts.items() if n < 2}
    assert not short, f"fewer than two independent solutions under tests/right/: {short}"


@pytest.mark.parametrize(("ex", "path"), _by_file(RIGHT_SOLUTIONS))
def test_independent_solution_passes(ex: CodeExercise, path: Path, grader) -> None:
    # Another learner's variant than the reference's first run: see _reference_runs.
    result = grader.grade(ex, path.read_text(encoding="utf-8"), seed=seed_for("lin", ex.id))
    assert result.error is None, result.error
    assert result.passed and result.score == 1.0, [
        c.message["en"] for c in result.checks if not c.passed
    ]
