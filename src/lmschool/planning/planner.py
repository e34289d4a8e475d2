"""From a profile (and measured progress) to a scheduled, explained plan.

:func:`make_plan` is the whole algorithm (docs/planning.md explains it):

1. :func:`~lmschool.planning.selection.select` chooses and orders the lessons, labs and
   exercises, each with its reasons;
2. each module gets a review and an assessment after its last planned lesson, and each
   weak skill spaced reviews at expanding intervals after the lesson that teaches it;
3. lesson minutes are scaled for the stage, and :func:`~lmschool.planning.schedule.pack`
   places everything into the sessions the profile allows;
4. if the required work does not fit, :class:`InfeasiblePlan` says the hours needed and
   available, and which options would make it fit: dropping the optional items, a number
   of weeks, or hours a week.

:func:`replan` rebuilds the rest of a stored plan from a given day with the learner's
current mastery, keeping its end date. Nothing here reads the clock: the same profile,
progress and day always give the same plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from lmschool.course import Catalog
from lmschool.i18n import msg
from lmschool.planning.document import (
    CourseRef,
    Entry,
    Item,
    Plan,
    Reason,
    Session,
    Skipped,
)
from lmschool.planning.mastery import BktConfig, MasteryState
from lmschool.planning.profile import Profile, ProfileError, unknown_skill_issue
from lmschool.planning.schedule import Calendar, Packing, Work, calendar, pack, review_id
from lmschool.planning.selection import CourseGraph, Progress, Selection, course_graph, select
from lmschool.planning.tracks import Tracks, load_tracks

MAX_WEEKS = 156


@dataclass
class InfeasiblePlan(Exception):
    """The required work does not fit the time available; the numbers and the options."""

    needed_minutes: int
    available_minutes: int
    end: date
    optional_items: list[str] = field(default_factory=list)
    optional_minutes: int = 0
    weeks: int | None = None  # enough weeks at the same hours a week
    weeks_end: date | None = None
    hours_per_week: float | None = None  # enough hours a week in the same weeks
    session_minutes: int | None = None  # long enough sessions, same hours and weeks
    usable_minutes_per_week: int | None = None  # set when sessions cannot hold the hours
    hours_per_week_asked: float = 0.0
    replan: bool = False

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
            reasons=list(p.reasons),
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

    def fits(draft: _Draft, weeks: int, hours: float, length: int = session_minutes) -> bool:
        c = calendar(
            profile,
            session_minutes=length,
            min_session_minutes=settings.min_session_minutes,
            first_day=first_day,
            weeks=weeks,
            hours_per_week=hours,
        )
        return _pack(draft, c, tracks, first_day).fits

    err = InfeasiblePlan(
        needed, cal.capacity, cal.end, replan=replan, hours_per_week_asked=profile.hours_per_week
    )
    if optional_ids and fits(draft_required, profile.weeks, profile.hours_per_week):
        err.optional_items, err.optional_minutes = optional_ids, optional_minutes
    for weeks in range(profile.weeks + 1, MAX_WEEKS + 1):
        if fits(draft_all, weeks, profile.hours_per_week):
            err.weeks = weeks
            err.weeks_end = profile.start + timedelta(days=weeks * 7 - 1)
            break
    most = min(80.0, len(profile.weekdays) * session_minutes / 60)
    hours = math.floor(profile.hours_per_week * 2) / 2 + 0.5
    while hours <= most:
        if fits(draft_all, profile.weeks, hours):
            err.hours_per_week = hours
            break
        hours += 0.5
    weekly = round(profile.hours_per_week * 60)
    if len(profile.weekdays) * session_minutes < weekly:
        err.usable_minutes_per_week = len(profile.weekdays) * session_minutes
        for length in range(session_minutes + 15, 601, 15):
            if fits(draft_all, profile.weeks, profile.hours_per_week, length):
                err.session_minutes = length
                break
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
    tracks = tracks or load_tracks(catalog)
    cg = course_graph(catalog)
    _check_skills(profile, cg)
    config = BktConfig.from_section(tracks.bkt)
    mastery = mastery or {}
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
    return _assemble(
        catalog, profile, sel, draft, packing, cal, first_day, mastery, done, replanned
    )


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
