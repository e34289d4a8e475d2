"""The learning loop: what a learner does, independent of the interface.

The CLI (and later the web app and notebooks) call these functions; they tie the
course catalog, the workspace, the grader and the progress store together:

- :meth:`Learning.start` writes an exercise's starter into the learner's workspace;
- :meth:`Learning.check_code` / :meth:`Learning.check_quiz` record an attempt
  *before* grading (so a crash or kill loses nothing), grade, store the result and
  update the learner's mastery of the exercise's skills (Bayesian knowledge tracing);
- :meth:`Learning.next_hint` and :meth:`Learning.solution` follow the unlock rules;
- :meth:`Learning.progress` summarises it all per exercise.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from lmschool.config import Settings
from lmschool.course import Catalog, CodeExercise, Exercise, QuizExercise
from lmschool.course.quiz import QuizVariant, grade_answer, make_variant
from lmschool.grading.grader import Grader, seed_for
from lmschool.grading.result import Result
from lmschool.planning.mastery import record_graded_attempt
from lmschool.store import Database, open_database, repo
from lmschool.store.models import RUNNING
from lmschool.store.repo import ExerciseProgress


class LearningError(Exception):
    """Something the learner asked for cannot be done; ``key``/``kwargs`` name an i18n message."""

    def __init__(self, key: str, **kwargs: object) -> None:
        super().__init__(key)
        self.key = key
        self.kwargs = kwargs


@dataclass(frozen=True)
class Hint:
    index: int  # 0-based
    total: int
    text: dict[str, str]
    repeated: bool  # every hint was already seen; this one is shown again


@dataclass(frozen=True)
class Solution:
    exercise: Exercise
    source: str  # reference code, or the answer explained for quizzes


def load_catalog(
    settings: Settings, extra: list[Path] | None = None, include_bundled: bool = True
) -> Catalog:
    return Catalog.load([*settings.course_paths, *(extra or [])], include_bundled=include_bundled)


def learner_folder(name: str) -> str:
    """A learner's name as one safe path component (a digest keeps renamed ones apart)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", name).strip(".") or "learner"
    if safe != name:
        safe += "-" + hashlib.sha256(name.encode()).hexdigest()[:8]
    return safe


# Set by the command daemon (lmschool.cli.daemon): (settings, packs, pool) -> a Grader
# that outlives the session, so its warm sandboxes serve the next command too.
GRADER_PROVIDER: Callable[[Settings, tuple[Path, ...], dict[str, int] | None], Grader] | None = None
# Set to {} by the daemon: one Database per URL for its whole life, so that SQLAlchemy's
# compiled-statement cache (0.1 s of a command's time when cold) serves every command.
DATABASES: dict[str, Database] | None = None


def _database(url: str) -> Database:
    if DATABASES is None:
        return open_database(url)
    if url not in DATABASES:
        DATABASES[url] = open_database(url)
    return DATABASES[url]


class Learning:
    """One learner's session over a catalog; owns a grader and a database handle."""

    def __init__(
        self,
        settings: Settings,
        catalog: Catalog,
        *,
        learner: str | None = None,
        pool: dict[str, int] | None = None,
        db: Database | None = None,
    ) -> None:
        self.settings = settings
        self.catalog = catalog
        # the web passes its one Database (its pool of connections) to every request's Learning
        self._own_db = db is None and DATABASES is None
        self.db: Database = db or _database(settings.db_url)
        with self.session() as s:
            repo.recover_interrupted(s)
            row = repo.get_or_create_learner(s, name=learner or settings.learner)
            self.learner_id, self.learner_name = row.id, row.name
        self._pool = pool
        self._grader: Grader | None = None
        self._shared_grader = False

    # -- plumbing ------------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        with self.db.session() as s:
            yield s

    @property
    def grader(self) -> Grader:
        if self._grader is None:
            packs = tuple(c.root for c in self.catalog.courses)
            if GRADER_PROVIDER is not None:  # the command daemon's long-lived grader
                self._grader = GRADER_PROVIDER(self.settings, packs, self._pool)
                self._shared_grader = True
            else:
                self._grader = Grader.from_settings(self.settings, packs=packs, pool=self._pool)
        return self._grader

    def close(self) -> None:
        if self._grader is not None and not self._shared_grader:
            self._grader.close()
        if self._own_db:
            self.db.dispose()

    def __enter__(self) -> Learning:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def seed(self, exercise_id: str) -> int:
        return seed_for(self.learner_name, exercise_id)

    # -- exercises -----------------------------------------------------------------
    def exercise(self, exercise_id: str | None) -> Exercise:
        """An exercise by id, or the current one when ``exercise_id`` is None."""
        if exercise_id is None:
            with self.session() as s:
                exercise_id = repo.get_current_exercise(s, learner_id=self.learner_id)
            if exercise_id is None:
                raise LearningError("cli.no_current")
        return self.catalog.exercise(exercise_id)

    def workspace_file(self, ex: CodeExercise) -> Path:
        """``<workspace>/<learner>/<module>/<lesson>/<exercise>.py``: each learner of a
        shared machine (LMSCHOOL_LEARNER) edits files of their own."""
        module, lesson, name = ex.id.split("/")
        folder = self.settings.workspace_dir / learner_folder(self.learner_name)
        return folder / module / lesson / f"{name}.py"

    def start(self, exercise_id: str, *, force: bool = False) -> tuple[Exercise, Path | None, bool]:
        """Make ``exercise_id`` current; for code, write the starter (kept if it exists).

        Returns the exercise, the workspace file (None for quizzes) and whether the
        file was written now.
        """
        ex = self.catalog.exercise(exercise_id)
        path, written = None, False
        if isinstance(ex, CodeExercise):
            path = self.workspace_file(ex)
            if force or not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                if path.exists():  # --force: keep the learner's work beside it
                    path.replace(path.with_suffix(".py.bak"))
                path.write_text(ex.starter_path.read_text(encoding="utf-8"), encoding="utf-8")
                written = True
        with self.session() as s:
            repo.set_current_exercise(s, learner_id=self.learner_id, exercise_id=ex.id)
        if GRADER_PROVIDER is not None and isinstance(ex, CodeExercise):
            self.grader.warm(ex)  # the daemon starts a sandbox while the learner writes code
        return ex, path, written

    def check_code(self, ex: CodeExercise, source: str) -> Result:
        """Record the attempt, grade it in the sandbox, store the result."""

        def grade() -> Result:
            result = self.grader.grade(ex, source, seed=self.seed(ex.id))
            # with a pool (watch, the command daemon): a sandbox starts now for the next check
            self.grader.warm(ex)
            return result

        return self._record(ex, source, grade)

    def check_quiz(self, ex: QuizExercise, answer: str) -> Result:
        """Grade and record an answer; one that is not an answer at all (a word where a
        number is asked, nothing) is refused without counting as an attempt."""
        result = Result.model_validate(grade_answer(ex, self.seed(ex.id), answer))
        if result.error is not None and result.error.kind == "syntax":
            return result
        return self._record(ex, answer, lambda: result)

    def _record(self, ex: Exercise, source: str, grade: Callable[[], Result]) -> Result:
        """Commit the attempt before grading (a crash loses nothing), then its result and mastery."""
        attempt_id = self.submit(ex, source)
        result = grade()
        with self.session() as s:
            finish_graded(s, self.catalog, attempt_id, ex, self.learner_id, result)
        return result

    def submit(self, ex: Exercise, source: str, *, retry_of: int | None = None) -> int:
        """Commit an attempt as "running", before anything grades it; its id.

        The web queues the id for :func:`grade_attempt`; the terminal grades at once.
        """
        with self.session() as s:
            return repo.start_attempt(
                s, learner_id=self.learner_id, exercise_id=ex.id, source=source, retry_of=retry_of
            ).id

    def quiz_variant(self, ex: QuizExercise) -> QuizVariant:
        return make_variant(ex, self.seed(ex.id))

    def next_exercise(self, exercise_id: str) -> Exercise | None:
        return self.catalog.next_exercise(exercise_id)

    # -- help ------------------------------------------------------------------------
    def next_hint(self, ex: Exercise) -> Hint:
        hints_en, hints_zh = ex.hints.get("en", []), ex.hints.get("zh", [])
        if not hints_en:
            raise LearningError("cli.no_hints", exercise=ex.id)
        with self.session() as s:
            seen = repo.hints_seen(s, learner_id=self.learner_id, exercise_id=ex.id)
            repeated = seen >= len(hints_en)
            index = len(hints_en) - 1 if repeated else seen
            repo.record_hint_view(
                s, learner_id=self.learner_id, exercise_id=ex.id, hint_index=index
            )
        return Hint(index, len(hints_en), {"en": hints_en[index], "zh": hints_zh[index]}, repeated)

    def solution(self, ex: Exercise) -> Solution:
        """The reference solution, once passed or after ``solution_after`` failed attempts."""
        with self.session() as s:
            passed = repo.has_passed(s, learner_id=self.learner_id, exercise_id=ex.id)
            failed, _total = repo.attempt_counts(s, learner_id=self.learner_id, exercise_id=ex.id)
            needed = self.settings.solution_after
            if not passed and failed < needed:
                raise LearningError("cli.solution_locked", needed=needed, failed=failed)
            repo.record_solution_view(s, learner_id=self.learner_id, exercise_id=ex.id)
        if isinstance(ex, CodeExercise):
            return Solution(ex, ex.solution_path.read_text(encoding="utf-8"))
        variant = self.quiz_variant(ex)
        return Solution(ex, variant.answer_text())

    def progress(self) -> dict[str, ExerciseProgress]:
        with self.session() as s:
            return repo.progress(s, learner_id=self.learner_id)


def finish_graded(
    session: Session,
    catalog: Catalog,
    attempt_id: int,
    ex: Exercise,
    learner_id: int,
    result: Result,
) -> None:
    """Store a grading's result on its attempt and update the learner's mastery."""
    repo.finish_attempt(session, attempt_id=attempt_id, result=result.doc())
    record_graded_attempt(
        session, catalog=catalog, learner_id=learner_id, exercise=ex, result=result
    )


def grade_attempt(db: Database, catalog: Catalog, grader: Grader, attempt_id: int) -> Result | None:
    """Grade a committed attempt, given only its id: the web's worker (later a Ray task).

    The database is the source of truth: the attempt's source, learner and exercise are
    read from it, the variant seed comes from the learner's name as in the terminal, and
    the result and mastery are written back. An attempt that is no longer "running"
    (already graded, or presumed interrupted) is left alone: None.
    """
    with db.session() as s:
        attempt = repo.get_attempt(s, attempt_id=attempt_id)
        if attempt is None or attempt.status != RUNNING:
            return None
        learner = repo.learner_name(s, learner_id=attempt.learner_id)
        source, exercise_id, learner_id = attempt.source, attempt.exercise_id, attempt.learner_id
    ex = catalog.exercise(exercise_id)
    seed = seed_for(learner, ex.id)
    if isinstance(ex, CodeExercise):
        result = grader.grade(ex, source, seed=seed)
        grader.warm(ex)  # with a pool: a sandbox starts now for the next submission
    else:
        result = Result.model_validate(grade_answer(ex, seed, source))
    with db.session() as s:
        finish_graded(s, catalog, attempt_id, ex, learner_id, result)
    return result
