"""The demo seeded on a server's first start: an admin, an instructor, a cohort and two
learners with real graded attempts (graded by the same grader as every submission).

Seeded once, into a database whose only accounts are the demo's (never into a real
installation); a start that stopped half-way is completed by the next one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lmschool.config import Settings
from lmschool.course import Catalog, CodeExercise, QuizExercise
from lmschool.course.quiz import right_answer, wrong_answer
from lmschool.learning import Learning
from lmschool.store import Database
from lmschool.store.models import Attempt
from lmschool.store.web_models import User
from lmschool.web import accounts

DEMO_PASSWORD = "lmschool-demo"
DEMO_USERS = (("admin", "admin"), ("teacher", "instructor"), ("ada", "learner"), ("lin", "learner"))
# Graded for the demo learners: two quizzes and one quick NumPy exercise of module 1.
DEMO_QUIZZES = ("pipeline/preprocessing/zscore-quiz", "pipeline/preprocessing/leakage-quiz")
DEMO_CODE = "pipeline/preprocessing/scaler"


@dataclass(frozen=True)
class Seeded:
    usernames: tuple[str, ...]
    join_code: str
    attempts: int


def seed_demo(settings: Settings, catalog: Catalog, db: Database) -> Seeded | None:
    """Seed the demo into a database with no accounts but the demo's; None when it has
    other accounts, or the demo is already complete.

    Idempotent: a first start that stopped half-way (killed, or a grading that failed)
    is completed by the next start, never duplicated.
    """
    names = [name for name, _ in DEMO_USERS]
    with db.session() as s:
        existing = {u.username: u for u in s.scalars(select(User))}
        if set(existing) - set(names):
            return None  # a real installation: never add demo accounts to it
        users = dict(existing)
        for name, role in DEMO_USERS:
            if name not in users:
                users[name] = accounts.create_user(
                    s, username=name, password=DEMO_PASSWORD, role=role
                )
        cohort = next(iter(accounts.cohorts_of_instructor(s, users["teacher"])), None)
        if cohort is None:
            cohort = accounts.create_cohort(s, instructor=users["teacher"], name="Demo cohort")
        for name in ("ada", "lin"):
            accounts.join_cohort(s, user=users[name], code=cohort.join_code)
        code = cohort.join_code
        graded = s.scalar(
            select(func.count())
            .select_from(Attempt)
            .where(Attempt.learner_id.in_([users["ada"].learner_id, users["lin"].learner_id]))
        )
    if existing and graded:
        return None  # complete already: the second start is fast
    attempts = 0
    known = {ex.id for ex in catalog.exercises()}
    with (
        Learning(settings, catalog, learner="ada", db=db) as ada,
        Learning(settings, catalog, learner="lin", db=db) as lin,
    ):
        if graded:
            return Seeded(tuple(names), code, 0)
        for quiz_id in DEMO_QUIZZES:
            if quiz_id not in known:
                continue
            quiz = catalog.exercise(quiz_id)
            assert isinstance(quiz, QuizExercise)
            ada.check_quiz(quiz, right_answer(quiz, ada.seed(quiz.id)))
            lin.check_quiz(quiz, wrong_answer(quiz, lin.seed(quiz.id)))
            attempts += 2
        if DEMO_CODE in known:
            ex = catalog.exercise(DEMO_CODE)
            assert isinstance(ex, CodeExercise)
            ada.check_code(ex, ex.starter_path.read_text(encoding="utf-8"))
            ada.check_code(ex, ex.solution_path.read_text(encoding="utf-8"))
            lin.check_code(ex, ex.starter_path.read_text(encoding="utf-8"))
            attempts += 3
    return Seeded(tuple(names), code, attempts)
