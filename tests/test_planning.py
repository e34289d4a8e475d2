"""Training plans: profiles, tracks, selection, scheduling, infeasibility, re-planning, exports."""

from __future__ import annotations

import html.parser
import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from lmschool.course import Catalog
from lmschool.planning import (
    InfeasiblePlan,
    ProfileError,
    ReplanError,
    TracksError,
    load_profile,
    load_tracks,
    make_plan,
    make_profile,
    replan,
)
from lmschool.planning.document import Plan
from lmschool.planning.export import infeasible_text, to_ics, to_json, to_markdown
from lmschool.planning.html import to_html
from lmschool.planning.mastery import MasteryState
from lmschool.planning.profile import profile_toml
from tests.conftest import ROOT, TESTPACK

PACK = Catalog.load([TESTPACK], include_bundled=False)
NUMPY, TORCH = "basics/numpy-warmup", "basics/torch-warmup"
START = date(2025, 9, 1)  # a Monday


def profile(**fields: object):
    """A test profile: ``fields`` override the defaults (None leaves a field out)."""
    base: dict[str, object] = {
        "role": "student",
        "stage": "undergraduate",
        "goal": "career-change",
        "hours_per_week": 4,
        "weeks": 4,
        "start": START,
        "weekdays": ["mon", "thu"],
        "compute": "gpu",
    }
    return make_profile({k: v for k, v in {**base, **fields}.items() if v is not None})


def lesson_items(plan: Plan) -> list[str]:
    return [i.ref for i in plan.items if i.kind == "lesson"]


# --- profiles ----------------------------------------------------------------------------


def test_profile_from_toml_and_json_files(tmp_path: Path) -> None:
    p = profile(known=["numpy.arrays"], placement={"torch.tensors": 0.3})
    toml_file = tmp_path / "p.toml"
    toml_file.write_text(profile_toml(p), encoding="utf-8")
    assert load_profile(toml_file) == p
    json_file = tmp_path / "p.json"
    json_file.write_text(json.dumps(p.doc()), encoding="utf-8")
    assert load_profile(json_file) == p


def test_profile_errors_name_the_file_the_field_and_the_fix_in_both_languages(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "club.toml"
    bad.write_text(
        'role = "studnet"\nstage = "junior-high"\ngoal = "skills"\nhours_per_week = -2\n'
        'weeks = 4\nstart = "next monday"\nweekdays = ["mon", "funday"]\nminuts = 3\n',
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as info:
        load_profile(bad)
    en, zh = info.value.render("en"), info.value.render("zh")
    assert f"{bad}: role: " in en and "did you mean 'student'?" in en
    assert f"{bad}: hours_per_week: " in en and "hours_per_week = 6" in en
    assert f"{bad}: start: " in en and "start = 2025-09-01" in en
    assert f"{bad}: weekdays[1]: " in en
    assert "unknown field 'minuts'" in en
    assert "修改方法" in zh and "你是不是想写“student”" in zh


def test_profile_flags_errors_say_which_flag_to_use() -> None:
    with pytest.raises(ProfileError) as info:
        make_profile({"role": "engineer"})
    text = info.value.render("en")
    assert "stage: required field is missing: give one of: junior-high," in text
    assert "Fix: use --stage professional" in text
    assert "use --hours-per-week 6" in text


PYDANTIC_WORDING = ("Value error", "Input should", "String should", "type=", "validation error")


@pytest.mark.parametrize(
    "fields",
    [
        {"weekdays": []},
        {"weeks": 2.5},
        {"weeks": "4"},
        {"name": "x" * 300},
        {"known": ["Bad Skill"]},
        {"placement": {"Bad Key": 0.5}},
        {"placement": {"ml.concepts": "high"}},
        {"start": "2025-13-01"},
        {"start_time": "25:00"},
        {"include_optional": "yes"},
        {"targets": "eval.metrics"},
        {"end": "2025-10-01"},
        {"weeks": None},
        {"weeks": None, "end": "2025-08-01"},
    ],
)
def test_profile_errors_never_use_pydantic_wording(fields: dict) -> None:
    data = {
        "role": "student",
        "stage": "undergraduate",
        "goal": "skills",
        "hours_per_week": 4,
        "weeks": 4,
        "start": "2025-09-01",
        **fields,
    }
    with pytest.raises(ProfileError) as info:
        make_profile({k: v for k, v in data.items() if v is not None}, "club.toml")
    for lang in ("en", "zh"):
        text = info.value.render(lang)
        assert not any(w in text for w in PYDANTIC_WORDING), text
        assert text.startswith("club.toml: ") and ("Fix:" in text or "修改方法" in text)
    en = info.value.render("en")
    assert any(f"{name}" in en for name in fields)  # the field is named


def test_an_end_date_is_the_alternative_to_weeks() -> None:
    p = profile(weeks=None, end="2025-10-01")  # a Wednesday: 5 weeks, the last one short
    assert p.weeks == 5 and p.last_day == date(2025, 10, 1)
    plan = make_plan(PACK, p)
    assert plan.end == date(2025, 10, 1)
    assert all(s.date <= date(2025, 10, 1) for s in plan.sessions)
    assert make_profile(p.doc()) == p  # a saved profile has both, and they agree
    with pytest.raises(ProfileError) as info:
        profile(weeks=4, end="2025-10-01")
    en, zh = info.value.render("en"), info.value.render("zh")
    assert "weeks, end: weeks = 4 and end" in en and "5 weeks" in en and "keep only one" in en
    assert "weeks 和 end 只保留一个" in zh
    with pytest.raises(ProfileError, match="the plan has no length: give weeks"):
        profile(weeks=None)
    with pytest.raises(ProfileError, match="is before the start"):
        profile(weeks=None, end="2025-08-31")


def test_flag_errors_name_the_flag_not_the_file() -> None:
    data = {"role": "student", "stage": "undergraduate", "goal": "skills", "hours_per_week": 4}
    data |= {"start": "2025-09-01", "weeks": 0, "weekdays": ["mon", "funday"]}
    with pytest.raises(ProfileError) as info:
        make_profile(data, "club.toml", flags=frozenset({"weeks"}))
    lines = info.value.render("en").splitlines()
    assert any(line.startswith("--weeks: 0 is out of range") for line in lines)
    assert any("use --weeks 8" in line for line in lines)
    # the file's own error still names the file
    assert any(line.startswith("club.toml: weekdays[1]: ") for line in lines)
    assert not any(line.startswith("club.toml: weeks") for line in lines)


def test_unreadable_and_malformed_profile_files(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="cannot read the file"):
        load_profile(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("role = \n", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML or JSON"):
        load_profile(broken)


def test_unknown_skills_in_a_profile_are_reported_with_a_suggestion() -> None:
    with pytest.raises(ProfileError) as info:
        make_plan(PACK, profile(known=["numpy.array"]))
    assert "known[0]" in str(info.value) and "did you mean 'numpy.arrays'?" in str(info.value)


# --- tracks ------------------------------------------------------------------------------


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "pack"
    shutil.copytree(TESTPACK, copy)
    return copy


def test_tracks_naming_an_absent_exercise_are_an_error_with_the_fix(pack_copy: Path) -> None:
    tracks = pack_copy / "tracks.toml"
    text = tracks.read_text(encoding="utf-8").replace(
        'labs = ["basics/numpy-warmup/running-mean"]',
        'labs = ["basics/numpy-warmup/running-man", "pipeline/capstone/lab-finance"]',
    )
    tracks.write_text(text, encoding="utf-8")
    with pytest.raises(TracksError) as info:
        load_tracks(Catalog.load([pack_copy], include_bundled=False))
    text = str(info.value)
    assert "tracks.toml: industries.finance.labs[0]: no exercise" in text
    assert "did you mean 'basics/numpy-warmup/running-mean'?" in text
    assert "industries.finance.labs[1]: no exercise 'pipeline/capstone/lab-finance'" in text


def test_tracks_typos_are_reported_like_content_errors(pack_copy: Path) -> None:
    tracks = pack_copy / "tracks.toml"
    tracks.write_text(
        tracks.read_text(encoding="utf-8").replace('max_level = "core"', 'max_levle = "core"'),
        encoding="utf-8",
    )
    with pytest.raises(TracksError, match="unknown field 'max_levle'.*rename it to 'max_level'"):
        load_tracks(Catalog.load([pack_copy], include_bundled=False))


def test_the_bundled_tracks_are_valid_and_name_only_lessons_and_skills() -> None:
    tracks = load_tracks(Catalog.load([], include_bundled=True))
    assert set(tracks.goals) == {"skills", "vocational", "career-change", "research", "teaching"}
    assert tracks.stage("junior-high").max_level == "intro"
    assert tracks.stage("junior-high").exercise_kinds == ["quiz"]
    assert all(not t.labs for t in tracks.industries.values())


def test_tracks_of_several_packs_are_joined_first_setting_wins() -> None:
    both = load_tracks(Catalog.load([TESTPACK], include_bundled=True))
    assert (
        "numpy.arrays" in both.goals["skills"].skills
        and "ml.concepts" in both.goals["skills"].skills
    )
    assert both.session_minutes("classroom") == 45  # the bundled pack's, not the test pack's 40
    assert both.bkt.skills["numpy.arrays"].p_learn == 0.3


# --- selection and ordering ---------------------------------------------------------------


def test_targets_pull_in_their_prerequisites_in_order_with_reasons() -> None:
    plan = make_plan(PACK, profile(goal="research"))  # torch.tensors, training.gradient-descent
    assert lesson_items(plan) == [NUMPY, TORCH]
    numpy_item = plan.item(f"lesson:{NUMPY}")
    assert [r.code for r in numpy_item.reasons] == ["prerequisite"]
    assert numpy_item.reasons[0].lesson == TORCH
    torch_item = plan.item(f"lesson:{TORCH}")
    assert {(r.code, r.skill) for r in torch_item.reasons} >= {("target", "torch.tensors")}
    assert all(item.reasons for item in plan.items)


def test_known_and_mastered_skills_are_skipped() -> None:
    known = make_plan(PACK, profile(goal="skills", known=["numpy.arrays"]))
    assert [t.status for t in known.targets] == ["known", "planned"]
    mastered = make_plan(
        PACK,
        profile(goal="skills"),
        mastery={
            "numpy.arrays": MasteryState("numpy.arrays", 0.99, 5, 5),
            "preprocessing.scaling": MasteryState("preprocessing.scaling", 0.97, 3, 3),
        },
    )
    assert lesson_items(mastered) == []
    assert {s.ref: s.reason for s in mastered.skipped}[NUMPY] == "mastered"
    # Two attempts are not enough evidence, however high p_known is.
    few = make_plan(
        PACK,
        profile(goal="skills"),
        mastery={"numpy.arrays": MasteryState("numpy.arrays", 0.99, 2, 2)},
    )
    assert NUMPY in lesson_items(few)


def test_a_known_prerequisite_is_not_pulled_in() -> None:
    plan = make_plan(
        PACK, profile(goal="research", known=["numpy.arrays", "preprocessing.scaling"])
    )
    assert lesson_items(plan) == [TORCH]
    assert {s.ref: s.reason for s in plan.skipped}[NUMPY] == "known"


def test_stage_limits_levels_audience_and_exercise_kinds() -> None:
    plan = make_plan(PACK, profile(stage="junior-high", goal="career-change"))
    assert lesson_items(plan) == []  # numpy-warmup's audience starts at senior high
    assert {t.status for t in plan.targets} == {"out-of-scope"}
    senior = make_plan(PACK, profile(stage="senior-high", goal="career-change"))
    assert lesson_items(senior) == [NUMPY]
    torch_target = next(t for t in senior.targets if t.skill == "torch.tensors")
    assert torch_target.status == "out-of-scope" and torch_target.detail == "stage-audience"


def test_junior_high_gets_quizzes_only(pack_copy: Path) -> None:
    lesson = pack_copy / "basics/numpy-warmup/lesson.toml"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace(
            'audience = ["senior-high"', 'audience = ["junior-high", "senior-high"'
        ),
        encoding="utf-8",
    )
    plan = make_plan(Catalog.load([pack_copy], include_bundled=False), profile(stage="junior-high"))
    item = next(i for i in plan.items if i.ref == NUMPY)
    assert item.exercises == [f"{NUMPY}/mean-quiz"]
    skipped = {s.ref: s.reason for s in plan.skipped}
    assert skipped[f"{NUMPY}/standardize"] == "exercise-kind"
    assert item.minutes == 45  # 30 minutes scaled by 1.5 for junior high


def test_compute_limits_lessons() -> None:
    plan = make_plan(PACK, profile(goal="research", compute="laptop-cpu"))
    assert TORCH not in lesson_items(plan)
    assert {t.skill: t.detail for t in plan.targets}["torch.tensors"] == "compute"


def test_industry_labs_are_optional_items_right_after_their_lesson() -> None:
    plan = make_plan(PACK, profile(goal="skills", industry="finance"))
    ids = [i.id for i in plan.items]
    lab = f"lab:{NUMPY}/running-mean"
    assert ids.index(lab) == ids.index(f"lesson:{NUMPY}") + 1
    assert plan.item(lab).optional and plan.item(lab).reasons[0].code == "industry-lab"
    assert f"{NUMPY}/running-mean" not in plan.item(f"lesson:{NUMPY}").exercises
    # numpy-warmup's 30 minutes include one lab: lab_minutes (30) move to the lab item,
    # leaving the lesson its minimum of 15; a GPU's lab_scale is 1.0
    assert (plan.item(f"lesson:{NUMPY}").minutes, plan.item(lab).minutes) == (15, 30)
    slow = make_plan(PACK, profile(goal="skills", industry="finance", compute="laptop-cpu"))
    assert slow.item(lab).minutes == 45  # laptop-cpu: lab_scale 1.5
    general = make_plan(PACK, profile(goal="skills"))
    assert f"{NUMPY}/running-mean" in general.item(f"lesson:{NUMPY}").exercises


def test_labs_are_picked_by_the_exercises_industries_field(pack_copy: Path) -> None:
    for name, industry in (("standardize", "medicine"), ("running-mean", "logistics")):
        path = pack_copy / f"basics/numpy-warmup/exercises/{name}/exercise.toml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace('kind = "code"', f'kind = "code"\nindustries = ["{industry}"]')
        )
    catalog = Catalog.load([pack_copy], include_bundled=False)
    medicine = make_plan(catalog, profile(goal="skills", industry="medicine"))
    assert [i.ref for i in medicine.items if i.kind == "lab"] == [f"{NUMPY}/standardize"]
    skipped = {s.ref: s.reason for s in medicine.skipped}
    assert skipped[f"{NUMPY}/running-mean"] == "other-industry"
    general = make_plan(catalog, profile(goal="skills"))  # no variant: the first stands in
    labs = [i for i in general.items if i.kind == "lab"]
    assert [i.ref for i in labs] == [f"{NUMPY}/standardize"] and labs[0].reasons[0].code == "lab"


def test_module_review_and_assessment_follow_the_modules_last_lesson() -> None:
    plan = make_plan(PACK, profile(goal="career-change"))
    ids = [i.id for i in plan.items if i.kind != "spaced-review"]
    assert ids[-2:] == ["review:basics", "assessment:basics"]
    assessment = plan.item("assessment:basics")
    assert assessment.exercises == [f"{NUMPY}/mean-quiz", f"{TORCH}/gradient-quiz"]


# --- scheduling ------------------------------------------------------------------------------


def test_sessions_respect_weekdays_session_length_and_weekly_hours() -> None:
    p = profile(hours_per_week=1.5, weeks=6, weekdays=["tue", "wed", "fri"], session_minutes=40)
    plan = make_plan(PACK, p)
    for s in plan.sessions:
        assert s.date.strftime("%a").lower()[:3] in p.weekdays
        assert s.used <= s.minutes <= 40
    by_week: dict[int, int] = {}
    for s in plan.sessions:
        by_week[s.week] = by_week.get(s.week, 0) + s.minutes
    assert max(by_week.values()) <= 90
    assert {s.minutes for s in plan.sessions} <= {40, 10}  # 40 + 40 + the 10 left of 90
    # nothing that fits a 40-minute session is split into a 10-minute one: it waits
    assert all(e.parts == 1 for s in plan.sessions for e in s.entries)


def test_items_longer_than_a_session_are_split_into_parts() -> None:
    plan = make_plan(PACK, profile(goal="skills", session_minutes=15, hours_per_week=2))
    parts = [e for s in plan.sessions for e in s.entries if e.item == f"lesson:{NUMPY}"]
    assert [(e.part, e.parts) for e in parts] == [(1, 2), (2, 2)]
    assert sum(e.minutes for e in parts) == plan.item(f"lesson:{NUMPY}").minutes


def test_workshop_days_and_blended_formats() -> None:
    workshop = make_plan(PACK, profile(mode="workshop", hours_per_week=6, weekdays=["sat"]))
    assert {s.format for s in workshop.sessions} == {"workshop"}
    assert len(workshop.sessions) == 1  # everything fits in one day
    blended = make_plan(PACK, profile(mode="blended", hours_per_week=1, session_minutes=30))
    formats = [(s.date.weekday(), s.format) for s in blended.sessions]
    assert (0, "classroom") in formats and (3, "online") in formats


def test_weak_skills_get_spaced_reviews_at_expanding_intervals() -> None:
    plan = make_plan(PACK, profile(goal="research", placement={"torch.tensors": 0.3}, weeks=6))
    reviews = [i for i in plan.items if i.kind == "spaced-review"]
    assert [r.id for r in reviews] == [f"spaced-review:torch.tensors:{n}" for n in (1, 2, 3)]
    taught = plan.item(f"lesson:{TORCH}")
    taught_on = next(s.date for s in plan.sessions if s.index == taught.sessions[-1])
    assert [r.due for r in reviews] == [taught_on + timedelta(days=d) for d in (1, 3, 7)]
    dates = {s.index: s.date for s in plan.sessions}
    assert all(dates[r.sessions[0]] >= r.due for r in reviews)
    assert reviews[0].reasons[0].code == "weak-skill" and reviews[0].reasons[0].p_known == 0.3


# --- infeasible plans ------------------------------------------------------------------------


def test_an_infeasible_plan_says_the_hours_and_the_options() -> None:
    p = profile(goal="career-change", industry="finance", hours_per_week=0.5, weeks=2)
    with pytest.raises(InfeasiblePlan) as info:
        make_plan(PACK, p)
    err = info.value
    assert err.needed_minutes > err.available_minutes == 60
    weeks, hours = err.option("weeks"), err.option("hours")
    assert weeks is not None and hours is not None
    # the options are real: each one makes the plan fit
    for option in err.options:
        make_plan(PACK, p.model_copy(update=option.changes))
    en = infeasible_text(err, "en")
    assert f"extend to {weeks.changes['weeks']} weeks" in en and "raise to" in en
    assert "Options:" in en and "可选方案" in infeasible_text(err, "zh")


def test_every_lever_is_offered_checked_and_ranked_by_how_little_it_changes() -> None:
    # Sessions of one Monday hour cannot hold the 4 hours asked, and one week is short.
    p = profile(goal="career-change", industry="finance", weeks=1, weekdays=["mon"])
    p = p.model_copy(update={"session_minutes": 60})
    with pytest.raises(InfeasiblePlan) as info:
        make_plan(PACK, p)
    err = info.value
    levers = {o.lever for o in err.options}
    assert {"weeks", "days", "session"} <= levers
    assert [o.change for o in err.options] == sorted(o.change for o in err.options)
    for option in err.options:
        make_plan(PACK, p.model_copy(update=option.changes))  # each one fits on its own
        assert option.changes.get("session_minutes", 0) <= 240  # never an absurd session
    # and each is the least of its kind: one week fewer, or one day fewer, does not fit
    weeks = err.option("weeks")
    assert weeks is not None and weeks.changes == {"weeks": weeks.changes["weeks"]}
    with pytest.raises(InfeasiblePlan):
        make_plan(PACK, p.model_copy(update={"weeks": weeks.changes["weeks"] - 1}))
    en, zh = infeasible_text(err, "en"), infeasible_text(err, "zh")
    lines = [line for line in en.splitlines() if line.startswith("- ")]
    assert len(lines) == len(err.options) and "hold sessions on Mon" in en
    assert "lengthen sessions to" in en and "a change of" in en
    assert "上课（每周" in zh and "改动" in zh


def test_a_profile_with_an_end_date_is_offered_a_later_end_date() -> None:
    p = profile(goal="career-change", industry="finance", hours_per_week=0.5)
    p = make_profile({**p.doc(), "weeks": 2, "end": "2025-09-10"})
    with pytest.raises(InfeasiblePlan) as info:
        make_plan(PACK, p)
    later = info.value.option("weeks")
    assert later is not None and later.changes["end"] > date(2025, 9, 10)
    make_plan(PACK, p.model_copy(update=later.changes))
    assert f"move the end date to {later.changes['end']}" in infeasible_text(info.value, "en")
    assert f"--end {later.changes['end']}" in infeasible_text(info.value, "en")


def test_dropping_optional_items_is_offered_when_it_is_enough() -> None:
    p = profile(goal="skills", industry="finance", hours_per_week=0.5, weeks=2)
    with pytest.raises(InfeasiblePlan) as info:
        make_plan(PACK, p)
    assert info.value.optional_items == [f"lab:{NUMPY}/running-mean"]
    plan = make_plan(PACK, p.model_copy(update={"include_optional": False}))
    assert {s.ref: s.reason for s in plan.skipped}[f"{NUMPY}/running-mean"] == "optional-dropped"


def test_too_few_weekdays_for_the_hours_is_explained() -> None:
    p = profile(hours_per_week=5, weeks=1, weekdays=["mon"], session_minutes=30)
    with pytest.raises(InfeasiblePlan) as info:
        make_plan(PACK, p)
    err = info.value
    assert err.usable_minutes_per_week == 30
    assert "hold only 0.5 h of the 5 h a week" in infeasible_text(err, "en")
    days, session = err.option("days"), err.option("session")
    assert days is not None and session is not None
    make_plan(PACK, p.model_copy(update=days.changes))
    make_plan(PACK, p.model_copy(update=session.changes))


# --- re-planning ---------------------------------------------------------------------------


def test_replan_skips_done_and_mastered_reviews_weak_skills_and_keeps_the_end() -> None:
    first = make_plan(PACK, profile(goal="career-change", weeks=6, session_minutes=30))
    dates = {s.index: s.date for s in first.sessions}
    today = dates[first.item(f"lesson:{NUMPY}").sessions[-1]] + timedelta(days=1)
    mastery = {
        "torch.tensors": MasteryState("torch.tensors", 0.3, 3, 1),
        "python.classes": MasteryState("python.classes", 0.98, 4, 4),
    }
    again = replan(PACK, first, today=today, mastery=mastery)
    assert again.replanned and again.end == first.end and again.first_day == today
    assert NUMPY in again.done and NUMPY not in lesson_items(again)
    assert all(s.date >= today for s in again.sessions)
    assert {t.skill: t.status for t in again.targets}["numpy.arrays"] == "taught"
    assert any(i.kind == "spaced-review" and i.ref == "torch.tensors" for i in again.items)
    # the same stored plan, mastery and day give the same plan
    assert replan(PACK, first, today=today, mastery=mastery).doc() == again.doc()


def test_replan_that_cannot_keep_the_end_date_says_why() -> None:
    # Mondays and Thursdays, 30 minutes: numpy-warmup (30), torch-warmup (25), then the
    # module's review and assessment (15 + 15) in week 2.
    first = make_plan(PACK, profile(goal="research", hours_per_week=1, weeks=2, session_minutes=30))
    assert [e.item for e in first.sessions[0].entries] == [f"lesson:{NUMPY}"]
    # From Tuesday, numpy-warmup is done, but three reviews of a weak skill leave no
    # session with room for torch-warmup before the end.
    weak = {"numpy.arrays": MasteryState("numpy.arrays", 0.1, 3, 0)}
    with pytest.raises(InfeasiblePlan) as info:
        replan(PACK, first, today=START + timedelta(days=1), mastery=weak)
    err = info.value
    assert err.replan and err.end == first.end
    assert err.optional_items == ["spaced-review:*"]
    weeks = err.option("weeks")
    assert weeks is not None and weeks.changes == {"weeks": 3}
    text = infeasible_text(err, "en")
    assert f"Cannot keep the end date {first.end}" in text and "extend to 3 weeks" in text
    assert "无法保持结束日期" in infeasible_text(err, "zh")
    # Without the weak skill the rest still fits, and the module's review is kept.
    rest = replan(PACK, first, today=START + timedelta(days=1))
    assert [i.id for i in rest.items] == [f"lesson:{TORCH}", "review:basics", "assessment:basics"]
    with pytest.raises(ReplanError, match="ended on"):
        replan(PACK, first, today=first.end + timedelta(days=1))


# --- outputs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rich_plan() -> Plan:
    return make_plan(
        PACK,
        profile(
            name='Quotes "and" <tags> & more',
            goal="career-change",
            industry="finance",
            placement={"torch.tensors": 0.3},
            weeks=6,
            cohort="Class 3A",
            cohort_size=30,
        ),
    )


def test_json_round_trips(rich_plan: Plan) -> None:
    doc = json.loads(to_json(rich_plan))
    assert doc["kind"] == "lmschool.plan" and doc["version"] == 1
    assert Plan.model_validate(doc) == rich_plan


def test_ics_parses_back_one_event_per_session(rich_plan: Plan) -> None:
    cal = Calendar.from_ical(to_ics(rich_plan, "en"))
    events = cal.walk("VEVENT")
    assert len(events) == len(rich_plan.sessions)
    for ev, s in zip(events, rich_plan.sessions, strict=True):
        assert ev.decoded("dtstart").date() == s.date
        assert (ev.decoded("dtend") - ev.decoded("dtstart")).total_seconds() == s.used * 60
        for e in s.entries:
            assert rich_plan.item(e.item).ref in str(ev.get("description"))
    assert len({str(ev.get("uid")) for ev in events}) == len(events)
    assert "间隔复习" in to_ics(rich_plan, "zh").decode()


class _Strict(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_html_is_self_contained_escaped_and_has_a_gantt_chart(rich_plan: Plan) -> None:
    page = to_html(rich_plan, "en")
    parser = _Strict()
    parser.feed(page)
    assert "svg" in parser.tags and "rect" in parser.tags and "script" not in parser.tags
    assert "<tags>" not in page and "&lt;tags&gt;" in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert page.count("<rect") == len([i for i in rich_plan.items if i.sessions])
    assert '<html lang="zh-CN">' in to_html(rich_plan, "zh")


def test_markdown_in_both_languages_lists_every_item_with_its_reasons(rich_plan: Plan) -> None:
    en, zh = to_markdown(rich_plan, "en"), to_markdown(rich_plan, "zh")
    assert "industry lab for finance" in en and "金融行业的实验" in zh
    assert "Spaced review 1: torch.tensors" in en and "间隔复习 1：torch.tensors" in zh
    for item in rich_plan.items:
        assert item.ref in en or item.kind in ("review", "assessment", "spaced-review")


def test_same_profile_same_plan() -> None:
    p = profile(goal="career-change", industry="finance", placement={"numpy.arrays": 0.2})
    assert make_plan(PACK, p).doc() == make_plan(PACK, p).doc()


def test_example_profiles_are_valid() -> None:
    names = sorted(p.stem for p in (ROOT / "examples" / "profiles").glob("*.toml"))
    assert names == [
        "finance-engineer-llm",
        "hospital-data-team",
        "junior-high-ai-club",
        "logistics-analysts",
        "teachers-in-class",
        "university-ml-course",
    ]


# --- what a plan tells its reader ------------------------------------------------------------

BUNDLED = Catalog.load([], include_bundled=True)


def test_reasons_name_only_items_in_the_plan() -> None:
    # pipeline/deployment is a prerequisite of the optional capstone, which is dropped.
    p = profile(goal="skills", industry="finance", stage="professional", weeks=12)
    for include in (True, False):
        plan = make_plan(BUNDLED, p.model_copy(update={"include_optional": include}))
        lessons = {i.ref for i in plan.items if i.kind == "lesson"}
        named = {r.lesson for i in plan.items for r in i.reasons if r.lesson}
        assert named <= lessons
        assert ("pipeline/capstone" in lessons) is include


def test_sessions_that_cannot_hold_the_hours_asked_are_a_warning_in_every_format() -> None:
    p = profile(goal="skills", hours_per_week=3, weeks=8, weekdays=["sat"], session_minutes=60)
    plan = make_plan(PACK, p)
    [warning] = [w for w in plan.warnings if w.code == "sessions-short"]
    assert "only 1 h of the 3 h a week asked" in warning.text["en"]
    assert (
        "--weekdays mon,wed,sat" in warning.text["en"]
        and "--session-minutes 180" in warning.text["en"]
    )
    assert "3 小时中的 1 小时" in warning.text["zh"]
    assert json.loads(to_json(plan))["warnings"][0]["code"] == "sessions-short"
    assert "## Warnings" in to_markdown(plan, "en") and "## 注意事项" in to_markdown(plan, "zh")
    assert warning.text["en"] in to_html(plan, "en").replace("&#x27;", "'")
    fine = make_plan(PACK, p.model_copy(update={"weekdays": ["mon", "wed", "sat"]}))
    assert not fine.warnings and "## Warnings" not in to_markdown(fine, "en")


def test_a_lab_standing_in_for_another_industry_says_so() -> None:
    plan = make_plan(BUNDLED, profile(goal="vocational", stage="professional", weeks=20))
    lab = plan.item("lab:pipeline/capstone/lab-medicine")  # no general version: medicine's
    [note] = lab.notes
    assert note.code == "stand-in-lab" and "no version for general" in note.text["en"]
    assert "medicine" in note.text["en"] and "医疗" in note.text["zh"]
    assert note.text["en"] in to_markdown(plan, "en")
    finance = make_plan(
        BUNDLED, profile(goal="vocational", stage="professional", weeks=20, industry="finance")
    )
    assert not finance.item("lab:pipeline/capstone/lab-finance").notes


def test_targets_beyond_the_stage_are_a_warning_with_what_the_next_stage_reaches() -> None:
    club = load_profile(ROOT / "examples" / "profiles" / "junior-high-ai-club.toml")
    plan = make_plan(BUNDLED, club)
    [scope] = [w for w in plan.warnings if w.code == "stage-scope"]
    en, zh = scope.text["en"], scope.text["zh"]
    assert "7 of the 9 target skills are beyond junior high learners" in en
    assert f"uses {round(plan.planned_minutes / 60, 1):g} of the 6 h" in en
    assert "--stage senior-high" in en and "data.cleaning" in en
    assert "超出初中学员的范围" in zh and "--stage senior-high" in zh
    # the offer is real: the next stage plans the skills it names
    older = make_plan(BUNDLED, club.model_copy(update={"stage": "senior-high", "weeks": 12}))
    planned = {x.skill for x in older.targets if x.status == "planned"}
    assert {"data.cleaning", "regression.linear"} <= planned
    grown = profile(goal="skills", stage="professional", weeks=30)
    assert "stage-scope" not in {w.code for w in make_plan(BUNDLED, grown).warnings}
