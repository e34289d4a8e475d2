"""Property-based tests of the planner over random valid profiles and progress.

For every profile hypothesis draws, over the bundled course and the test pack together:
prerequisites come before what needs them, the time budget is never exceeded, target
skills are covered (or the plan is infeasible, with options that really work), every
item has a reason and is scheduled in full, and the same input gives the same plan.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lmschool.course import Catalog
from lmschool.planning import InfeasiblePlan, make_plan, make_profile, replan
from lmschool.planning.document import Plan
from lmschool.planning.mastery import MasteryState
from lmschool.planning.profile import (
    COMPUTES,
    GOALS,
    INDUSTRIES,
    MODES,
    ROLES,
    STAGES,
    WEEKDAYS,
    Profile,
)
from lmschool.planning.selection import course_graph
from tests.conftest import TESTPACK

CATALOG = Catalog.load([TESTPACK], include_bundled=True)
GRAPH = course_graph(CATALOG)
SKILLS = GRAPH.skills
PROPS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    return make_profile(
        {
            "role": draw(st.sampled_from(ROLES)),
            "stage": draw(st.sampled_from(STAGES)),
            "goal": draw(st.sampled_from(GOALS)),
            "industry": draw(st.sampled_from(INDUSTRIES)),
            "mode": draw(st.sampled_from(MODES)),
            "hours_per_week": draw(st.integers(1, 30)) / 2,
            "weeks": draw(st.integers(1, 16)),
            "start": date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 400))),
            "weekdays": draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7)),
            "session_minutes": draw(st.none() | st.integers(15, 480)),
            "known": draw(st.lists(st.sampled_from(SKILLS), max_size=4)),
            "placement": draw(
                st.dictionaries(st.sampled_from(SKILLS), st.floats(0, 1), max_size=3)
            ),
            "targets": draw(st.lists(st.sampled_from(SKILLS), max_size=3)),
            "include_optional": draw(st.booleans()),
            "compute": draw(st.sampled_from(COMPUTES)),
        }
    )


masteries = st.dictionaries(
    st.sampled_from(SKILLS),
    st.tuples(st.floats(0, 1), st.integers(0, 6)),
    max_size=5,
).map(lambda d: {s: MasteryState(s, p, n, n // 2) for s, (p, n) in d.items()})


def check_plan(plan: Plan, profile: Profile) -> None:
    position: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
    for s in plan.sessions:
        for k, e in enumerate(s.entries):
            first, _ = position.get(e.item, ((s.index, k), (s.index, k)))
            position[e.item] = (first, (s.index, k))
    # prerequisites come before what needs them
    planned = {i.ref for i in plan.items if i.kind == "lesson"}
    for lesson in planned:
        for before in GRAPH.ancestors[lesson] & planned:
            assert position[f"lesson:{before}"][1] < position[f"lesson:{lesson}"][0]
    # every direct prerequisite is planned, or skipped because it is known or done
    skipped = {s.ref: s.reason for s in plan.skipped}
    for lesson in planned:
        for p in GRAPH.lesson[lesson].prerequisites:
            assert p in planned or skipped.get(p) in ("known", "mastered", "taught"), (lesson, p)
    # the time budget is never exceeded
    weekly = round(profile.hours_per_week * 60)
    per_week: dict[int, int] = {}
    for s in plan.sessions:
        assert plan.first_day <= s.date <= plan.end
        assert WEEKDAYS[s.date.weekday()] in profile.weekdays
        assert 0 < s.used <= s.minutes
        assert s.used == sum(e.minutes for e in s.entries)
        per_week[s.week] = per_week.get(s.week, 0) + s.minutes
        assert s.week == (s.date - profile.start).days // 7 + 1
    assert all(total <= weekly for total in per_week.values())
    assert plan.planned_minutes <= plan.capacity_minutes
    # every item has a reason, and its reasons name only what is in the plan
    lessons_in_plan = {i.ref for i in plan.items if i.kind == "lesson"}
    for item in plan.items:
        assert item.reasons
        for reason in item.reasons:
            assert reason.lesson is None or reason.lesson in lessons_in_plan, (item.id, reason)
    # every item is scheduled in full
    for item in plan.items:
        scheduled = sum(e.minutes for s in plan.sessions for e in s.entries if e.item == item.id)
        assert scheduled == item.minutes
    # target skills are covered
    for target in plan.targets:
        if target.status == "planned":
            assert f"lesson:{target.lesson}" in {i.id for i in plan.items}
            assert target.skill in GRAPH.lesson[target.lesson].skills or target.skill in {
                s for ex in GRAPH.lesson[target.lesson].exercises for s in ex.skills
            }
        elif target.status == "out-of-scope":
            assert target.detail is not None
    if not profile.include_optional:
        assert not any(i.optional for i in plan.items)


@PROPS
@given(profiles(), masteries)
def test_plans_keep_order_budget_and_targets(profile: Profile, mastery: dict) -> None:
    try:
        plan = make_plan(CATALOG, profile, mastery=mastery)
    except InfeasiblePlan as err:
        assert err.needed_minutes > 0
        # the options offered really make it fit, smallest change first, no absurd session
        assert [o.change for o in err.options] == sorted(o.change for o in err.options)
        for option in err.options:
            make_plan(CATALOG, profile.model_copy(update=option.changes), mastery=mastery)
            longest = max(240, profile.session_minutes or 0)
            assert option.changes.get("session_minutes", 0) <= longest
        return
    check_plan(plan, profile)
    # determinism: the same profile and progress give the same plan
    assert make_plan(CATALOG, profile, mastery=dict(reversed(mastery.items()))).doc() == plan.doc()


@PROPS
@given(profiles(), masteries, st.integers(0, 120))
def test_replans_keep_the_end_date_and_never_look_back(
    profile: Profile, mastery: dict, offset: int
) -> None:
    try:
        first = make_plan(CATALOG, profile)
    except InfeasiblePlan:
        return
    today = profile.start + timedelta(days=offset)
    if today > first.end:
        return
    try:
        again = replan(CATALOG, first, today=today, mastery=mastery)
    except InfeasiblePlan as err:
        assert err.replan and err.end == first.end
        return
    assert again.end == first.end and again.first_day == today
    assert all(s.date >= today for s in again.sessions)
    check_plan(again, profile)
    done = set(again.done)
    assert not any(i.ref in done for i in again.items if i.kind in ("lesson", "lab"))
