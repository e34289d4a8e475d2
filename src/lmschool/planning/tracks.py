"""Tracks: the planning data of a course pack (``tracks.toml`` in the pack root).

A pack says here, as data, what a training plan needs beyond the lessons themselves:

- ``[goals.<goal>]`` and ``[roles.<role>]``: target skills (and optional lessons);
- ``[stages.<stage>]``: the highest lesson level, the exercise kinds allowed and a
  minutes scale for that stage (junior high: intro lessons and quizzes only);
- ``[industries.<industry>]``: extra target skills, lessons and lab exercises;
- ``[modes.<mode>]``: the default session length of a mode;
- ``[compute.<compute>]``: lessons that need at least that compute, and a lab time scale;
- ``[planning]``: minutes of reviews, assessments and labs, spaced-review intervals;
- ``[bkt]``: knowledge-tracing parameters (see :mod:`lmschool.planning.mastery`).

:func:`load_tracks` reads the tracks file of every pack of a catalog (a pack may have
none), checks every skill, lesson and exercise it names against the catalog, and merges
them: lists are joined in pack order, and for single settings the first pack that sets
them wins (the bundled pack comes first). docs/planning.md documents every field.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lmschool.course import Catalog
from lmschool.course.diagnostics import Issue, issues_from_validation
from lmschool.course.model import ExerciseId, LessonId, Level, SkillId
from lmschool.planning.profile import Compute, Goal, Industry, Mode, Role, Stage

TRACKS_FILE = "tracks.toml"
DOCS = "docs/planning.md"
ExerciseKind = Literal["code", "quiz"]


class _Toml(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class SkillTrack(_Toml):
    """``[goals.<goal>]`` or ``[roles.<role>]``: what the plan must reach."""

    skills: list[SkillId] = []
    lessons: list[LessonId] = []


class IndustryTrack(SkillTrack):
    """``[industries.<industry>]``: extra targets and the industry's lab exercises."""

    labs: list[ExerciseId] = []


class StageRule(_Toml):
    """``[stages.<stage>]``: what suits learners at this stage."""

    max_level: Level = "advanced"
    exercise_kinds: list[ExerciseKind] = ["code", "quiz"]
    minutes_scale: float = Field(default=1.0, gt=0, le=5)


class ModeRule(_Toml):
    """``[modes.<mode>]``: the default session length of a mode, in minutes."""

    session_minutes: int = Field(gt=0, le=600)


class ComputeRule(_Toml):
    """``[compute.<compute>]``: lessons needing at least this compute; lab time scale."""

    lessons: list[LessonId] = []
    lab_scale: float = Field(default=1.0, gt=0, le=5)


class PlanningSettings(_Toml):
    """``[planning]``: the minutes of the items the planner adds itself."""

    review_minutes: int = Field(default=30, ge=0, le=600)
    assessment_minutes: int = Field(default=30, ge=0, le=600)
    lab_minutes: int = Field(default=60, gt=0, le=600)
    spaced_review_minutes: int = Field(default=15, gt=0, le=120)
    review_intervals_days: list[int] = Field(default=[2, 7, 21], min_length=1)
    min_session_minutes: int = Field(default=15, gt=0, le=120)


class BktOverride(_Toml):
    """Some of the four BKT parameters, for a skill or an exercise kind."""

    p_init: float | None = Field(default=None, ge=0, le=1)
    p_learn: float | None = Field(default=None, ge=0, le=1)
    p_guess: float | None = Field(default=None, ge=0, lt=0.5)
    p_slip: float | None = Field(default=None, ge=0, lt=0.5)


class BktSection(_Toml):
    """``[bkt]``: default parameters, thresholds, and overrides per kind and per skill."""

    p_init: float = Field(default=0.2, ge=0, le=1)
    p_learn: float = Field(default=0.15, ge=0, le=1)
    p_guess: float = Field(default=0.2, ge=0, lt=0.5)
    p_slip: float = Field(default=0.1, ge=0, lt=0.5)
    mastered_at: float = Field(default=0.95, gt=0, le=1)
    min_attempts: int = Field(default=3, ge=1)
    weak_below: float = Field(default=0.6, gt=0, le=1)
    kinds: dict[ExerciseKind, BktOverride] = {}
    skills: dict[SkillId, BktOverride] = {}


class TracksToml(_Toml):
    """A pack's tracks.toml."""

    planning: PlanningSettings | None = None
    goals: dict[Goal, SkillTrack] = {}
    roles: dict[Role, SkillTrack] = {}
    stages: dict[Stage, StageRule] = {}
    industries: dict[Industry, IndustryTrack] = {}
    modes: dict[Mode, ModeRule] = {}
    compute: dict[Compute, ComputeRule] = {}
    bkt: BktSection | None = None


# The models documented in docs/planning.md (a test checks every field is there).
TRACKS_MODELS: dict[str, type[_Toml]] = {
    "tracks.toml": TracksToml,
    "[goals.*] / [roles.*]": SkillTrack,
    "[industries.*]": IndustryTrack,
    "[stages.*]": StageRule,
    "[modes.*]": ModeRule,
    "[compute.*]": ComputeRule,
    "[planning]": PlanningSettings,
    "[bkt]": BktSection,
    "[bkt.kinds.*] / [bkt.skills.*]": BktOverride,
}

DEFAULT_MODES: dict[str, int] = {
    "online-self-paced": 60,
    "classroom": 45,
    "workshop": 360,
    "blended": 90,
}


@dataclass(frozen=True)
class Tracks:
    """The merged tracks of every pack of a catalog."""

    planning: PlanningSettings = PlanningSettings()
    goals: dict[str, IndustryTrack] = field(default_factory=dict)
    roles: dict[str, IndustryTrack] = field(default_factory=dict)
    industries: dict[str, IndustryTrack] = field(default_factory=dict)
    stages: dict[str, StageRule] = field(default_factory=dict)
    modes: dict[str, ModeRule] = field(default_factory=dict)
    compute: dict[str, ComputeRule] = field(default_factory=dict)
    bkt: BktSection = BktSection()
    files: tuple[Path, ...] = ()

    def stage(self, stage: str) -> StageRule:
        return self.stages.get(stage, StageRule())

    def session_minutes(self, mode: str) -> int:
        rule = self.modes.get(mode)
        return rule.session_minutes if rule else DEFAULT_MODES[mode]


class TracksError(Exception):
    """A tracks file is invalid, or names something the catalog lacks."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = "\n".join(f"  {i}" for i in issues)
        super().__init__(f"{len(issues)} problem(s) in training-plan tracks:\n{lines}")


def _docs(issue: Issue) -> Issue:
    # The shared converter points at the authoring guide (tracks are in planning.md), and
    # cannot see through the tables keyed by goal, stage, ...: suggest a field name here.
    fix = issue.fix.replace("docs/authoring.md", DOCS)
    match = re.fullmatch(r"unknown field '(.+)'", issue.message)
    if match:
        fields = sorted({f for m in TRACKS_MODELS.values() for f in m.model_fields})
        close = difflib.get_close_matches(match.group(1), fields, n=1)
        if close:
            fix = f"rename it to '{close[0]}'"
    return Issue(issue.path, issue.field, issue.message, fix, issue.severity)


def read_tracks_file(path: Path) -> TracksToml:
    """One tracks file, validated; :class:`TracksError` names the file, field and fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TracksError(
            [Issue(path, "", f"cannot read the file: {exc}", "fix the TOML")]
        ) from None
    try:
        return TracksToml.model_validate(data)
    except ValidationError as exc:
        issues = issues_from_validation(path, exc, TracksToml)
        raise TracksError([_docs(i) for i in issues]) from None


def _check_refs(path: Path, tracks: TracksToml, catalog: Catalog) -> list[Issue]:
    """Every skill, lesson and exercise a tracks file names must exist in the catalog."""
    lessons = [le.id for le in catalog.lessons()]
    exercises = [ex.id for ex in catalog.exercises()]
    skills = sorted(
        {s for le in catalog.lessons() for s in le.skills}
        | {s for ex in catalog.exercises() for s in ex.skills}
    )
    issues: list[Issue] = []

    def check(field_name: str, value: str, known: list[str], what: str) -> None:
        if value in known:
            return
        close = difflib.get_close_matches(value, known, n=1)
        fix = f"did you mean '{close[0]}'?" if close else f"name a {what} of a loaded pack"
        issues.append(Issue(path, field_name, f"no {what} '{value}' in the loaded courses", fix))

    sections: list[tuple[str, dict[str, Any]]] = [
        ("goals", tracks.goals),
        ("roles", tracks.roles),
        ("industries", tracks.industries),
    ]
    for section, table in sections:
        for key, track in table.items():
            for i, s in enumerate(track.skills):
                check(f"{section}.{key}.skills[{i}]", s, skills, "skill")
            for i, le in enumerate(track.lessons):
                check(f"{section}.{key}.lessons[{i}]", le, lessons, "lesson")
            for i, ex in enumerate(getattr(track, "labs", [])):
                check(f"{section}.{key}.labs[{i}]", ex, exercises, "exercise")
    for key, rule in tracks.compute.items():
        for i, le in enumerate(rule.lessons):
            check(f"compute.{key}.lessons[{i}]", le, lessons, "lesson")
    if tracks.bkt is not None:
        for s in tracks.bkt.skills:
            check(f"bkt.skills.{s}", s, skills, "skill")
    return issues


def _join(a: IndustryTrack | None, b: SkillTrack) -> IndustryTrack:
    def union(x: list[str], y: list[str]) -> list[str]:
        return list(dict.fromkeys([*x, *y]))

    a = a or IndustryTrack()
    return IndustryTrack(
        skills=union(a.skills, b.skills),
        lessons=union(a.lessons, b.lessons),
        labs=union(a.labs, getattr(b, "labs", [])),
    )


def merge_tracks(files: list[tuple[Path, TracksToml]]) -> Tracks:
    """Join the tracks of several packs (lists joined, first setting wins)."""
    goals: dict[str, IndustryTrack] = {}
    roles: dict[str, IndustryTrack] = {}
    industries: dict[str, IndustryTrack] = {}
    stages: dict[str, StageRule] = {}
    modes: dict[str, ModeRule] = {}
    compute: dict[str, ComputeRule] = {}
    planning: PlanningSettings | None = None
    bkt: BktSection | None = None
    bkt_skills: dict[str, BktOverride] = {}
    for _path, t in files:
        for target, source in ((goals, t.goals), (roles, t.roles), (industries, t.industries)):
            for key, track in source.items():
                target[key] = _join(target.get(key), track)
        for key, rule in t.stages.items():
            stages.setdefault(key, rule)
        for key, mode in t.modes.items():
            modes.setdefault(key, mode)
        for key, c in t.compute.items():
            if key in compute:  # lessons needing this compute are joined
                old = compute[key]
                lessons = list(dict.fromkeys([*old.lessons, *c.lessons]))
                compute[key] = ComputeRule(lessons=lessons, lab_scale=old.lab_scale)
            else:
                compute[key] = c
        planning = planning or t.planning
        if t.bkt is not None:
            bkt = bkt or t.bkt
            for skill, override in t.bkt.skills.items():
                bkt_skills.setdefault(skill, override)
    bkt = (bkt or BktSection()).model_copy(update={"skills": bkt_skills})
    return Tracks(
        planning=planning or PlanningSettings(),
        goals=goals,
        roles=roles,
        industries=industries,
        stages=stages,
        modes=modes,
        compute=compute,
        bkt=bkt,
        files=tuple(p for p, _ in files),
    )


_CACHE: weakref.WeakKeyDictionary[Catalog, Tracks] = weakref.WeakKeyDictionary()


def load_tracks(catalog: Catalog) -> Tracks:
    """The merged, checked tracks of every pack in ``catalog`` (cached per catalog)."""
    cached = _CACHE.get(catalog)
    if cached is not None:
        return cached
    files: list[tuple[Path, TracksToml]] = []
    issues: list[Issue] = []
    for course in catalog.courses:
        path = Path(course.root) / TRACKS_FILE
        if not path.is_file():
            continue
        try:
            tracks = read_tracks_file(path)
        except TracksError as exc:
            issues += exc.issues
            continue
        issues += _check_refs(path, tracks, catalog)
        files.append((path, tracks))
    if issues:
        raise TracksError(issues)
    merged = merge_tracks(files)
    _CACHE[catalog] = merged
    return merged
