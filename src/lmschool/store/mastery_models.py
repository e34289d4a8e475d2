"""The planning tables: measured mastery per learner and skill, and saved training plans.

Kept beside ``models.py`` (which imports this module at its end, so ``Base.metadata``
holds every table) and matched by the hand-written migration
``migrations/versions/0002_mastery.py``. The data-access functions live in
``lmschool.planning.records``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lmschool.store.models import Base, UTCDateTime, utcnow

SKILL_ID_LEN: Final = 200


class Mastery(Base):
    """Bayesian knowledge tracing state of one skill for one learner.

    ``p_known`` is the probability that the learner knows the skill after the last
    graded attempt (posterior, then the learning transition); ``attempts`` and
    ``correct`` count the graded attempts that gave evidence of it.
    """

    __tablename__ = "mastery"
    __table_args__ = (UniqueConstraint("learner_id", "skill_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    skill_id: Mapped[str] = mapped_column(String(SKILL_ID_LEN))
    p_known: Mapped[float] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return (
            f"Mastery(learner_id={self.learner_id!r}, skill_id={self.skill_id!r}, "
            f"p_known={self.p_known:.3f}, attempts={self.attempts!r})"
        )


class SavedPlan(Base):
    """A training plan stored for a learner; the newest row is the current plan.

    ``profile`` is the profile document and ``plan`` the whole plan document
    (docs/planning.md describes both), so ``lmschool plan --replan`` can rebuild the
    rest of it later.
    """

    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_learner_id_created_at", "learner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    profile: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"SavedPlan(id={self.id!r}, learner_id={self.learner_id!r})"
