"""A learner's or a cohort's profile: who learns, towards what, and with how much time.

A profile comes from a TOML or JSON file (``lmschool plan --profile FILE``), from
command-line flags, or from the questionnaire ``lmschool profile new``. It is validated
by :class:`Profile`; :func:`make_profile` turns every validation error into a
:class:`ProfileIssue` that names the file (or the flag), the field, what it accepts and
the fix, in en and zh: none of pydantic's own wording reaches a learner.

The plan's length is ``weeks`` or an ``end`` date (exactly one is needed; both are
accepted when they agree, as a saved profile has them): an end date sets ``weeks`` to
the weeks it starts, and the plan stops on that day.

docs/planning.md documents every field; a test keeps it that way.
"""

from __future__ import annotations

import difflib
import json
import tomllib
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from lmschool.course.model import SKILL_RE, Audience, Industry, SkillId
from lmschool.i18n import LANGS, MESSAGES, Lang, Msg, msg

Role = Literal["student", "researcher", "engineer", "educator", "manager"]
Stage = Audience
Goal = Literal["skills", "vocational", "career-change", "research", "teaching"]
Mode = Literal["online-self-paced", "classroom", "workshop", "blended"]
Compute = Literal["laptop-cpu", "gpu", "cluster"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

ROLES: tuple[str, ...] = get_args(Role)
STAGES: tuple[str, ...] = get_args(Stage)
GOALS: tuple[str, ...] = get_args(Goal)
INDUSTRIES: tuple[str, ...] = get_args(Industry)
MODES: tuple[str, ...] = get_args(Mode)
COMPUTES: tuple[str, ...] = get_args(Compute)  # lowest first
WEEKDAYS: tuple[str, ...] = get_args(Weekday)  # date.weekday() order

Probability = Annotated[float, Field(ge=0.0, le=1.0, strict=True)]
MAX_WEEKS = 156


class Profile(BaseModel):
    """Who the plan is for and how much time they have. See docs/planning.md."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = Field(default=None, max_length=200, strict=True)
    role: Role
    stage: Stage
    goal: Goal
    industry: Industry = "general"
    mode: Mode = "online-self-paced"
    hours_per_week: float = Field(gt=0, le=80, strict=True)
    weeks: int | None = Field(default=None, ge=1, le=MAX_WEEKS, strict=True)
    start: date
    end: date | None = None
    weekdays: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]
    session_minutes: int | None = Field(default=None, ge=15, le=600, strict=True)
    start_time: time = time(18, 0)
    known: list[SkillId] = []
    placement: dict[SkillId, Probability] = {}
    targets: list[SkillId] = []
    include_optional: bool = Field(default=True, strict=True)
    compute: Compute = "laptop-cpu"
    language: Lang = "en"
    cohort: str | None = Field(default=None, max_length=200, strict=True)
    cohort_size: int = Field(default=1, ge=1, le=100_000, strict=True)

    _source: str | None = PrivateAttr(default=None)

    @field_validator("weekdays")
    @classmethod
    def _weekdays(cls, value: list[str]) -> list[str]:
        if not value:
            raise PydanticCustomError("no_weekday", "at least one weekday is needed")
        return sorted(set(value), key=WEEKDAYS.index)  # each once, in week order

    @model_validator(mode="after")
    def _weeks_or_end(self) -> Profile:
        """``weeks`` or ``end``: an end date gives the weeks it starts (the last may be short)."""
        if self.end is None:
            if self.weeks is None:
                raise PydanticCustomError("weeks_or_end", "weeks or end is needed")
            return self
        if self.end < self.start:
            raise PydanticCustomError("end_before_start", "end is before start")
        weeks = (self.end - self.start).days // 7 + 1
        if weeks > MAX_WEEKS:
            raise PydanticCustomError("end_too_late", "end is too late", {"weeks": weeks})
        if self.weeks is not None and self.weeks != weeks:
            raise PydanticCustomError("weeks_end_disagree", "disagree", {"weeks": weeks})
        self.__dict__["weeks"] = weeks  # frozen model: set once, here
        return self

    @property
    def n_weeks(self) -> int:
        """The number of weeks (from ``weeks``, or counted to ``end``)."""
        return self.weeks or 0  # never None after validation

    @property
    def last_day(self) -> date:
        """The last day of the plan: ``end``, else the last day of the last week."""
        return self.end or self.start + timedelta(days=self.n_weeks * 7 - 1)

    @field_validator("known", "targets")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def __eq__(self, other: object) -> bool:  # the source file is not part of the profile
        return isinstance(other, Profile) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # lists inside: not hashable anyway

    @property
    def source(self) -> str | None:
        """The file the profile was read from, if any (for error messages)."""
        return self._source

    def with_source(self, source: str | None) -> Profile:
        self._source = source
        return self

    def doc(self) -> dict[str, Any]:
        """The JSON-ready profile document (what plans and the database store)."""
        return self.model_dump(mode="json")


# --- errors ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileIssue:
    """One problem of a profile: the file, the field, what is wrong and the fix."""

    source: str | None
    field: str
    problem: Msg
    fix: Msg

    def render(self, lang: Lang) -> str:
        where = ": ".join(p for p in (self.source, self.field) if p)
        return msg(
            "profile.issue",
            where=where,
            problem=self.problem.render(lang),
            fix=self.fix.render(lang),
        ).render(lang)

    def __str__(self) -> str:
        return self.render("en")


class ProfileError(ValueError):
    """A profile is invalid; ``issues`` says every problem (in en and zh)."""

    def __init__(self, issues: list[ProfileIssue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))

    def render(self, lang: Lang) -> str:
        return "\n".join(i.render(lang) for i in self.issues)


_CHOICES: dict[str, tuple[str, ...]] = {
    "role": ROLES,
    "stage": STAGES,
    "goal": GOALS,
    "industry": INDUSTRIES,
    "mode": MODES,
    "compute": COMPUTES,
    "weekdays": WEEKDAYS,
    "language": LANGS,
}
_EXAMPLES: dict[str, str] = {
    "name": '"Evening ML course"',
    "role": '"engineer"',
    "stage": '"professional"',
    "goal": '"skills"',
    "industry": '"finance"',
    "mode": '"online-self-paced"',
    "hours_per_week": "6",
    "weeks": "8",
    "start": "2025-09-01",
    "end": "2025-10-26",
    "weekdays": '["mon", "wed"]',
    "session_minutes": "90",
    "start_time": '"18:00"',
    "known": '["ml.concepts"]',
    "placement": '{ "data.cleaning" = 0.7 }',
    "targets": '["eval.metrics"]',
    "include_optional": "true",
    "compute": '"laptop-cpu"',
    "language": '"en"',
    "cohort": '"Class 3A"',
    "cohort_size": "30",
}

_FLAG_EXAMPLES: dict[str, str] = {
    "weekdays": "mon,wed",
    "known": "ml.concepts,ml.pipeline",
    "targets": "eval.metrics",
    "start_time": "18:00",
}

# Fields whose flag is not --<field with dashes>.
_FLAG_NAMES: dict[str, str] = {"include_optional": "skip-optional"}


def flag_name(name: str) -> str:
    """The command-line flag that sets profile field ``name``."""
    return "--" + _FLAG_NAMES.get(name, name.replace("_", "-"))


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker of a dict key: the key itself is named
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | time):
        return value.isoformat()
    return repr(value)


def _add(name: str, example: str, source: str | None) -> Msg:
    """How to give a field: a line of the file, or a command-line flag."""
    if source is None:
        value = _FLAG_EXAMPLES.get(name, example.strip('"'))
        return msg("profile.fix.flag", flag=flag_name(name)[2:], value=value)
    return msg("profile.fix.add", line=f"{name} = {example}")


def _accepts(name: str) -> Msg:
    """What field ``name`` accepts, in words (choices listed)."""
    if name in _CHOICES:
        return msg("profile.accepts.choice", choices=", ".join(_CHOICES[name]))
    key = f"profile.accepts.{name}"
    return msg(key) if key in MESSAGES else msg("profile.accepts.any")


def _saying(key: str, name: str, **kwargs: Any) -> Msg:
    """Message ``key`` with the argument ``accepts`` said in each language."""
    accepts = _accepts(name)
    return Msg(
        {lang: msg(key, accepts=accepts.render(lang), **kwargs).render(lang) for lang in LANGS},
        key,
    )


def _weeks_end_issue(kind: str, ctx: dict[str, Any], data: dict[str, Any]) -> tuple[Msg, Msg]:
    """The problem and fix of a profile whose ``weeks`` and ``end`` do not make a length."""
    end, start = data.get("end"), data.get("start")
    if kind == "weeks_or_end":
        return msg("profile.err.weeks_or_end"), msg("profile.fix.weeks_or_end")
    if kind == "end_before_start":
        return (
            msg("profile.err.end_before_start", end=_shown(end), start=_shown(start)),
            msg("profile.fix.end_after_start"),
        )
    if kind == "end_too_late":
        return (
            msg("profile.err.end_too_late", end=_shown(end), weeks=ctx.get("weeks", "?")),
            msg("profile.fix.end_earlier", most=MAX_WEEKS),
        )
    return (
        msg(
            "profile.err.weeks_end_disagree",
            weeks=_shown(data.get("weeks")),
            end=_shown(end),
            counted=ctx.get("weeks", "?"),
        ),
        msg("profile.fix.weeks_or_end_one"),
    )


_WEEKS_END = ("weeks_or_end", "end_before_start", "end_too_late", "weeks_end_disagree")


def issues_from_validation(
    exc: ValidationError,
    source: str | None,
    flags: frozenset[str] = frozenset(),
    data: dict[str, Any] | None = None,
) -> list[ProfileIssue]:
    """pydantic's errors as bilingual issues: the file or flag, the field, what it accepts.

    ``flags`` are the fields given on the command line: their errors name the flag, not
    the file. No text of pydantic's own reaches the learner.
    """
    data = data or {}
    issues: list[ProfileIssue] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        names = [p for p in loc if isinstance(p, str)]
        name = names[0] if names else ""
        kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
        if kind in _WEEKS_END:
            fields = [f for f in ("weeks", "end") if f in data] or ["weeks", "end"]
            by_flag = all(f in flags for f in fields)
            where = ", ".join(flag_name(f) if f in flags else f for f in fields)
            problem, fix = _weeks_end_issue(kind, ctx, data)
            issues.append(ProfileIssue(None if by_flag else source, where, problem, fix))
            continue
        by_flag = name in flags
        src = None if by_flag else source
        field = flag_name(name) if by_flag else _loc(loc)
        example = _EXAMPLES.get(name, "...")
        if kind == "missing":
            problem, fix = _saying("profile.err.missing", name), _add(name, example, src)
        elif kind == "extra_forbidden":
            close = difflib.get_close_matches(name, list(Profile.model_fields), n=1)
            problem = msg("profile.err.unknown_field", name=name)
            fix = msg("profile.fix.rename", name=close[0]) if close else msg("profile.fix.remove")
        elif kind == "literal_error":
            choices = _CHOICES.get(name, ())
            close = difflib.get_close_matches(str(value), list(choices), n=1)
            problem = msg("profile.err.choice", value=_shown(value), choices=", ".join(choices))
            fix = (
                msg("profile.fix.did_you_mean", value=close[0])
                if close
                else _add(name, example, src)
            )
        elif kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
            bound = next(iter(ctx.values()), "")
            op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<"}.get(kind, "<=")
            problem = msg("profile.err.range", value=_shown(value), op=op, bound=_shown(bound))
            fix = _add(name, example, src)
        elif kind.endswith("too_long"):
            problem = msg("profile.err.too_long")
            fix = msg("profile.fix.shorten")
        elif kind == "no_weekday":
            problem, fix = msg("profile.err.no_weekday"), _add(name, example, src)
        elif name in ("known", "targets", "placement") and ("skill" in kind or "pattern" in kind):
            problem = msg("profile.err.skill", value=_shown(value))
            fix = msg("profile.fix.skill")
        else:  # wrong type, unparsable date or time, ...: say what the field accepts
            problem = _saying("profile.err.value", name, value=_shown(value))
            fix = _add(name, example, src)
        issues.append(ProfileIssue(src, field, problem, fix))
    return issues


def make_profile(
    data: dict[str, Any], source: str | None = None, flags: frozenset[str] = frozenset()
) -> Profile:
    """A validated :class:`Profile` from a mapping; :class:`ProfileError` if invalid.

    ``source`` is the file the data comes from, ``flags`` the fields given as flags.
    """
    try:
        return Profile.model_validate(data).with_source(source)
    except ValidationError as exc:
        raise ProfileError(issues_from_validation(exc, source, flags, data)) from None


def read_profile_data(path: Path | str) -> dict[str, Any]:
    """The raw table of a ``.toml`` or ``.json`` profile file (not yet validated)."""
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        issue = ProfileIssue(
            source, "", msg("profile.err.unreadable", detail=str(exc)), msg("profile.fix.path")
        )
        raise ProfileError([issue]) from None
    try:
        data = json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        issue = ProfileIssue(
            source, "", msg("profile.err.syntax", detail=str(exc)), msg("profile.fix.syntax")
        )
        raise ProfileError([issue]) from None
    if not isinstance(data, dict):
        issue = ProfileIssue(
            source, "", msg("profile.err.syntax", detail="not a table"), msg("profile.fix.syntax")
        )
        raise ProfileError([issue])
    return data


def load_profile(path: Path | str, overrides: dict[str, Any] | None = None) -> Profile:
    """Read a profile from a ``.toml`` or ``.json`` file; ``overrides`` replace its fields."""
    data = {**read_profile_data(path), **(overrides or {})}
    return make_profile(data, str(path))


def unknown_skill_issue(profile: Profile, field: str, skill: str, known: list[str]) -> ProfileIssue:
    """An issue for a skill id the loaded courses do not teach."""
    close = difflib.get_close_matches(skill, known, n=1)
    fix = (
        msg("profile.fix.did_you_mean", value=close[0])
        if close
        else msg("profile.fix.known_skills")
    )
    return ProfileIssue(profile.source, field, msg("profile.err.unknown_skill", skill=skill), fix)


# --- writing ---------------------------------------------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")


def profile_toml(profile: Profile) -> str:
    """The profile as a TOML file (fields in documented order, defaults included)."""
    doc = profile.doc()
    lines = ["# A training-plan profile for lmschool: see docs/planning.md for every field."]
    for name in Profile.model_fields:
        value = doc[name]
        if value is None:
            continue
        if name == "start":
            lines.append(f"start = {value}")  # a TOML date
        elif name == "start_time":
            lines.append(f'start_time = "{value[:5]}"')
        else:
            lines.append(f"{name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def is_skill_id(value: str) -> bool:
    return bool(SKILL_RE.match(value))
