"""The demo seeded on a server's first start: an admin, an instructor, a cohort and two
learners with real graded attempts (graded by the same grader as every submission).

Seeded once: a database that has any account is left alone, so the second start is fast.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from lmschool.config import Settings
from lmschool.course import Catalog, CodeExercise, QuizExercise
from lmschool.course.quiz import right_answer, wrong_answer
from lmschool.learning import Learning
from lmschool.store import Database
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
    """Seed the demo into an empty database; None when it already has accounts."""
    with db.session() as s:
        if s.scalar(select(func.count()).select_from(User)):
            return None
        users = {
            name: accounts.create_user(s, username=name, password=DEMO_PASSWORD, role=role)
            for name, role in DEMO_USERS
        }
        cohort = accounts.create_cohort(s, instructor=users["teacher"], name="Demo cohort")
        for name in ("ada", "lin"):
            accounts.join_cohort(s, user=users[name], code=cohort.join_code)
        code = cohort.join_code
    attempts = 0
    known = {ex.id for ex in catalog.exercises()}
    with (
        Learning(settings, catalog, learner="ada") as ada,
        Learning(settings, catalog, learner="lin") as lin,
    ):
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
    return Seeded(tuple(name for name, _ in DEMO_USERS), code, attempts)
