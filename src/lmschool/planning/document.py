"""The plan document: what the planner produces, the database stores and every export reads.

A plan is plain data (pydantic models, dumped as JSON by ``lmschool plan --format json``).
Lessons, exercises and modules are named by their stable ids; texts a learner reads
come as ``{"en": ..., "zh": ...}`` pairs, and reasons as codes with arguments, so one
plan renders in either language. docs/planning.md documents every field, and a test
keeps it that way.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

PLAN_KIND = "lmschool.plan"
PLAN_VERSION = 1

ReasonCode = Literal[
    "target",
    "prerequisite",
    "track",
    "industry-lesson",
    "industry-lab",
    "lab",
    "module-review",
    "module-assessment",
    "weak-skill",
]
ItemKind = Literal["lesson", "lab", "review", "assessment", "spaced-review"]
SessionFormat = Literal["online", "classroom", "workshop"]
TargetStatus = Literal["planned", "known", "mastered", "taught", "out-of-scope"]
NoteCode = Literal["sessions-short", "stage-scope", "stand-in-lab"]
SkipReason = Literal[
    "known",
    "mastered",
    "taught",
    "not-needed",
    "stage-level",
    "stage-audience",
    "compute",
    "prerequisite-unsuited",
    "exercise-kind",
    "other-industry",
    "optional-dropped",
    "after-end",
    "no-lesson",
]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Reason(_Doc):
    """Why an item is in the plan: a code and the ids it refers to."""

    code: ReasonCode
    skill: str | None = None
    lesson: str | None = None
    module: str | None = None
    industry: str | None = None
    track: str | None = None
    p_known: float | None = None


class Note(_Doc):
    """Something the reader of a plan should know: a code and its text in both languages."""

    code: NoteCode
    text: dict[str, str]


class Item(_Doc):
    """One thing to do: a lesson, a lab, a module review or assessment, a spaced review."""

    id: str
    kind: ItemKind
    ref: str
    module: str | None = None
    title: dict[str, str]
    minutes: int
    skills: list[str] = []
    exercises: list[str] = []
    optional: bool = False
    reasons: list[Reason]
    notes: list[Note] = []
    sessions: list[int] = []
    due: date | None = None


class Entry(_Doc):
    """The part of an item done in one session."""

    item: str
    minutes: int
    part: int = 1
    parts: int = 1


class Session(_Doc):
    """One session of the calendar that has work in it."""

    index: int
    date: date
    week: int
    start: time
    minutes: int
    used: int
    format: SessionFormat
    entries: list[Entry]


class Target(_Doc):
    """A target skill and what the plan does about it."""

    skill: str
    status: TargetStatus
    lesson: str | None = None
    detail: SkipReason | None = None


class Skipped(_Doc):
    """A lesson or exercise of the catalog that is not in the plan, and why."""

    ref: str
    kind: Literal["lesson", "exercise", "review"]
    reason: SkipReason


class CourseRef(_Doc):
    id: str
    version: str


class Plan(_Doc):
    """A whole training plan."""

    kind: Literal["lmschool.plan"] = PLAN_KIND
    version: Literal[1] = PLAN_VERSION
    profile: dict[str, Any]
    courses: list[CourseRef]
    start: date
    end: date
    first_day: date
    finish: date | None
    replanned: bool = False
    capacity_minutes: int
    planned_minutes: int
    targets: list[Target]
    items: list[Item]
    sessions: list[Session]
    skipped: list[Skipped]
    warnings: list[Note] = []
    mastery: dict[str, float] = {}
    done: list[str] = []

    def doc(self) -> dict[str, Any]:
        """The JSON-ready plan document."""
        return self.model_dump(mode="json")

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(f"no item {item_id!r} in this plan")

    def fingerprint(self) -> str:
        """A short stable hash of the profile and the first day (calendar UIDs use it)."""
        blob = json.dumps([self.profile, self.first_day.isoformat()], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


# The models documented field by field in docs/planning.md.
PLAN_MODELS: dict[str, type[BaseModel]] = {
    "plan": Plan,
    "courses[]": CourseRef,
    "targets[]": Target,
    "items[]": Item,
    "items[].reasons[]": Reason,
    "items[].notes[] / warnings[]": Note,
    "sessions[]": Session,
    "sessions[].entries[]": Entry,
    "skipped[]": Skipped,
}
