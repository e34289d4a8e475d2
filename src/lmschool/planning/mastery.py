"""Mastery: Bayesian knowledge tracing (BKT) per learner and skill.

BKT treats "knows the skill" as a hidden yes/no state. Four parameters per skill:

- ``p_init``: probability the learner knows the skill before any attempt;
- ``p_learn``: probability of learning it at each attempt (no forgetting);
- ``p_guess``: probability of a correct answer without knowing it;
- ``p_slip``: probability of a wrong answer while knowing it.

After each graded attempt, :func:`bkt_update` takes the posterior given the outcome
(Bayes' rule) and then applies the learning transition::

    correct:  post = p (1 - slip) / (p (1 - slip) + (1 - p) guess)
    wrong:    post = p slip / (p slip + (1 - p) (1 - guess))
    next:     p' = post + (1 - post) learn

A skill is mastered at ``p_known >= mastered_at`` (0.95) with at least
``min_attempts`` (3) attempts, and weak below ``weak_below`` (0.6). Parameters are data:
the ``[bkt]`` section of a pack's tracks.toml, with overrides per exercise kind (a
quiz is easier to guess than a program) and per skill (for instance fitted from a
cohort's attempts with :mod:`lmschool.planning.fitting`).

:func:`record_graded_attempt` is what :mod:`lmschool.learning` calls after storing a
result; :func:`update_mastery` and :func:`learner_mastery` are its data-access
functions (a ``Session`` first, keyword-only arguments, writers commit).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lmschool.course import Catalog, Exercise, QuizExercise

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from lmschool.planning.tracks import BktSection

# Grading outcomes that are no evidence of the learner's skill: the grader failed, or
# a quiz answer was refused as unreadable (not counted as a wrong answer).
NO_EVIDENCE_KINDS = ("internal", "sandbox")


@dataclass(frozen=True, slots=True)
class BktParams:
    p_init: float = 0.2
    p_learn: float = 0.15
    p_guess: float = 0.2
    p_slip: float = 0.1


@dataclass(frozen=True, slots=True)
class MasteryState:
    """What is known of one learner's skill."""

    skill: str
    p_known: float
    attempts: int = 0
    correct: int = 0


@dataclass(frozen=True)
class BktConfig:
    """Parameters and thresholds: defaults, then per exercise kind, then per skill."""

    defaults: BktParams = BktParams()
    kinds: Mapping[str, Mapping[str, float]] | None = None
    skills: Mapping[str, Mapping[str, float]] | None = None
    mastered_at: float = 0.95
    min_attempts: int = 3
    weak_below: float = 0.6

    @classmethod
    def from_section(cls, bkt: BktSection) -> BktConfig:
        def overrides(table: Mapping[str, Any]) -> dict[str, dict[str, float]]:
            return {
                k: {f: v for f, v in o.model_dump().items() if v is not None}
                for k, o in table.items()
            }

        return cls(
            defaults=BktParams(bkt.p_init, bkt.p_learn, bkt.p_guess, bkt.p_slip),
            kinds=overrides(bkt.kinds),
            skills=overrides(bkt.skills),
            mastered_at=bkt.mastered_at,
            min_attempts=bkt.min_attempts,
            weak_below=bkt.weak_below,
        )

    def params(self, skill: str, kind: str | None = None) -> BktParams:
        values = {
            "p_init": self.defaults.p_init,
            "p_learn": self.defaults.p_learn,
            "p_guess": self.defaults.p_guess,
            "p_slip": self.defaults.p_slip,
        }
        if kind and self.kinds and kind in self.kinds:
            values.update(self.kinds[kind])
        if self.skills and skill in self.skills:
            values.update(self.skills[skill])
        return BktParams(**values)

    def mastered(self, state: MasteryState) -> bool:
        return state.p_known >= self.mastered_at and state.attempts >= self.min_attempts

    def weak(self, state: MasteryState) -> bool:
        return state.attempts > 0 and state.p_known < self.weak_below


def bkt_posterior(p: float, correct: bool, params: BktParams) -> float:
    """P(known | outcome) by Bayes' rule, before the learning transition."""
    if correct:
        num = p * (1 - params.p_slip)
        den = num + (1 - p) * params.p_guess
    else:
        num = p * params.p_slip
        den = num + (1 - p) * (1 - params.p_guess)
    return num / den if den > 0 else p


def bkt_update(p: float, correct: bool, params: BktParams) -> float:
    """The probability of knowing the skill after one graded attempt."""
    post = bkt_posterior(p, correct, params)
    return post + (1 - post) * params.p_learn


def trace(outcomes: list[bool], params: BktParams) -> float:
    """``p_known`` after a sequence of outcomes, from ``p_init``."""
    p = params.p_init
    for correct in outcomes:
        p = bkt_update(p, correct, params)
    return p


def bkt_config(catalog: Catalog) -> BktConfig:
    """The BKT configuration of a catalog's tracks; defaults if the tracks are invalid.

    Grading must never fail because a tracks file has a typo: the typo is reported by
    ``lmschool plan`` instead, and mastery keeps being measured with the defaults.
    """
    from lmschool.planning.tracks import TracksError, load_tracks

    try:
        return BktConfig.from_section(load_tracks(catalog).bkt)
    except TracksError:
        return BktConfig()


def exercise_skills(catalog: Catalog, ex: Exercise) -> list[str]:
    """The skills an exercise gives evidence of: its own, else its lesson's."""
    return list(ex.skills) or list(catalog.lesson(ex.lesson_id).skills)


def counts_as_evidence(ex: Exercise, result: Mapping[str, Any]) -> bool:
    """Whether a graded result says something about the learner's skill."""
    error = result.get("error") or {}
    kind = error.get("kind") if isinstance(error, Mapping) else None
    if kind in NO_EVIDENCE_KINDS:
        return False
    # A quiz answer that could not be read ("3,5") is refused, not counted as wrong.
    return not (isinstance(ex, QuizExercise) and kind == "syntax")


def record_graded_attempt(
    session: Session, *, catalog: Catalog, learner_id: int, exercise: Exercise, result: Any
) -> dict[str, MasteryState]:
    """Update the learner's mastery of the exercise's skills after a graded attempt.

    ``result`` is a grading :class:`~lmschool.grading.result.Result` or its document.
    Returns the new states (empty when the attempt is no evidence). Commits.
    """
    doc = result.doc() if hasattr(result, "doc") else dict(result)
    if not counts_as_evidence(exercise, doc):
        return {}
    config = bkt_config(catalog)
    return update_mastery(
        session,
        learner_id=learner_id,
        skills=exercise_skills(catalog, exercise),
        correct=bool(doc.get("passed")),
        params=lambda skill: config.params(skill, exercise.kind),
    )


# --- data access -------------------------------------------------------------------------


def update_mastery(
    session: Session,
    *,
    learner_id: int,
    skills: Iterable[str],
    correct: bool,
    params: Callable[[str], BktParams],
) -> dict[str, MasteryState]:
    """Apply one outcome to each skill's BKT state (created at ``p_init``) and commit."""
    # The store loads only when mastery is read or written (keeps the CLI fast to start).
    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from lmschool.store.mastery_models import Mastery
    from lmschool.store.models import utcnow

    out: dict[str, MasteryState] = {}
    for skill in dict.fromkeys(skills):
        for _ in range(2):  # a second try if another process created the row meanwhile
            row = session.scalar(
                select(Mastery).where(Mastery.learner_id == learner_id, Mastery.skill_id == skill)
            )
            p = params(skill)
            if row is None:
                row = Mastery(
                    learner_id=learner_id, skill_id=skill, p_known=p.p_init, attempts=0, correct=0
                )
                session.add(row)
            row.p_known = bkt_update(row.p_known, correct, p)
            row.attempts += 1
            row.correct += int(correct)
            row.updated_at = utcnow()
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                continue
            out[skill] = MasteryState(skill, row.p_known, row.attempts, row.correct)
            break
    return out


def learner_mastery(session: Session, *, learner_id: int) -> dict[str, MasteryState]:
    """Every measured skill of a learner, by skill id (sorted)."""
    # The store loads only when mastery is read or written (keeps the CLI fast to start).
    from sqlalchemy import select

    from lmschool.store.mastery_models import Mastery

    rows = session.scalars(
        select(Mastery).where(Mastery.learner_id == learner_id).order_by(Mastery.skill_id)
    )
    return {r.skill_id: MasteryState(r.skill_id, r.p_known, r.attempts, r.correct) for r in rows}
