"""The ``plan`` and ``profile`` commands, and the mastery table of ``progress``.

Thin, like the other commands: they read options, call :mod:`lmschool.planning` and
render the plan (Rich here; Markdown, HTML, JSON and iCalendar in
:mod:`lmschool.planning.export`). Registered on ``app`` by ``lmschool.cli``.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from lmschool.cli import CourseOpt, LangOpt, app, fail, learning, resolve_lang
from lmschool.cli.render import console, err_console
from lmschool.cli.text import HELP_LANG
from lmschool.i18n import Lang, t
from lmschool.planning import (
    InfeasiblePlan,
    Plan,
    ProfileError,
    ReplanError,
    TracksError,
    load_tracks,
    make_plan,
    make_profile,
    replan,
)
from lmschool.planning.export import (
    FORMATS,
    infeasible_text,
    render,
    value_name,
)
from lmschool.planning.profile import (
    COMPUTES,
    GOALS,
    INDUSTRIES,
    MODES,
    ROLES,
    STAGES,
    Profile,
    profile_toml,
    read_profile_data,
)
from lmschool.planning.terminal import plan_view
from lmschool.planning.text import PLAN_HELP

if TYPE_CHECKING:
    from lmschool.learning import Learning
    from lmschool.planning.mastery import BktConfig


# The store (SQLAlchemy, Alembic) loads only when a command needs it, so that commands
# that do not touch the database (grade, author, --help) start fast.
def learner_mastery(session: Any, *, learner_id: int) -> Any:
    from lmschool.planning.mastery import learner_mastery as read

    return read(session, learner_id=learner_id)


def current_plan(session: Any, *, learner_id: int) -> Any:
    from lmschool.planning.saved import current_plan as read

    return read(session, learner_id=learner_id)


def save_plan(*args: Any, **kwargs: Any) -> Any:
    from lmschool.planning.saved import save_plan as save

    return save(*args, **kwargs)


def h(key: str) -> str:
    return PLAN_HELP[key][HELP_LANG]


def _choices(name: str, values: tuple[str, ...]) -> type[StrEnum]:
    return StrEnum(name, [(v.replace("-", "_"), v) for v in values])  # type: ignore[return-value]


RoleC = _choices("RoleC", ROLES)
StageC = _choices("StageC", STAGES)
GoalC = _choices("GoalC", GOALS)
IndustryC = _choices("IndustryC", INDUSTRIES)
ModeC = _choices("ModeC", MODES)
ComputeC = _choices("ComputeC", COMPUTES)
FormatC = _choices("FormatC", FORMATS)
LangC = _choices("LangC", ("en", "zh"))

_CHOICE_TYPES: dict[str, type[StrEnum]] = {
    "role": RoleC,
    "stage": StageC,
    "goal": GoalC,
    "industry": IndustryC,
    "mode": ModeC,
    "compute": ComputeC,
    "language": LangC,
}

profile_app = typer.Typer(help=h("profile"), no_args_is_help=True, rich_markup_mode=None)
app.add_typer(profile_app, name="profile")

# The profile flags, shared by `plan` and `profile new`.
RoleOpt = Annotated[RoleC | None, typer.Option("--role", help=h("role"), show_default=False)]  # type: ignore[valid-type]
StageOpt = Annotated[StageC | None, typer.Option("--stage", help=h("stage"), show_default=False)]  # type: ignore[valid-type]
GoalOpt = Annotated[GoalC | None, typer.Option("--goal", help=h("goal"), show_default=False)]  # type: ignore[valid-type]
IndustryOpt = Annotated[
    IndustryC | None,  # type: ignore[valid-type]
    typer.Option("--industry", help=h("industry"), show_default=False),
]
ModeOpt = Annotated[ModeC | None, typer.Option("--mode", help=h("mode"), show_default=False)]  # type: ignore[valid-type]
HoursOpt = Annotated[
    float | None, typer.Option("--hours-per-week", help=h("hours"), show_default=False)
]
WeeksOpt = Annotated[int | None, typer.Option("--weeks", help=h("weeks"), show_default=False)]
EndOpt = Annotated[
    str | None, typer.Option("--end", help=h("end"), show_default=False, metavar="DATE")
]
StartOpt = Annotated[
    str | None, typer.Option("--start", help=h("start"), show_default=False, metavar="DATE")
]
WeekdaysOpt = Annotated[
    str | None, typer.Option("--weekdays", help=h("weekdays"), show_default=False, metavar="DAYS")
]
SessionOpt = Annotated[
    int | None, typer.Option("--session-minutes", help=h("session"), show_default=False)
]
StartTimeOpt = Annotated[
    str | None,
    typer.Option("--start-time", help=h("start_time"), show_default=False, metavar="HH:MM"),
]
KnownOpt = Annotated[
    str | None, typer.Option("--known", help=h("known"), show_default=False, metavar="SKILLS")
]
TargetsOpt = Annotated[
    str | None, typer.Option("--targets", help=h("targets"), show_default=False, metavar="SKILLS")
]
ComputeOpt = Annotated[
    ComputeC | None,  # type: ignore[valid-type]
    typer.Option("--compute", help=h("compute"), show_default=False),
]
CohortOpt = Annotated[str | None, typer.Option("--cohort", help=h("cohort"), show_default=False)]
CohortSizeOpt = Annotated[
    int | None, typer.Option("--cohort-size", help=h("cohort_size"), show_default=False)
]
NameOpt = Annotated[str | None, typer.Option("--name", help=h("name"), show_default=False)]


def _csv(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def profile_flags(**flags: Any) -> dict[str, Any]:
    """The profile fields given as flags (enums as strings, lists split at commas)."""
    out: dict[str, Any] = {}
    for key, value in flags.items():
        if value is None:
            continue
        if isinstance(value, StrEnum):
            value = value.value
        if key in ("weekdays", "known", "targets"):
            value = _csv(value)
        out[key] = value
    return out


def with_flags(data: dict[str, Any], flags: dict[str, Any]) -> dict[str, Any]:
    """A profile file's fields overridden by flags: --weeks replaces the file's end, --end its weeks."""
    out = {**data, **flags}
    for flag, other in (("weeks", "end"), ("end", "weeks")):
        if flag in flags and other not in flags:
            out.pop(other, None)
    return out


def _date(value: str | None, option: str, lang: Lang) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail("plan.cli.bad_date", lang, 2, option=option, value=value) from None


def _show_profile_error(exc: ProfileError, lang: Lang) -> typer.Exit:
    err_console.print(Text(t("profile.invalid", lang), style="bold red"))
    for issue in exc.issues:
        err_console.print(Text("  " + issue.render(lang)))
    return typer.Exit(2)


def _output_format(fmt: Any, out: Path | None, lang: Lang) -> str:
    if fmt is not None:
        return fmt.value
    if out is None:
        return "terminal"
    suffix = out.suffix.lower().lstrip(".")
    if suffix in ("md", "html", "json", "ics"):
        return suffix
    if suffix == "markdown":
        return "md"
    raise fail("plan.cli.bad_format", lang, 2, path=out)


# --- plan --------------------------------------------------------------------------------


@app.command("plan", help=h("plan"))
def plan_cmd(
    profile: Annotated[
        Path | None,
        typer.Option("--profile", help=h("profile_file"), show_default=False, metavar="FILE"),
    ] = None,
    role: RoleOpt = None,
    stage: StageOpt = None,
    goal: GoalOpt = None,
    industry: IndustryOpt = None,
    mode: ModeOpt = None,
    hours_per_week: HoursOpt = None,
    weeks: WeeksOpt = None,
    end: EndOpt = None,
    start: StartOpt = None,
    weekdays: WeekdaysOpt = None,
    session_minutes: SessionOpt = None,
    start_time: StartTimeOpt = None,
    known: KnownOpt = None,
    targets: TargetsOpt = None,
    compute: ComputeOpt = None,
    cohort: CohortOpt = None,
    cohort_size: CohortSizeOpt = None,
    name: NameOpt = None,
    skip_optional: Annotated[
        bool, typer.Option("--skip-optional", help=h("skip_optional"))
    ] = False,
    fmt: Annotated[
        FormatC | None,  # type: ignore[valid-type]
        typer.Option("--format", help=h("format"), show_default=False),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help=h("out"), show_default=False, metavar="PATH")
    ] = None,
    save: Annotated[bool, typer.Option("--save", help=h("save"))] = False,
    do_replan: Annotated[bool, typer.Option("--replan", help=h("replan"))] = False,
    today: Annotated[
        str | None, typer.Option("--today", help=h("today"), show_default=False, metavar="DATE")
    ] = None,
    learner: Annotated[
        str | None, typer.Option("--learner", help=h("learner"), show_default=False)
    ] = None,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    lg = resolve_lang(lang)
    output = _output_format(fmt, out, lg)
    flags = profile_flags(
        role=role,
        stage=stage,
        goal=goal,
        industry=industry,
        mode=mode,
        hours_per_week=hours_per_week,
        weeks=weeks,
        end=end,
        start=start,
        weekdays=weekdays,
        session_minutes=session_minutes,
        start_time=start_time,
        known=known,
        targets=targets,
        compute=compute,
        cohort=cohort,
        cohort_size=cohort_size,
        name=name,
    )
    if skip_optional:
        flags["include_optional"] = False
    if do_replan and (profile is not None or flags):
        raise fail("plan.cli.replan_flags", lg, 2)
    day = _date(today, "--today", lg) or date.today()
    with learning(lg, course, learner=learner) as L:
        try:
            tracks = load_tracks(L.catalog)
        except TracksError as exc:
            err_console.print(Text(t("plan.cli.tracks_invalid", lg), style="bold red"))
            for issue in exc.issues:
                err_console.print(f"  {issue}")
            raise typer.Exit(2) from None
        try:
            if do_replan:
                plan = _replan(L, day, lg, tracks)
                save = True
            else:
                data = read_profile_data(profile) if profile else {}
                data.setdefault("language", lg)  # a profile without one follows the interface
                prof = make_profile(
                    with_flags(data, flags), str(profile) if profile else None, frozenset(flags)
                )
                with L.session() as s:
                    # A cohort's plan is for a group: one learner's mastery does not shape it.
                    mastery = {} if prof.cohort else learner_mastery(s, learner_id=L.learner_id)
                plan = make_plan(L.catalog, prof, mastery=mastery, tracks=tracks)
        except ProfileError as exc:
            raise _show_profile_error(exc, lg) from None
        except InfeasiblePlan as exc:
            err_console.print(Text(infeasible_text(exc, lg), style="red"))
            raise typer.Exit(2) from None
        except ReplanError as exc:
            raise fail(exc.key, lg, 2, **exc.kwargs) from None
        if save:
            with L.session() as s:
                plan_id = save_plan(s, learner_id=L.learner_id, plan=plan)
            err_console.print(
                Text(t("plan.cli.saved", lg, learner=L.learner_name, id=plan_id), style="green")
            )
    # The plan's language: --lang, else the profile's own language.
    _emit(plan, output, out, lang.value if lang is not None else plan.profile["language"])


def _replan(L: Learning, day: date, lang: Lang, tracks: Any) -> Plan:
    with L.session() as s:
        stored = current_plan(s, learner_id=L.learner_id)
        mastery = learner_mastery(s, learner_id=L.learner_id)
    if stored is None:
        raise fail("plan.cli.no_saved", lang, 2, learner=L.learner_name)
    return replan(L.catalog, stored.plan, today=day, mastery=mastery, tracks=tracks)


def _emit(plan: Plan, output: str, out: Path | None, lang: Lang) -> None:
    if output == "terminal":
        console.print(plan_view(plan, lang))
        return
    data = render(plan, output, lang)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            out.write_bytes(data)
        else:
            out.write_text(data, encoding="utf-8")
        err_console.print(t("plan.cli.wrote", lang, path=out))
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        typer.echo(data, nl=False)


# --- mastery in `progress` --------------------------------------------------------------


def mastery_view(L: Learning, lang: Lang) -> Table | Text:
    """The learner's BKT mastery per measured skill, for ``lmschool progress``."""
    from lmschool.planning.mastery import bkt_config

    with L.session() as s:
        states = learner_mastery(s, learner_id=L.learner_id)
    if not states:
        return Text(t("plan.cli.no_mastery", lang), style="dim")
    config: BktConfig = bkt_config(L.catalog)
    table = Table(title=t("plan.cli.mastery_title", lang))
    table.add_column(t("plan.col.skill", lang), no_wrap=True)
    table.add_column(t("plan.col.p_known", lang), justify="right", no_wrap=True)
    table.add_column(t("plan.col.attempts", lang), justify="right")
    table.add_column(t("plan.col.correct", lang), justify="right")
    table.add_column(t("plan.col.state", lang), no_wrap=True)
    for skill, st in states.items():
        if config.mastered(st):
            state = Text(t("plan.cli.state.mastered", lang), style="green")
        elif config.weak(st):
            state = Text(t("plan.cli.state.weak", lang), style="red")
        else:
            state = Text(t("plan.cli.state.learning", lang), style="yellow")
        filled = round(st.p_known * 5)
        bar = Text("█" * filled + "░" * (5 - filled) + f" {st.p_known:.2f}")
        table.add_row(skill, bar, str(st.attempts), str(st.correct), state)
    return table


# --- profile new -------------------------------------------------------------------------

_QUESTIONS: list[tuple[str, tuple[str, ...] | None, Any]] = [
    # field, choices, default (None: required; "" for optional text)
    ("name", None, ""),
    ("role", ROLES, None),
    ("stage", STAGES, None),
    ("goal", GOALS, None),
    ("industry", INDUSTRIES, "general"),
    ("mode", MODES, "online-self-paced"),
    ("hours_per_week", None, 4.0),
    ("weeks", None, 8),
    ("start", None, "next-monday"),
    ("weekdays", None, "mon,tue,wed,thu,fri"),
    ("session_minutes", None, 0),
    ("start_time", None, "18:00"),
    ("known", None, ""),
    ("compute", COMPUTES, "laptop-cpu"),
    ("language", ("en", "zh"), "lang"),
    ("cohort", None, ""),
    ("cohort_size", None, 1),
]


def _default(field: str, default: Any, lang: Lang) -> Any:
    if default == "next-monday":
        today = date.today()  # only a suggestion in the questionnaire, never in planning
        return (today + timedelta(days=(7 - today.weekday()) % 7 or 7)).isoformat()
    if default == "lang":
        return lang
    return default


def _ask(field: str, choices: tuple[str, ...] | None, default: Any, lang: Lang) -> Any:
    question = t(f"profile.q.{field}", lang)
    kwargs: dict[str, Any] = {}
    if default is not None:
        kwargs["default"] = default
    if choices:
        shown = (
            ", ".join(f"{c} ({value_name(c, lang)})" for c in choices)
            if field != "language"
            else ""
        )
        if shown:
            console.print(Text(shown, style="dim"))
        enum = _CHOICE_TYPES[field]  # an Enum type works with every typer's prompt
        answer = typer.prompt(question, type=enum, **kwargs)
        return answer.value if isinstance(answer, StrEnum) else str(answer)
    if field == "hours_per_week":
        return typer.prompt(question, type=float, **kwargs)
    if field in ("weeks", "session_minutes", "cohort_size"):
        return typer.prompt(question, type=int, **kwargs)
    if default == "":
        kwargs["show_default"] = False
    return typer.prompt(question, **kwargs)


def _clean(field: str, value: Any) -> Any:
    """An answer as a profile value (None: leave the field out)."""
    if value in ("", None) or (field == "session_minutes" and value == 0):
        return None
    if field in ("weekdays", "known"):
        return _csv(value)
    if field == "cohort_size" and value == 1:
        return None
    return value


@profile_app.command("new", help=h("profile_new"))
def profile_new(
    out: Annotated[Path, typer.Option("--out", help=h("profile_out"), metavar="PATH")] = Path(
        "profile.toml"
    ),
    yes: Annotated[bool, typer.Option("--yes", "-y", help=h("yes"))] = False,
    force: Annotated[bool, typer.Option("--force", help=h("force"))] = False,
    role: RoleOpt = None,
    stage: StageOpt = None,
    goal: GoalOpt = None,
    industry: IndustryOpt = None,
    mode: ModeOpt = None,
    hours_per_week: HoursOpt = None,
    weeks: WeeksOpt = None,
    end: EndOpt = None,
    start: StartOpt = None,
    weekdays: WeekdaysOpt = None,
    session_minutes: SessionOpt = None,
    start_time: StartTimeOpt = None,
    known: KnownOpt = None,
    targets: TargetsOpt = None,
    compute: ComputeOpt = None,
    cohort: CohortOpt = None,
    cohort_size: CohortSizeOpt = None,
    name: NameOpt = None,
    language: Annotated[
        LangC | None,  # type: ignore[valid-type]
        typer.Option("--language", help=h("lang_profile"), show_default=False),
    ] = None,
    lang: LangOpt = None,
) -> None:
    lg = resolve_lang(lang)
    if out.exists() and not force:
        raise fail("plan.cli.exists", lg, 2, path=out)
    answers = profile_flags(
        role=role,
        stage=stage,
        goal=goal,
        industry=industry,
        mode=mode,
        hours_per_week=hours_per_week,
        weeks=weeks,
        end=end,
        start=start,
        weekdays=weekdays,
        session_minutes=session_minutes,
        start_time=start_time,
        known=known,
        targets=targets,
        compute=compute,
        cohort=cohort,
        cohort_size=cohort_size,
        name=name,
        language=language,
    )
    asked: set[str] = set(answers)
    if "end" in answers:  # an end date instead of a number of weeks
        asked.add("weeks")
    while True:
        for field, choices, default in _QUESTIONS:
            if field in asked:
                continue
            asked.add(field)
            default = _default(field, default, lg)
            if yes:
                value = default if default not in (None, "next-monday") else None
                if field in ("start",):
                    value = default
            else:
                value = _ask(field, choices, default, lg)
            cleaned = _clean(field, value)
            if cleaned is not None:
                answers[field] = cleaned
        try:
            prof: Profile = make_profile(answers)
            break
        except ProfileError as exc:
            if yes:
                raise _show_profile_error(exc, lg) from None
            for issue in exc.issues:
                err_console.print(Text("  " + issue.render(lg), style="red"))
            fields = {i.field.split(".")[0].split("[")[0] for i in exc.issues} & asked
            if not fields:
                raise typer.Exit(2) from None
            err_console.print(t("plan.cli.try_again", lg))
            for field in sorted(fields):
                answers.pop(field, None)
                asked.discard(field)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(profile_toml(prof), encoding="utf-8")
    console.print(Text(t("plan.cli.profile_written", lg, path=out), style="green"))
