"""The progress store: learners, attempts, hints and solutions viewed.

``open_database(settings.db_url)`` opens (and migrates) the database; the queries
live in ``lmschool.store.repo`` as functions taking a session::

    from lmschool.store import open_database, repo

    db = open_database(settings.db_url)
    with db.session() as session:
        learner = repo.get_or_create_learner(session, name=settings.learner)
"""

from lmschool.store import repo
from lmschool.store.db import Database, alembic_config, open_database
from lmschool.store.models import Attempt, Base, HintView, Learner, SolutionView
from lmschool.store.repo import ExerciseProgress

__all__ = [
    "Attempt",
    "Base",
    "Database",
    "ExerciseProgress",
    "HintView",
    "Learner",
    "SolutionView",
    "alembic_config",
    "open_database",
    "repo",
]
