"""The grading queue: committed attempts graded by a bounded pool of workers.

A page's POST commits the attempt first (``Learning.submit``: status "running", the
source), then puts its id here; a worker runs ``learning.grade_attempt(id)``, which reads
everything it needs from the database and writes the result back. The database is the
only state shared with the page (it polls the attempt), so the same function can later
run as a Ray task on another machine.

On start, attempts left "running" by a server that died are marked "interrupted"
(``repo.recover_interrupted``), and each web attempt interrupted so is graded again once,
as a new attempt naming it in ``retry_of``.
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy import select

from lmschool.course import Catalog
from lmschool.grading.grader import Grader
from lmschool.learning import grade_attempt
from lmschool.store import Database, repo
from lmschool.store.models import INTERRUPTED, RUNNING, Attempt
from lmschool.store.web_models import User

log = logging.getLogger(__name__)


def default_workers() -> int:
    """One grading at a time per core, as the sandbox's CPU quota assumes."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


class GradingQueue:
    def __init__(self, db: Database, catalog: Catalog, grader: Grader, workers: int) -> None:
        self.db, self.catalog, self.grader = db, catalog, grader
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grade")
        self._pending: set[int] = set()
        self._lock = threading.Lock()

    def put(self, attempt_id: int) -> Future[None]:
        with self._lock:
            self._pending.add(attempt_id)
        return self._pool.submit(self._grade, attempt_id)

    def _grade(self, attempt_id: int) -> None:
        try:
            grade_attempt(self.db, self.catalog, self.grader, attempt_id)
        except Exception:  # a worker must outlive any one grading
            log.exception("grading attempt %s failed", attempt_id)
            with self.db.session() as s:
                attempt = repo.get_attempt(s, attempt_id=attempt_id)
                if attempt is not None and attempt.status == RUNNING:
                    repo.finish_attempt(s, attempt_id=attempt_id, result=repo.interrupted_result())
        finally:
            with self._lock:
                self._pending.discard(attempt_id)

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def recover(self) -> list[int]:
        """After a restart: mark dead attempts interrupted, queue each web one again once.

        Returns the ids of the new attempts queued.
        """
        with self.db.session() as s:
            repo.recover_interrupted(s)
            retried = select(Attempt.retry_of).where(Attempt.retry_of.is_not(None))
            rows = s.execute(
                select(Attempt.id, Attempt.learner_id, Attempt.exercise_id, Attempt.source)
                .join(User, User.learner_id == Attempt.learner_id)
                .where(
                    Attempt.status == INTERRUPTED,
                    Attempt.retry_of.is_(None),  # a retry that dies is not retried again
                    Attempt.id.not_in(retried),
                )
                .order_by(Attempt.id)
            ).all()
            known = {ex.id for ex in self.catalog.exercises()}
            queued = []
            for old_id, learner_id, exercise_id, source in rows:
                if exercise_id not in known:
                    continue  # the pack changed: nothing to grade it against
                new = repo.start_attempt(
                    s,
                    learner_id=learner_id,
                    exercise_id=exercise_id,
                    source=source,
                    retry_of=old_id,
                )
                queued.append(new.id)
        for attempt_id in queued:
            self.put(attempt_id)
        return queued

    def close(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
