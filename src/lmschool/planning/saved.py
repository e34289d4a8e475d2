"""Saved plans: a learner's current training plan in the database (the ``plans`` table).

Data-access functions in the style of :mod:`lmschool.store.repo`: a ``Session`` first,
keyword-only arguments; writers commit. Every saved plan is kept; the newest is current.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lmschool.planning.document import Plan
from lmschool.store.mastery_models import SavedPlan


@dataclass(frozen=True)
class StoredPlan:
    id: int
    created_at: datetime
    plan: Plan


def save_plan(session: Session, *, learner_id: int, plan: Plan) -> int:
    """Store ``plan`` as the learner's current plan; returns its id."""
    row = SavedPlan(learner_id=learner_id, profile=plan.profile, plan=plan.doc())
    session.add(row)
    session.commit()
    return row.id


def save_plans(session: Session, *, plans: Mapping[int, Plan]) -> None:
    """Store one plan per learner id (a cohort's re-plan) in one transaction."""
    session.add_all(
        SavedPlan(learner_id=learner_id, profile=plan.profile, plan=plan.doc())
        for learner_id, plan in plans.items()
    )
    session.commit()


def current_plan(session: Session, *, learner_id: int) -> StoredPlan | None:
    """The learner's newest saved plan, or None."""
    row = session.scalars(
        select(SavedPlan)
        .where(SavedPlan.learner_id == learner_id)
        .order_by(SavedPlan.created_at.desc(), SavedPlan.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return StoredPlan(row.id, row.created_at, Plan.model_validate(row.plan))
