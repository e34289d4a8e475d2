"""`lmschool plan`, `lmschool profile new` and mastery in `lmschool progress`, end to end."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from icalendar import Calendar
from typer.testing import CliRunner

from lmschool.cli import app
from lmschool.cli.tools import right_answer, wrong_answer
from lmschool.course import Catalog
from lmschool.grading.grader import seed_for
from lmschool.planning import load_profile
from tests.conftest import ROOT, TESTPACK

runner = CliRunner()
PROFILES = ROOT / "examples" / "profiles"
FLAGS = [
    "--role", "engineer", "--stage", "professional", "--goal", "research",
    "--hours-per-week", "12", "--weeks", "12", "--start", "2025-09-01",
    "--weekdays", "mon,wed,fri", "--session-minutes", "120", "--compute", "gpu",
]  # fmt: skip


def run(*args: str, lang: str | None = "en", input: str | None = None) -> tuple[int, str]:
    extra = ["--lang", lang] if lang else []
    if args[0] != "profile":  # `profile new` reads no course
        extra += ["--course", str(TESTPACK)]
    result = runner.invoke(app, [*args, *extra], input=input, catch_exceptions=False)
    return result.exit_code, result.output


def test_plan_from_flags_in_the_terminal(home: Path) -> None:
    code, out = run("plan", *FLAGS)
    assert code == 0, out
    assert "Training plan" in out and "basics/torch-warmup" in out and "target skill" in out
    code, out = run("plan", *FLAGS, lang="zh")
    assert code == 0 and "培训计划" in out and "目标技能" in out


def test_plan_formats_and_out_paths(home: Path, tmp_path: Path) -> None:
    code, out = run(
        "plan", "--profile", str(PROFILES / "university-ml-course.toml"), "--format", "json"
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["kind"] == "lmschool.plan" and doc["profile"]["cohort"] == "ML 101"
    for suffix in ("md", "html", "ics"):
        path = tmp_path / f"plan.{suffix}"
        code, _ = run("plan", *FLAGS, "--out", str(path))
        assert code == 0 and path.stat().st_size > 0
    assert "<svg" in (tmp_path / "plan.html").read_text(encoding="utf-8")
    events = Calendar.from_ical((tmp_path / "plan.ics").read_bytes()).walk("VEVENT")
    assert events
    code, out = run("plan", *FLAGS, "--out", str(tmp_path / "plan.txt"))
    assert code == 2 and "--format" in out


def test_flags_override_the_profile_file_and_the_profile_language_is_the_default(
    home: Path,
) -> None:
    club = str(PROFILES / "junior-high-ai-club.toml")  # language = "zh"
    code, out = run("plan", "--profile", club, "--format", "md", lang=None)
    assert code == 0 and out.startswith("# 培训计划：Junior-high AI club")
    code, out = run("plan", "--profile", club, "--weeks", "6", "--format", "json")
    assert json.loads(out)["profile"]["weeks"] == 6


def test_an_infeasible_plan_exits_2_with_the_numbers_and_options(home: Path) -> None:
    args = ["plan", *FLAGS[:-6], "--hours-per-week", "0.5", "--weeks", "1", "--start", "2025-09-01"]
    code, out = run(*args)
    assert code == 2
    assert "The plan does not fit: it needs" in out and "Options:" in out
    assert "extend to" in out
    code, out = run(*args, lang="zh")
    assert code == 2 and "计划排不下" in out and "可选方案" in out


def test_profile_errors_exit_2_naming_the_file_field_and_fix(home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('role = "enginer"\n', encoding="utf-8")
    code, out = run("plan", "--profile", str(bad))
    assert code == 2
    assert "bad.toml: role:" in out.replace("\n", "") and "did you mean 'engineer'?" in out
    code, out = run("plan", "--role", "engineer")
    assert code == 2 and "use --stage" in out
    code, out = run("plan", *FLAGS, "--known", "nump.arrays")
    assert code == 2 and "numpy.arrays" in out


def test_profile_new_with_flags_and_yes(home: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "team.toml"
    code, out = run(
        "profile", "new", "--yes", "--out", str(out_file), *FLAGS, "--industry", "finance"
    )
    assert code == 0, out
    profile = load_profile(out_file)
    assert profile.industry == "finance" and profile.weekdays == ["mon", "wed", "fri"]
    assert tomllib.loads(out_file.read_text(encoding="utf-8"))["start"].isoformat() == "2025-09-01"
    code, out = run("profile", "new", "--yes", "--out", str(out_file), *FLAGS)
    assert code == 2 and "--force" in out
    code, out = run(
        "profile", "new", "--yes", "--out", str(tmp_path / "x.toml"), "--role", "student"
    )
    assert code == 2 and "use --stage" in out


def test_profile_new_asks_the_questions(home: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "asked.toml"
    answers = [
        "Evening class",  # name
        "student",  # role
        "senior-high",  # stage
        "skills",  # goal
        "",  # industry: default
        "classroom",  # mode
        "3",  # hours a week
        "10",  # weeks
        "2025-09-01",  # start
        "tue,thu",  # weekdays
        "0",  # session minutes: the mode's default
        "",  # start time: default
        "",  # known skills
        "",  # compute
        "zh",  # language
        "",  # cohort
        "",  # cohort size
    ]
    code, out = run("profile", "new", "--out", str(out_file), input="\n".join(answers) + "\n")
    assert code == 0, out
    profile = load_profile(out_file)
    assert (profile.name, profile.stage, profile.mode, profile.language) == (
        "Evening class",
        "senior-high",
        "classroom",
        "zh",
    )
    assert profile.session_minutes is None and profile.weekdays == ["tue", "thu"]


def test_replan_from_recorded_attempts_end_to_end(home: Path, tmp_path: Path) -> None:
    code, out = run("plan", "--replan", "--today", "2025-09-10")
    assert code == 2 and "no saved plan" in out

    profile = tmp_path / "me.toml"
    code, _ = run("profile", "new", "--yes", "--out", str(profile), *FLAGS)
    assert code == 0
    code, out = run("plan", "--profile", str(profile), "--save", "--format", "json")
    assert code == 0
    first = json.loads(out[out.index("{") :])
    assert {t["skill"]: t["status"] for t in first["targets"]}["torch.tensors"] == "planned"

    catalog = Catalog.load([TESTPACK])
    mean_quiz = catalog.exercise("basics/numpy-warmup/mean-quiz")
    gradient_quiz = catalog.exercise("basics/torch-warmup/gradient-quiz")
    for _ in range(3):  # numpy.arrays: three right answers make it mastered
        answer = right_answer(mean_quiz, seed_for("tester", mean_quiz.id))
        assert run("check", mean_quiz.id, "--answer", answer)[0] == 0
    for _ in range(2):  # torch.tensors and training.gradient-descent: weak
        answer = wrong_answer(gradient_quiz, seed_for("tester", gradient_quiz.id))
        assert run("check", gradient_quiz.id, "--answer", answer)[0] == 1

    code, out = run("progress")
    assert code == 0 and "Mastery per skill" in out and "mastered" in out and "weak" in out
    code, out = run("progress", lang="zh")
    assert "掌握度" in out and "已掌握" in out and "薄弱" in out

    code, out = run("plan", "--replan", "--today", "2025-09-03", "--format", "json")
    assert code == 0, out
    again = json.loads(out[out.index("{") :])
    assert again["replanned"] and again["end"] == first["end"]
    assert again["first_day"] == "2025-09-03"
    statuses = {t["skill"]: t["status"] for t in again["targets"]}
    assert statuses["training.gradient-descent"] in ("planned", "taught")
    assert again["mastery"]["numpy.arrays"] >= 0.95
    reviews = [i for i in again["items"] if i["kind"] == "spaced-review"]
    assert {r["ref"] for r in reviews} >= {"torch.tensors"}
    assert all(r["reasons"][0]["code"] == "weak-skill" for r in reviews)
    assert all(s["date"] >= "2025-09-03" for s in again["sessions"])
    # the re-plan was saved: it is now the current plan
    code, out = run("plan", "--replan", "--today", "2025-09-05", "--format", "json")
    assert code == 0 and json.loads(out[out.index("{") :])["end"] == first["end"]
    code, out = run("plan", "--replan", "--role", "student")
    assert code == 2 and "--replan" in out


def test_end_date_flag_and_flag_errors_name_the_flag(home: Path, tmp_path: Path) -> None:
    club = str(PROFILES / "junior-high-ai-club.toml")  # weeks = 4
    code, out = run("plan", "--profile", club, "--end", "2025-10-15", "--format", "json")
    assert code == 0, out
    doc = json.loads(out)
    assert doc["end"] == "2025-10-15" and doc["profile"]["weeks"] == 7
    code, out = run("plan", "--profile", club, "--weeks", "0")
    flat = out.replace("\n", " ")
    assert code == 2 and "--weeks: 0 is out of range" in flat and "junior-high" not in flat
    code, out = run("plan", "--profile", club, "--weekdays", "mon,funday", lang="zh")
    assert code == 2 and "--weekdays" in out and "Value error" not in out
    both = tmp_path / "both.toml"
    both.write_text(
        (PROFILES / "junior-high-ai-club.toml").read_text(encoding="utf-8") + "end = 2025-12-01\n",
        encoding="utf-8",
    )
    code, out = run("plan", "--profile", str(both))
    assert code == 2 and "both.toml: weeks, end:" in out.replace("\n", "")
