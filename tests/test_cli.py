"""The command line, end to end through Typer's runner (real grader, real database)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lmschool.cli import app
from lmschool.course import Catalog
from tests.conftest import TESTPACK

runner = CliRunner()
CATALOG = Catalog.load([TESTPACK], include_bundled=True)
STANDARDIZE = "basics/numpy-warmup/standardize"
RUNNING_MEAN = "basics/numpy-warmup/running-mean"
MEAN_QUIZ = "basics/numpy-warmup/mean-quiz"
SOLUTION = TESTPACK / "basics/numpy-warmup/exercises/standardize/solution.py"


def run(*args: str, lang: str = "en") -> tuple[int, str]:
    result = runner.invoke(
        app, [*args, "--lang", lang, "--course", str(TESTPACK)], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_list_json_gives_ids_kinds_titles_skills_names(home: Path) -> None:
    code, out = run("list", "--json")
    assert code == 0
    items = {item["id"]: item for item in json.loads(out)}
    assert items[STANDARDIZE]["kind"] == "code"
    assert items[STANDARDIZE]["names"] == ["standardize"]
    assert set(items[STANDARDIZE]["title"]) == {"en", "zh"}
    assert "preprocessing.scaling" in items[STANDARDIZE]["skills"]
    assert items[MEAN_QUIZ]["kind"] == "quiz" and items[MEAN_QUIZ]["names"] == []


def test_list_tree_in_both_languages(home: Path) -> None:
    code_en, out_en = run("list")
    code_zh, out_zh = run("list", lang="zh")
    assert code_en == code_zh == 0
    assert STANDARDIZE in out_en and "code" in out_en
    assert "编程" in out_zh and "测验" in out_zh


def test_show_renders_the_lesson_in_each_language(home: Path) -> None:
    lesson = TESTPACK / "basics/numpy-warmup"
    code, out = run("show", "basics/numpy-warmup")
    assert code == 0 and "Exercises" in out
    code, out_zh = run("show", "basics/numpy-warmup", lang="zh")
    assert code == 0 and "练习" in out_zh
    first_heading_zh = next(
        line for line in (lesson / "lesson.zh.md").read_text().splitlines() if line.startswith("#")
    )
    assert first_heading_zh.lstrip("# ").strip() in out_zh


def test_unknown_ids_exit_2_with_a_suggestion(home: Path) -> None:
    code, out = run("start", "basics/numpy-warmup/standardise")
    assert code == 2
    assert "basics/numpy-warmup/standardize" in out


def test_start_check_hint_solution_progress_loop(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LMSCHOOL_SOLUTION_AFTER", "2")
    code, out = run("start", STANDARDIZE)
    assert code == 0
    path = home / "workspace" / "tester" / "basics" / "numpy-warmup" / "standardize.py"
    assert (
        path.read_text()
        == (TESTPACK / "basics/numpy-warmup/exercises/standardize/starter.py").read_text()
    )
    assert str(path) in out.replace("\n", "")

    # The starter fails (exit 1), and the current exercise is checked without naming it.
    code, out = run("check")
    assert code == 1 and "NOT YET" in out

    # The solution is locked until 2 failed attempts.
    code, out = run("solution")
    assert code == 1 and "2 failed attempts" in out

    # Hints come in order, then the last one repeats.
    outs = [run("hint")[1] for _ in range(4)]
    assert "Hint 1 of 3" in outs[0] and "Hint 2 of 3" in outs[1] and "Hint 3 of 3" in outs[2]
    assert "seen every hint" in outs[3]

    # A syntax error is an error (exit 2) and counts as a failed attempt.
    path.write_text("def standardize(X:\n")
    code, out = run("check")
    assert code == 2 and "Syntax error" in out
    code, out = run("solution")
    assert code == 0 and "def standardize" in out

    # Pass with the reference; --json gives the result document.
    path.write_text(SOLUTION.read_text())
    code, out = run("check", "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["passed"] is True and doc["score"] == 1.0 and doc["exercise"] == STANDARDIZE
    assert doc["sandbox"]["backend"] in ("bwrap", "none")

    code, out = run("progress")
    total = len(CATALOG.exercises())
    assert code == 0 and "passed" in out and f"1 of {total} exercises passed" in out
    code, out = run("progress", lang="zh")
    assert "已通过" in out


def test_start_keeps_the_learners_file_unless_forced(home: Path) -> None:
    run("start", STANDARDIZE)
    path = home / "workspace" / "tester" / "basics" / "numpy-warmup" / "standardize.py"
    path.write_text("# my work\n")
    code, out = run("start", STANDARDIZE)
    assert code == 0 and path.read_text() == "# my work\n" and "kept" in out
    code, _ = run("start", STANDARDIZE, "--force")
    assert code == 0 and "NotImplementedError" in path.read_text()
    assert path.with_suffix(".py.bak").read_text() == "# my work\n"


def test_check_without_a_current_exercise_says_what_to_do(home: Path) -> None:
    code, out = run("check")
    assert code == 1 and "lmschool start" in out
    code, out = run("check", lang="zh")
    assert "没有当前练习" in out


def test_quiz_answers_through_check(home: Path) -> None:
    code, out = run("start", MEAN_QUIZ)
    assert code == 0 and "--answer" in out
    code, out = run("check", MEAN_QUIZ)
    assert code == 2 and "--answer" in out
    code, out = run("check", MEAN_QUIZ, "--answer", "not a number")
    assert code == 2
    code, out = run("check", MEAN_QUIZ, "--answer", "-12345")
    assert code == 1
    code, out = run("solution", MEAN_QUIZ)  # still locked: 1 failed attempt of 3
    assert code == 1


def test_check_file_option_and_missing_file(home: Path, tmp_path: Path) -> None:
    code, out = run("check", STANDARDIZE)
    assert code == 2 and "lmschool start" in out
    code, out = run("check", STANDARDIZE, "--file", str(SOLUTION))
    assert code == 0


def test_grade_is_stateless_with_exit_codes(home: Path, tmp_path: Path) -> None:
    code, out = run("grade", "--exercise", STANDARDIZE, "--file", str(SOLUTION), "--json")
    assert code == 0 and json.loads(out)["passed"] is True
    wrong = tmp_path / "wrong.py"
    wrong.write_text("import numpy as np\ndef standardize(X):\n    return X - X.mean(axis=0)\n")
    code, out = run("grade", "--exercise", STANDARDIZE, "--file", str(wrong), "--json")
    doc = json.loads(out)
    assert code == 1 and doc["passed"] is False and doc["error"] is None
    broken = tmp_path / "broken.py"
    broken.write_text("x = (\n")
    code, out = run("grade", "--exercise", STANDARDIZE, "--file", str(broken), "--json")
    assert code == 2 and json.loads(out)["error"]["kind"] == "syntax"
    assert not (home / "lmschool.db").exists(), "grade must not touch the database"
    # Seeds: the same learner gets the same variant, another learner another one.
    a = json.loads(
        run(
            "grade", "--exercise", STANDARDIZE, "--file", str(SOLUTION), "--json", "--learner", "a"
        )[1]
    )
    b = json.loads(
        run("grade", "--exercise", STANDARDIZE, "--file", str(SOLUTION), "--json", "--seed", "7")[1]
    )
    assert a["seed"] != b["seed"] and b["seed"] == 7


def test_author_validate_passes_on_the_test_pack(home: Path) -> None:
    result = runner.invoke(
        app, ["author", "validate", str(TESTPACK), "--lang", "en"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "10 of 10 runs as expected" in result.output


def test_author_validate_fails_when_a_starter_passes(home: Path, tmp_path: Path) -> None:
    import shutil

    pack = tmp_path / "pack"
    shutil.copytree(TESTPACK, pack)
    ex_dir = pack / "basics/numpy-warmup/exercises/standardize"
    (ex_dir / "starter.py").write_text((ex_dir / "solution.py").read_text())
    result = runner.invoke(
        app, ["author", "validate", str(pack), "--lang", "en"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "UNEXPECTED" in result.output and "starter" in result.output


def test_author_validate_reports_static_problems(home: Path) -> None:
    broken = Path(__file__).parent / "packs" / "broken" / "cycle"
    result = runner.invoke(
        app, ["author", "validate", str(broken), "--lang", "en"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "cycle" in result.output.lower() and "Fix:" in result.output


def test_doctor_reports_the_sandbox(home: Path) -> None:
    result = runner.invoke(app, ["doctor", "--lang", "en"], catch_exceptions=False)
    assert "Sandbox" in result.output
    import shutil

    if shutil.which("bwrap"):
        assert result.exit_code == 0, result.output
        assert "isolated" in result.output


def test_doctor_says_plainly_when_not_isolated(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LMSCHOOL_SANDBOX", "none")
    result = runner.invoke(app, ["doctor", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "WITHOUT isolation" in result.output


def test_demo_grades_every_reference_and_shows_progress(home: Path) -> None:
    code, out = run("demo")
    assert code == 0
    assert "5 of 5 exercises passed (100%)" in out
    assert "Next: read the first lesson" in out and "lmschool start" in out
    # the second run grades only what changed: nothing here
    code, again = run("demo")
    assert code == 0 and "5 unchanged exercises already passed" in again
    assert "5 of 5 exercises passed (100%)" in again


def test_every_command_has_help_and_lang() -> None:
    for cmd in [
        "list",
        "show",
        "start",
        "check",
        "hint",
        "solution",
        "watch",
        "progress",
        "grade",
        "doctor",
        "demo",
    ]:
        result = runner.invoke(app, [cmd, "--help"])
        assert result.exit_code == 0, cmd
        assert "--lang" in result.output, cmd
    result = runner.invoke(app, ["author", "validate", "--help"])
    assert result.exit_code == 0 and "--lang" in result.output


def test_terminal_markdown_shows_math_as_unicode() -> None:
    from lmschool.cli.render import terminal_markdown

    text = "Mean $\\mu_j = \\frac{1}{N}$ here, over\n$x_t \\in\n\\mathbb{R}^D$.\n\n$$\nz = \\frac{x - \\mu}{\\sigma}\\,\n$$\n\n```python\nx = '$5 and $6'\n```\n"
    out = terminal_markdown(text)
    assert "μⱼ = 1/N" in out
    assert "xₜ ∈ ℝᴰ" in out  # inline math that wraps onto the next source line
    assert "z = (x − μ)/σ" in out  # the fraction keeps its meaning
    assert "x = '$5 and $6'" in out  # code blocks untouched
    assert "\\frac" not in out and "$" not in out.replace("'$5 and $6'", "")


# --- settings and languages, as a newcomer types them -------------------------------


def _cli(*args: str, **env: str) -> tuple[int, str]:
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    full = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    proc = subprocess.run(
        [sys.executable, "-m", "lmschool", *args], capture_output=True, text=True, env=full
    )
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.parametrize("value", ["zh_CN", "zh_CN.UTF-8", "zh-TW", "ZH"])
def test_locale_forms_of_lmschool_lang_are_understood(home: Path, value: str) -> None:
    code, out = _cli("progress", "--course", str(TESTPACK), LMSCHOOL_LANG=value)
    assert code == 0 and "个练习" in out, out


def test_an_unknown_language_is_one_clear_line(home: Path) -> None:
    code, out = _cli("progress", LMSCHOOL_LANG="fr")
    assert code == 2
    assert out.strip().count("\n") <= 1 and "Traceback" not in out
    assert "LMSCHOOL_LANG=fr" in out and "en or zh" in out


def test_home_that_is_a_file_is_one_clear_line(home: Path, tmp_path: Path) -> None:
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    code, out = _cli("progress", LMSCHOOL_HOME=str(afile))
    assert code == 2 and "Traceback" not in out
    words = " ".join(out.split())  # the terminal wraps a long temporary path anywhere
    assert "LMSCHOOL_HOME" in words and "is a file" in words


def test_lang_before_the_subcommand(home: Path) -> None:
    result = runner.invoke(app, ["--lang", "zh", "progress", "--course", str(TESTPACK)])
    assert result.exit_code == 0, result.output
    assert "个练习" in result.output


def _run_in_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run the CLI with a pseudo-terminal as stdin and stdout; what it printed."""
    import os
    import pty
    import sys

    pid, fd = pty.fork()
    if pid == 0:  # the child: the CLI, on the terminal
        os.execve(sys.executable, [sys.executable, "-m", "lmschool", *args], env)
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.waitpid(pid, 0)
    return out.decode("utf-8", "replace")


def test_show_pages_a_lesson_on_a_terminal_and_never_into_a_pipe(
    home: Path, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    paged = tmp_path / "paged.txt"
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {
        **os.environ,
        "PAGER": f"cat > {paged}",
        "TERM": "xterm",
        "PYTHONPATH": src,
        "COLUMNS": "80",
    }
    args = ["show", "basics/numpy-warmup", "--lang", "en", "--course", str(TESTPACK)]
    _run_in_terminal(args, env)
    assert paged.exists(), "on a terminal, show went through $PAGER"
    assert "numpy-warmup" in paged.read_text(encoding="utf-8")

    paged.unlink()
    _run_in_terminal([*args, "--no-pager"], env)
    assert not paged.exists(), "--no-pager prints at once"

    proc = subprocess.run(
        [sys.executable, "-m", "lmschool", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "numpy-warmup" in proc.stdout and not paged.exists(), "a pipe is never paged"
