"""From a profile (and measured progress) to a scheduled, explained plan.

:func:`make_plan` is the whole algorithm (docs/planning.md explains it):

1. :func:`~lmschool.planning.selection.select` chooses and orders the lessons, labs and
   exercises, each with its reasons;
2. each module gets a review and an assessment after its last planned lesson, and each
   weak skill spaced reviews at expanding intervals after the lesson that teaches it;
3. lesson minutes are scaled for the stage, and :func:`~lmschool.planning.schedule.pack`
   places everything into the sessions the profile allows;
4. if the required work does not fit, :class:`InfeasiblePlan` says the hours needed and
   available, and every change that makes it fit, each found by planning again with it:
   more weeks (or a later end date), more hours a week, more weekdays, longer sessions
   (up to :data:`MAX_SESSION_MINUTES`), or dropping the optional items; ranked by how
   little each changes the profile;
5. a plan that fits says what its reader should know (:class:`~.document.Note`): sessions
   that cannot hold the weekly hours asked, target skills beyond the learners' stage
   (with what the next stage would reach), labs standing in for another industry's.

:func:`replan` rebuilds the rest of a stored plan from a given day with the learner's
current mastery, keeping its end date. Nothing here reads the clock: the same profile,
progress and day always give the same plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from lmschool.course import Catalog
from lmschool.i18n import LANGS, Lang, msg, t
from lmschool.planning.document import (
    CourseRef,
    Entry,
    Item,
    Note,
    NoteCode,
    Plan,
    Reason,
    Session,
    Skipped,
)
from lmschool.planning.mastery import BktConfig, MasteryState
from lmschool.planning.profile import (
    MAX_WEEKS,
    STAGES,
    WEEKDAYS,
    Profile,
    ProfileError,
    unknown_skill_issue,
)
from lmschool.planning.schedule import (
    Calendar,
    Packing,
    Work,
    calendar,
    pack,
    review_id,
    weekly_minutes,
)
from lmschool.planning.selection import CourseGraph, Progress, Selection, course_graph, select
from lmschool.planning.tracks import Tracks, load_tracks

MAX_HOURS_PER_WEEK = 80.0
MAX_SESSION_MINUTES = 240  # the longest session an option proposes: more days come first
# Weekdays in the order an option adds them: working days first, the weekend last.
DAY_ORDER = ("mon", "wed", "fri", "tue", "thu", "sat", "sun")
STAGE_DETAILS = ("stage-level", "stage-audience", "prerequisite-unsuited")

Lever = Literal["weeks", "hours", "days", "session", "optional"]


@dataclass(frozen=True)
class Option:
    """One change of the profile that makes the plan fit, checked by planning again.

    ``changes`` are the profile fields to set (``profile.model_copy(update=changes)``
    plans feasibly); ``change`` is its size relative to the profile (0.25: a quarter
    more weeks, or hours, or days, ...; summed over the fields it changes), the rank.
    """

    lever: Lever
    changes: dict[str, Any]
    change: float


@dataclass
class InfeasiblePlan(Exception):
    """The required work does not fit the time available; the numbers and the options."""

    needed_minutes: int
    available_minutes: int
    start: date
    end: date
    options: list[Option] = field(default_factory=list)  # smallest change first
    optional_items: list[str] = field(default_factory=list)
    optional_minutes: int = 0
    usable_minutes_per_week: int | None = None  # set when sessions cannot hold the hours
    hours_per_week_asked: float = 0.0
    uses_end: bool = False  # the profile gives an end date (options move it)
    replan: bool = False

    def option(self, lever: Lever) -> Option | None:
        return next((o for o in self.options if o.lever == lever), None)

    def __str__(self) -> str:
        from lmschool.planning.export import infeasible_text

        return infeasible_text(self, "en")


@dataclass
class ReplanError(Exception):
    """A stored plan cannot be re-planned (it has ended); ``key`` names the message."""

    key: str
    kwargs: dict[str, object]

    def __str__(self) -> str:
        return msg(self.key, **self.kwargs).render("en")


def _scaled(minutes: float, scale: float) -> int:
    return max(5, math.ceil(minutes * scale / 5) * 5)


def _lesson_minutes(minutes: int, has_lab: bool, lab_minutes: int, scale: float) -> int:
    """A lesson's own time: its estimate includes doing one lab, which is an item of its own."""
    own = _scaled(minutes, scale)
    if has_lab:
        own = max(own - _scaled(lab_minutes, scale), 15)
    return own


@dataclass
class _Draft:
    items: dict[str, Item]
    main: list[Work]
    early: tuple[str, ...]
    weak: dict[str, float]


def _draft(
    cg: CourseGraph,
    tracks: Tracks,
    profile: Profile,
    sel: Selection,
    weak: Mapping[str, float],
    include_optional: bool,
    done: frozenset[str] = frozenset(),
) -> _Draft:
    rule = tracks.stage(profile.stage)
    settings = tracks.planning
    compute = tracks.compute.get(profile.compute)
    lab_scale = compute.lab_scale if compute else 1.0
    items: dict[str, Item] = {}
    main: list[Work] = []
    picks = [p for p in sel.picks if include_optional or not p.optional]
    by_module: dict[str, list[str]] = {}
    for p in picks:
        by_module.setdefault(cg.lesson[p.lesson].module_id, []).append(p.lesson)
    last_of_module = {lessons[-1]: m for m, lessons in by_module.items()}

    def module_items(module_id: str, optional: bool) -> None:
        """The module's review and assessment, over its planned and its done lessons."""
        module = cg.modules[module_id]
        lessons = [
            le.id for le in module.lessons if le.id in done or le.id in by_module.get(module_id, [])
        ]
        skills = list(dict.fromkeys(s for x in lessons for s in cg.lesson[x].skills))
        quizzes = [
            ex.id
            for x in lessons
            for ex in cg.lesson[x].exercises
            if ex.kind == "quiz" and ex.kind in rule.exercise_kinds and not ex.industries
        ]
        for kind, minutes, code, exercises in (
            ("review", settings.review_minutes, "module-review", []),
            ("assessment", settings.assessment_minutes, "module-assessment", quizzes),
        ):
            item_id = f"{kind}:{module_id}"
            if minutes <= 0 or item_id in done:
                continue
            items[item_id] = Item(
                id=item_id,
                kind=kind,  # type: ignore[arg-type]
                ref=module_id,
                module=module_id,
                title=dict(module.title),
                minutes=_scaled(minutes, rule.minutes_scale),
                skills=skills,
                exercises=exercises,
                optional=optional,
                reasons=[Reason(code=code, module=module_id)],  # type: ignore[arg-type]
            )
            main.append(Work(item_id, items[item_id].minutes))

    # Modules whose lessons were all done before the first day still owe their review.
    for module_id, module in cg.modules.items():
        if module_id not in by_module and any(le.id in done for le in module.lessons):
            module_items(module_id, optional=False)
    planned_skills: set[str] = set()
    kept = {p.lesson for p in picks}
    for p in picks:
        le = cg.lesson[p.lesson]
        review_after = tuple(s for s in le.skills if s in weak and s not in planned_skills)
        planned_skills.update(le.skills)
        item = Item(
            id=f"lesson:{le.id}",
            kind="lesson",
            ref=le.id,
            module=le.module_id,
            title=dict(le.title),
            minutes=_lesson_minutes(
                le.minutes, bool(p.labs), settings.lab_minutes, rule.minutes_scale
            ),
            skills=list(le.skills),
            exercises=list(p.exercises),
            optional=p.optional,
            # only what is in this plan: a dropped optional lesson needs no prerequisite
            reasons=[r for r in p.reasons if r.code != "prerequisite" or r.lesson in kept],
        )
        items[item.id] = item
        main.append(Work(item.id, item.minutes, review_after))
        for ex_id, reason in p.labs if include_optional else []:
            ex = cg.catalog.exercise(ex_id)
            lab = Item(
                id=f"lab:{ex_id}",
                kind="lab",
                ref=ex_id,
                module=le.module_id,
                title=dict(ex.title),
                minutes=_scaled(settings.lab_minutes, rule.minutes_scale * lab_scale),
                skills=cg.exercise_skills(ex),
                exercises=[ex_id],
                optional=True,
                reasons=[reason],
                notes=_stand_in(profile.industry, ex.industries) if reason.code == "lab" else [],
            )
            items[lab.id] = lab
            main.append(Work(lab.id, lab.minutes))
        module_id = last_of_module.get(le.id)
        if module_id is not None:
            optional = all(items[f"lesson:{x}"].optional for x in by_module[module_id])
            module_items(module_id, optional)
    early = tuple(s for s in weak if s not in planned_skills) if include_optional else ()
    if not include_optional:
        main = [Work(w.id, w.minutes) for w in main]
    return _Draft(items, main, early, dict(weak))


def _note(code: NoteCode, key: str, args: Callable[[Lang], dict[str, object]]) -> Note:
    """A note in both languages; ``args`` gives the message's arguments in each."""
    return Note(code=code, text={lang: t(key, lang, **args(lang)) for lang in LANGS})


def _names(values: Sequence[str], lang: Lang) -> str:
    return ("、" if lang == "zh" else ", ").join(t(f"plan.v.{v}", lang) for v in values)


def _stand_in(industry: str, lab_industries: Sequence[str]) -> list[Note]:
    """A lab written for other industries stands in for the profile's: say so."""
    if industry in lab_industries or not lab_industries:
        return []
    return [
        _note(
            "stand-in-lab",
            "plan.note.stand_in_lab",
            lambda lang: {
                "industry": t(f"plan.v.{industry}", lang),
                "others": _names(lab_industries, lang),
            },
        )
    ]


def _pack(draft: _Draft, cal: Calendar, tracks: Tracks, first_day: date) -> Packing:
    return pack(
        cal,
        draft.main,
        first_day=first_day,
        intervals=list(tracks.planning.review_intervals_days),
        review_minutes=tracks.planning.spaced_review_minutes,
        early_reviews=draft.early,
        min_part=tracks.planning.min_session_minutes,
    )


def _first_fit(
    candidates: Sequence[dict[str, Any]], fits: Callable[[dict[str, Any]], bool]
) -> dict[str, Any] | None:
    """The first candidate that fits, by bisection (each candidate holds more than the last)."""
    if not candidates or not fits(candidates[-1]):
        return None
    lo, hi = 0, len(candidates) - 1  # candidates[hi] fits
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(candidates[mid]):
            hi = mid
        else:
            lo = mid + 1
    return candidates[hi]


def _more_days(days: list[str], n: int) -> list[str]:
    """``days`` and more, up to ``n`` days a week (working days first), in week order."""
    out = list(days)
    for d in DAY_ORDER:
        if len(out) >= n:
            break
        if d not in out:
            out.append(d)
    return sorted(out, key=WEEKDAYS.index)


def _sessions_for(days: list[str], length: int, need: int, longest: int) -> dict[str, Any] | None:
    """Weekdays and session length that hold ``need`` minutes a week (None: none do).

    More working days first (up to five), then longer sessions up to ``longest``, then
    weekend days.
    """
    for n in range(len(days), 8):
        more = {"weekdays": _more_days(days, n)} if n > len(days) else {}
        if n * length >= need:
            return more
        minutes = math.ceil(need / n / 15) * 15
        if n >= max(5, len(days)) and minutes <= longest:
            return more | {"session_minutes": minutes}
    return None


def _hours(minutes: float) -> float:
    """Weekly minutes as hours a week, rounded up to a quarter hour."""
    return min(MAX_HOURS_PER_WEEK, math.ceil(minutes / 15) / 4)


def _candidates(profile: Profile, length: int, usable: int) -> dict[Lever, list[dict[str, Any]]]:
    """For each lever, the changes to try, each holding more time than the one before."""
    hours, days = profile.hours_per_week, profile.weekdays
    weekly = round(hours * 60)
    longest = max(MAX_SESSION_MINUTES, length)
    out: dict[Lever, list[dict[str, Any]]] = {}
    weeks: list[dict[str, Any]] = []
    for w in range(profile.n_weeks + 1, MAX_WEEKS + 1):
        change: dict[str, Any] = {"weeks": w}
        if profile.end is not None:
            change["end"] = profile.start + timedelta(days=w * 7 - 1)
        weeks.append(change)
    out["weeks"] = weeks
    # More hours a week (from the hours asked when the sessions do not hold them yet), with
    # the sessions to hold them.
    more_hours: list[dict[str, Any]] = []
    h = hours if usable < weekly else math.floor(hours * 2) / 2 + 0.5
    while h <= MAX_HOURS_PER_WEEK:
        sessions = _sessions_for(days, length, round(h * 60), longest)
        if sessions is None:
            break
        change = ({"hours_per_week": h} if h != hours else {}) | sessions
        if change:
            more_hours.append(change)
        h += 0.5
    out["hours"] = more_hours
    # More days or longer sessions help only when the sessions cannot hold the hours asked;
    # past the hours asked they need more hours a week too.
    if usable < weekly:
        out["days"] = []
        for n in range(len(days) + 1, 8):
            change = {"weekdays": _more_days(days, n)}
            if n * length > weekly:
                change["hours_per_week"] = _hours(n * length)
            out["days"].append(change)
        out["session"] = []
        for minutes in range(length + 15, longest + 1, 15):
            change = {"session_minutes": minutes}
            if len(days) * minutes > weekly:
                change["hours_per_week"] = _hours(len(days) * minutes)
            out["session"].append(change)
    return out


def _change_size(profile: Profile, length: int, changes: dict[str, Any], dropped: float) -> float:
    """How much ``changes`` change the profile: relative changes, summed."""
    size = 0.0
    if "weeks" in changes:
        size += changes["weeks"] / profile.n_weeks - 1
    if "hours_per_week" in changes:
        size += changes["hours_per_week"] / profile.hours_per_week - 1
    if "weekdays" in changes:
        size += len(changes["weekdays"]) / len(profile.weekdays) - 1
    if "session_minutes" in changes:
        size += changes["session_minutes"] / length - 1
    if changes.get("include_optional") is False:
        size += dropped
    return round(size, 4)


def _options(
    draft_all: _Draft,
    draft_required: _Draft,
    profile: Profile,
    tracks: Tracks,
    first_day: date,
    session_minutes: int,
    cal: Calendar,
    replan: bool,
) -> InfeasiblePlan:
    settings = tracks.planning
    n_reviews = len(draft_all.weak) * len(settings.review_intervals_days)
    needed = sum(w.minutes for w in draft_all.main) + n_reviews * settings.spaced_review_minutes
    optional_ids = [i.id for i in draft_all.items.values() if i.optional]
    if draft_all.weak:
        optional_ids.append("spaced-review:*")
    optional_minutes = sum(i.minutes for i in draft_all.items.values() if i.optional)
    optional_minutes += n_reviews * settings.spaced_review_minutes
    seen: dict[str, bool] = {}

    def fits(changes: dict[str, Any]) -> bool:
        key = repr(sorted(changes.items()))
        if key not in seen:
            p = profile.model_copy(update=changes)
            c = calendar(
                p,
                session_minutes=changes.get("session_minutes", session_minutes),
                min_session_minutes=settings.min_session_minutes,
                first_day=first_day,
            )
            draft = draft_required if changes.get("include_optional") is False else draft_all
            seen[key] = _pack(draft, c, tracks, first_day).fits
        return seen[key]

    usable = weekly_minutes(
        profile, session_minutes=session_minutes, min_session_minutes=settings.min_session_minutes
    )
    err = InfeasiblePlan(
        needed,
        cal.capacity,
        profile.start,
        cal.end,
        replan=replan,
        hours_per_week_asked=profile.hours_per_week,
        uses_end=profile.end is not None,
    )
    found: list[tuple[Lever, dict[str, Any]]] = []
    if optional_ids and fits({"include_optional": False}):
        err.optional_items, err.optional_minutes = optional_ids, optional_minutes
        found.append(("optional", {"include_optional": False}))
    for lever, candidates in _candidates(profile, session_minutes, usable).items():
        change = _first_fit(candidates, fits)
        if change is not None and all(change != c for _, c in found):
            found.append((lever, change))
    dropped = optional_minutes / needed if needed else 0.0
    err.options = sorted(
        (
            Option(lever, c, _change_size(profile, session_minutes, c, dropped))
            for lever, c in found
        ),
        key=lambda o: o.change,
    )
    if usable < round(profile.hours_per_week * 60):
        err.usable_minutes_per_week = usable
    return err


def _progress(
    profile: Profile,
    mastery: Mapping[str, MasteryState],
    config: BktConfig,
    done: frozenset[str],
) -> tuple[Progress, dict[str, float]]:
    known = set(profile.known)
    known |= {s for s, p in profile.placement.items() if p >= config.mastered_at}
    mastered = {s for s, st in mastery.items() if config.mastered(st)}
    weak = {s: round(p, 3) for s, p in profile.placement.items() if p < config.weak_below}
    weak.update({s: round(st.p_known, 3) for s, st in mastery.items() if config.weak(st)})
    weak = {s: p for s, p in sorted(weak.items()) if s not in mastered and s not in known}
    return Progress(frozenset(known), frozenset(mastered), done), weak


def _check_skills(profile: Profile, cg: CourseGraph) -> None:
    issues = []
    for name in ("known", "targets"):
        for i, skill in enumerate(getattr(profile, name)):
            if skill not in cg.teaches:
                issues.append(unknown_skill_issue(profile, f"{name}[{i}]", skill, cg.skills))
    for skill in profile.placement:
        if skill not in cg.teaches:
            issues.append(unknown_skill_issue(profile, f"placement.{skill}", skill, cg.skills))
    if issues:
        raise ProfileError(issues)


def make_plan(
    catalog: Catalog,
    profile: Profile,
    *,
    mastery: Mapping[str, MasteryState] | None = None,
    tracks: Tracks | None = None,
    first_day: date | None = None,
    done: frozenset[str] = frozenset(),
    replanned: bool = False,
) -> Plan:
    """The plan for ``profile``; :class:`InfeasiblePlan` when the required work cannot fit."""
    return _make_plan(
        catalog,
        profile,
        mastery=mastery or {},
        tracks=tracks or load_tracks(catalog),
        first_day=first_day,
        done=done,
        replanned=replanned,
        offers=True,
    )


def _make_plan(
    catalog: Catalog,
    profile: Profile,
    *,
    mastery: Mapping[str, MasteryState],
    tracks: Tracks,
    first_day: date | None,
    done: frozenset[str],
    replanned: bool,
    offers: bool,
) -> Plan:
    cg = course_graph(catalog)
    _check_skills(profile, cg)
    config = BktConfig.from_section(tracks.bkt)
    progress, weak = _progress(profile, mastery, config, done)
    first_day = max(first_day or profile.start, profile.start)
    sel = select(cg, tracks, profile, progress)
    session_minutes = profile.session_minutes or tracks.session_minutes(profile.mode)
    cal = calendar(
        profile,
        session_minutes=session_minutes,
        min_session_minutes=tracks.planning.min_session_minutes,
        first_day=first_day,
    )
    draft = _draft(cg, tracks, profile, sel, weak, profile.include_optional, done)
    packing = _pack(draft, cal, tracks, first_day)
    if not packing.fits:
        required = _draft(cg, tracks, profile, sel, weak, False, done)
        raise _options(draft, required, profile, tracks, first_day, session_minutes, cal, replanned)
    plan = _assemble(
        catalog, profile, sel, draft, packing, cal, first_day, mastery, done, replanned
    )
    short = _sessions_short(profile, tracks, session_minutes)
    plan.warnings = [short] if short else []
    if offers:
        scope = _stage_scope(plan, catalog, profile, tracks, mastery, first_day, done, replanned)
        plan.warnings += [scope] if scope else []
    return plan


def _sessions_short(profile: Profile, tracks: Tracks, length: int) -> Note | None:
    """A note when the weekdays and sessions cannot hold the hours a week asked."""
    weekly = round(profile.hours_per_week * 60)
    usable = weekly_minutes(
        profile, session_minutes=length, min_session_minutes=tracks.planning.min_session_minutes
    )
    if usable >= weekly:
        return None
    fixes: list[str] = []
    n = math.ceil(weekly / length)
    if n <= 7:
        fixes.append("--weekdays " + ",".join(_more_days(profile.weekdays, n)))
    minutes = math.ceil(weekly / len(profile.weekdays) / 15) * 15
    if minutes <= max(MAX_SESSION_MINUTES, length):
        fixes.append(f"--session-minutes {minutes}")

    def args(lang: Lang) -> dict[str, object]:
        return {
            "usable": f"{usable / 60:g}",
            "hours": f"{profile.hours_per_week:g}",
            "days": len(profile.weekdays),
            "minutes": length,
            "fix": t("plan.note.or", lang).join(fixes) if fixes else t("plan.note.no_fix", lang),
        }

    return _note("sessions-short", "plan.note.sessions_short", args)


def _next_stage(stage: str) -> str | None:
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def _stage_scope(
    plan: Plan,
    catalog: Catalog,
    profile: Profile,
    tracks: Tracks,
    mastery: Mapping[str, MasteryState],
    first_day: date,
    done: frozenset[str],
    replanned: bool,
) -> Note | None:
    """A note when target skills are beyond the stage: the hours used, and what the next
    stage would reach (planned with it, so the offer is real)."""
    beyond = [x.skill for x in plan.targets if x.detail in STAGE_DETAILS]
    if not beyond:
        return None
    nxt = _next_stage(profile.stage)
    reached: list[str] = []
    needed, fits = 0, False
    if nxt is not None:
        bigger = profile.model_copy(update={"stage": nxt})
        progress = _progress(profile, mastery, BktConfig.from_section(tracks.bkt), done)[0]
        status = {
            x.skill: x.status
            for x in select(course_graph(catalog), tracks, bigger, progress).targets
        }
        reached = [s for s in beyond if status.get(s) == "planned"]
    if reached:
        try:
            needed = _make_plan(
                catalog,
                bigger,
                mastery=mastery,
                tracks=tracks,
                first_day=first_day,
                done=done,
                replanned=replanned,
                offers=False,
            ).planned_minutes
            fits = True
        except InfeasiblePlan as err:
            needed = err.needed_minutes
    if not reached:
        offer_key = "plan.note.stage_none"
    else:
        offer_key = "plan.note.stage_offer" if fits else "plan.note.stage_offer_more"

    def args(lang: Lang) -> dict[str, object]:
        offer = t(
            offer_key,
            lang,
            flag=f"--stage {nxt}",
            stage=t(f"plan.v.{nxt}", lang) if nxt else "",
            k=len(reached),
            skills=", ".join(reached),
            hours=f"{round(needed / 60, 1):g}",
            capacity=f"{round(plan.capacity_minutes / 60, 1):g}",
        )
        return {
            "n": len(beyond),
            "m": len(plan.targets),
            "stage": t(f"plan.v.{profile.stage}", lang),
            "skills": ", ".join(beyond),
            "planned": f"{round(plan.planned_minutes / 60, 1):g}",
            "capacity": f"{round(plan.capacity_minutes / 60, 1):g}",
            "offer": offer,
        }

    return _note("stage-scope", "plan.note.stage_scope", args)


def _assemble(
    catalog: Catalog,
    profile: Profile,
    sel: Selection,
    draft: _Draft,
    packing: Packing,
    cal: Calendar,
    first_day: date,
    mastery: Mapping[str, MasteryState],
    done: frozenset[str],
    replanned: bool,
) -> Plan:
    items = dict(draft.items)
    reviews: dict[str, Item] = {}
    for skill, number, due in packing.reviews:
        rid = review_id(skill, number)
        reviews[rid] = Item(
            id=rid,
            kind="spaced-review",
            ref=skill,
            title=msg("plan.review_title", skill=skill, n=number).both(),
            minutes=0,
            skills=[skill],
            optional=True,
            reasons=[Reason(code="weak-skill", skill=skill, p_known=draft.weak.get(skill))],
            due=due,
        )
    items.update(reviews)
    order: list[str] = []
    sessions: list[Session] = []
    slot_of = {s.index: s for s in cal.slots}
    for index in sorted(packing.entries):
        placed = packing.entries[index]
        slot = slot_of[index]
        entries = []
        for p in placed:
            it = items[p.item]
            if p.item not in it.sessions and index not in it.sessions:
                it.sessions.append(index)
            if it.kind == "spaced-review":
                it.minutes += p.minutes
            if p.item not in order:
                order.append(p.item)
            entries.append(Entry(item=p.item, minutes=p.minutes, part=p.part))
        sessions.append(
            Session(
                index=index,
                date=slot.date,
                week=slot.week,
                start=profile.start_time,
                minutes=slot.minutes,
                used=sum(e.minutes for e in entries),
                format=slot.format,  # type: ignore[arg-type]
                entries=entries,
            )
        )
    parts: dict[str, int] = {}
    for s in sessions:
        for e in s.entries:
            parts[e.item] = max(parts.get(e.item, 0), e.part)
    for s in sessions:
        for e in s.entries:
            e.parts = parts[e.item]
    skipped = list(sel.skipped)
    if not profile.include_optional:
        skipped += [
            Skipped(ref=p.lesson, kind="lesson", reason="optional-dropped")
            for p in sel.picks
            if p.optional
        ]
        skipped += [
            Skipped(ref=ex, kind="exercise", reason="optional-dropped")
            for p in sel.picks
            for ex, _ in p.labs
        ]
    skipped += [
        Skipped(ref=review_id(skill, n), kind="review", reason="after-end")
        for skill, n, _ in packing.late_reviews
    ]
    return Plan(
        profile=profile.doc(),
        courses=[CourseRef(id=c.id, version=c.version) for c in catalog.courses],
        start=profile.start,
        end=cal.end,
        first_day=first_day,
        finish=sessions[-1].date if sessions else None,
        replanned=replanned,
        capacity_minutes=cal.capacity,
        planned_minutes=sum(s.used for s in sessions),
        targets=sel.targets,
        items=[items[i] for i in order],
        sessions=sessions,
        skipped=skipped,
        mastery={s: round(st.p_known, 4) for s, st in sorted(mastery.items())},
        done=sorted(done),
    )


def replan(
    catalog: Catalog,
    previous: Plan,
    *,
    today: date,
    mastery: Mapping[str, MasteryState] | None = None,
    tracks: Tracks | None = None,
) -> Plan:
    """The rest of ``previous`` from ``today``: mastered skills skipped, weak ones reviewed.

    Lessons and labs whose sessions all lie before ``today`` count as done. The end date
    is kept; :class:`InfeasiblePlan` (with ``replan=True``) says why it cannot be.
    """
    from lmschool.planning.profile import make_profile

    profile = make_profile(previous.profile)
    if today > previous.end:
        raise ReplanError("plan.ended", {"end": previous.end.isoformat()})
    dates = {s.index: s.date for s in previous.sessions}
    done = set(previous.done)
    for it in previous.items:
        if (
            it.kind in ("lesson", "lab")
            and it.sessions
            and all(dates[i] < today for i in it.sessions)
        ):
            done.add(it.ref)
    return make_plan(
        catalog,
        profile,
        mastery=mastery,
        tracks=tracks,
        first_day=today,
        done=frozenset(done),
        replanned=True,
    )
