"""Static validation of course packs: every issue names the file, the field and the fix."""

from __future__ import annotations

import ast
import re
import shutil
import tempfile
import typing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from lmschool.course.diagnostics import count_code_blocks, defined_names, find_cycles
from lmschool.course.model import TOML_MODELS
from lmschool.course.validate import Issue, read_pack, validate_pack

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "tests" / "packs"
TESTPACK = PACKS / "basics"
BROKEN = PACKS / "broken"
DOCS = ROOT / "docs" / "authoring.md"


def find(issues: list[Issue], path: Path, field: str) -> Issue:
    """The one issue about ``field`` of ``path``."""
    matches = [i for i in issues if i.path == path and i.field == field]
    assert len(matches) == 1, f"expected one issue at {path}: {field}, got:\n" + "\n".join(
        map(str, issues)
    )
    return matches[0]


@pytest.fixture
def pack(tmp_path):
    """A fresh copy of the valid test pack, to break one thing at a time."""
    copy = tmp_path / "pack"
    shutil.copytree(TESTPACK, copy)
    return copy.resolve()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


STANDARDIZE = "basics/numpy-warmup/exercises/standardize"
MEAN_QUIZ = "basics/numpy-warmup/exercises/mean-quiz"
GRADIENT_QUIZ = "basics/torch-warmup/exercises/gradient-quiz"
WARMUP = "basics/numpy-warmup"


# --- valid packs ---------------------------------------------------------------------------


def test_test_pack_has_no_issue_at_all():
    assert validate_pack(TESTPACK) == []


def test_issue_string_names_file_field_and_fix(monkeypatch):
    monkeypatch.chdir(ROOT)
    issue = Issue(
        ROOT / "tests/packs/x/basics/module.toml",
        "lessons[2]",
        "lesson folder 'foo' does not exist",
        "create basics/foo/lesson.toml or remove 'foo' from lessons",
    )
    assert str(issue) == (
        "tests/packs/x/basics/module.toml: lessons[2]: lesson folder 'foo' does not exist. "
        "Fix: create basics/foo/lesson.toml or remove 'foo' from lessons."
    )
    warning = Issue(Path("/elsewhere/a.md"), "", "odd", "even", "warning")
    assert str(warning) == "/elsewhere/a.md: warning: odd. Fix: even."
    assert warning.to_dict()["severity"] == "warning"


# --- the broken packs on disk ----------------------------------------------------------------


def test_toml_syntax_error_has_line_and_column():
    issues = validate_pack(BROKEN / "syntax")
    [issue] = issues
    assert issue.path == (BROKEN / "syntax" / "course.toml").resolve()
    assert issue.field == "line 3, column 16"
    assert "TOML syntax error" in issue.message
    assert "double quotes" in issue.fix


def test_prerequisite_cycle_is_named():
    issues = [i for i in validate_pack(BROKEN / "cycle") if i.severity == "error"]
    [issue] = issues
    assert issue.path == (BROKEN / "cycle" / "m" / "a" / "lesson.toml").resolve()
    assert issue.field == "prerequisites"
    assert "m/a -> m/c -> m/b -> m/a" in issue.message
    assert "remove one prerequisite" in issue.fix


# (file relative to the pack, field, words of the message, words of the fix, severity)
MANY = [
    ("course.toml", "modules[1]", "'Bad_Module' is not a valid id", "'bad-module'", "error"),
    ("course.toml", "modules[2]", "duplicate id: module 'core'", "remove the second 'core'", "error"),
    ("course.toml", "colour", "unknown field 'colour'", "remove it", "error"),
    ("core/module.toml", "lessons[2]", "lesson folder 'foo' does not exist", "create core/foo/lesson.toml or remove 'foo' from lessons", "error"),
    ("core/first/lesson.toml", "title", "has no Chinese text (zh)", 'add zh = "..."', "error"),
    ("core/first/lesson.toml", "skills[0]", "'Numpy Arrays' is not a valid skill id", "numpy.broadcasting", "error"),
    ("core/first/lesson.toml", "minutes", 'expected a whole number, got the string "ten"', "minutes = 30", "error"),
    ("core/first/lesson.toml", "level", "required field is missing", 'add level = "core"', "error"),
    ("core/first/lesson.toml", "audience", "lowest to highest", 'audience = ["junior-high", "graduate"]', "error"),
    ("core/first/lesson.toml", "industries[0]", '"farming" is not allowed', "'general'", "error"),
    ("core/first/lesson.toml", "exercises[3]", "'Bad_Exercise' is not a valid id", "'bad-exercise'", "error"),
    ("core/first/lesson.toml", "prerequisites[0]", "unknown prerequisite 'core/nope'", "existing lesson id", "error"),
    ("core/first/lesson.zh.md", "", "lesson text in Chinese is missing", "create core/first/lesson.zh.md", "error"),
    ("core/first/exercises/code-a/exercise.toml", "names[1]", "'2fast' is not a valid Python name", "Python identifier", "error"),
    ("core/first/exercises/code-a/exercise.toml", "limit", "unknown field 'limit'", "rename it to 'limits'", "error"),
    ("core/first/exercises/code-a/exercise.toml", "hints", "2 hints in English but 1 in Chinese", "both languages", "error"),
    ("core/first/exercises/code-a/solution.py", "names", "does not define solve", "define solve at the top level", "error"),
    ("core/first/exercises/code-a/checks.py", "", "checks.py (the hidden checks) is missing", "create core/first/exercises/code-a/checks.py", "error"),
    ("core/first/exercises/choice/exercise.toml", "quiz.choices", "2 choices are marked correct = true", "multiple = true", "error"),
    ("core/first/exercises/numeric/exercise.toml", "quiz.answer", "needs a fixed answer or a generator.py", "answer = 3.5", "error"),
    ("core/second/lesson.zh.md", "code blocks", "lesson.en.md has 2 fenced code blocks but lesson.zh.md has 1", "same code blocks", "warning"),
    ("core/second/exercises/code-b/solution.py", "line 2", "syntax error: '(' was never closed", "line 2", "error"),
    ("core/second/exercises/code-b/checks.py", "", "defines no check", "@check", "error"),
    ("core/second/exercises/no-kind/exercise.toml", "kind", "kind is missing", 'kind = "code"', "error"),
    ("core/second/exercises/orphan/exercise.toml", "", "not listed in exercises", "add 'orphan' to exercises", "warning"),
]  # fmt: skip


@pytest.fixture(scope="module")
def many_issues():
    return validate_pack(BROKEN / "many")


@pytest.mark.parametrize(("file", "field", "message", "fix", "severity"), MANY)
def test_each_problem_of_the_broken_pack(many_issues, file, field, message, fix, severity):
    issue = find(many_issues, (BROKEN / "many" / file).resolve(), field)
    assert message in issue.message
    assert fix in issue.fix
    assert issue.severity == severity


def test_broken_pack_reports_nothing_else(many_issues):
    expected = {((BROKEN / "many" / f).resolve(), field) for f, field, *_ in MANY}
    assert {(i.path, i.field) for i in many_issues} == expected
    assert read_pack(BROKEN / "many").course is None


# --- one family at a time, on a copy of the valid pack ---------------------------------------


def test_missing_pack_folder(tmp_path):
    [issue] = validate_pack(tmp_path / "nowhere")
    assert "does not exist" in issue.message and "course.toml" in issue.fix


def test_exercise_folder_without_exercise_toml(pack):
    (pack / STANDARDIZE / "exercise.toml").unlink()
    issue = find(validate_pack(pack), pack / WARMUP / "lesson.toml", "exercises[0]")
    assert issue.message == "exercise folder 'standardize' has no exercise.toml"
    assert "create basics/numpy-warmup/exercises/standardize/exercise.toml" in issue.fix


def test_duplicate_exercise_in_a_lesson(pack):
    edit(pack / WARMUP / "lesson.toml", '"mean-quiz"]', '"mean-quiz", "standardize"]')
    issue = find(validate_pack(pack), pack / WARMUP / "lesson.toml", "exercises[3]")
    assert "duplicate id" in issue.message and "already listed at exercises[0]" in issue.message


def test_unlisted_lesson_is_a_warning(pack):
    edit(pack / "basics/module.toml", ', "torch-warmup"]', "]")
    issues = validate_pack(pack)
    issue = find(issues, pack / "basics/torch-warmup/lesson.toml", "")
    assert issue.severity == "warning" and "add 'torch-warmup' to lessons" in issue.fix


def test_missing_english_text_and_unclosed_code_block(pack):
    (pack / WARMUP / "lesson.en.md").unlink()
    zh = pack / WARMUP / "lesson.zh.md"
    zh.write_text(zh.read_text(encoding="utf-8") + "\n```python\nx = 1\n", encoding="utf-8")
    issues = validate_pack(pack)
    assert "in English is missing" in find(issues, pack / WARMUP / "lesson.en.md", "").message
    unclosed = find(issues, zh, "code blocks")
    assert unclosed.severity == "warning" and "never closed" in unclosed.message


def test_unknown_kind(pack):
    edit(pack / STANDARDIZE / "exercise.toml", 'kind = "code"', 'kind = "essay"')
    issue = find(validate_pack(pack), pack / STANDARDIZE / "exercise.toml", "kind")
    assert 'the string "essay" is not a kind of exercise' in issue.message


def test_wrong_types_in_nested_tables(pack):
    path = pack / STANDARDIZE / "exercise.toml"
    edit(path, "cpu_seconds = 10", 'cpu_seconds = "fast"')
    edit(path, "memory_mb = 512", "memory_mb = 0")
    edit(path, 'needs = ["numpy"]', 'needs = ["jax"]')
    issues = validate_pack(pack)
    assert "expected a number" in find(issues, path, "limits.cpu_seconds").message
    memory = find(issues, path, "limits.memory_mb")
    assert "too small" in memory.message and "above 0" in memory.fix
    assert "'numpy' or 'torch'" in find(issues, path, "needs[0]").fix


def test_empty_names_and_missing_hint_language(pack):
    path = pack / STANDARDIZE / "exercise.toml"
    edit(path, 'names = ["standardize"]', "names = []")
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index('zh = [\n    "用')], encoding="utf-8")
    issues = validate_pack(pack)
    assert "must not be empty" in find(issues, path, "names").message
    assert "en and zh" in find(issues, path, "hints").message


def test_starter_and_checks_that_do_not_compile(pack):
    (pack / STANDARDIZE / "starter.py").write_text("def standardize(X:\n", encoding="utf-8")
    (pack / STANDARDIZE / "checks.py").write_text("x = 1\n  y = 2\n", encoding="utf-8")
    issues = validate_pack(pack)
    assert "syntax error" in find(issues, pack / STANDARDIZE / "starter.py", "line 1").message
    assert "indent" in find(issues, pack / STANDARDIZE / "checks.py", "line 2").message


def test_compile_errors_that_ast_alone_misses(pack):
    (pack / STANDARDIZE / "solution.py").write_text("return 1\n", encoding="utf-8")
    issue = find(validate_pack(pack), pack / STANDARDIZE / "solution.py", "line 1")
    assert "'return' outside function" in issue.message


def test_starter_missing_a_name_is_a_warning(pack):
    (pack / STANDARDIZE / "starter.py").write_text("def other(X):\n    pass\n", encoding="utf-8")
    issue = find(validate_pack(pack), pack / STANDARDIZE / "starter.py", "names")
    assert issue.severity == "warning" and "does not define standardize" in issue.message


def test_bad_prerequisite_ids(pack):
    path = pack / "basics/torch-warmup/lesson.toml"
    edit(
        path,
        'prerequisites = ["basics/numpy-warmup"]',
        'prerequisites = ["numpy-warmup", "basics/numpy-warmpu"]',
    )
    issues = validate_pack(pack)
    assert "of the form module/lesson" in find(issues, path, "prerequisites[0]").message
    typo = find(issues, path, "prerequisites[1]")
    assert "unknown prerequisite" in typo.message
    assert typo.fix == "did you mean 'basics/numpy-warmup'?"


def test_self_prerequisite_is_a_cycle(pack):
    path = pack / WARMUP / "lesson.toml"
    edit(path, "prerequisites = []", 'prerequisites = ["basics/numpy-warmup"]')
    issue = find(validate_pack(pack), path, "prerequisites")
    assert "basics/numpy-warmup -> basics/numpy-warmup" in issue.message


def test_prerequisite_later_in_course_order_is_a_warning(pack):
    edit(
        pack / WARMUP / "lesson.toml",
        "prerequisites = []",
        'prerequisites = ["basics/torch-warmup"]',
    )
    edit(pack / "basics/torch-warmup/lesson.toml", '["basics/numpy-warmup"]', "[]")
    issue = find(validate_pack(pack), pack / WARMUP / "lesson.toml", "prerequisites[0]")
    assert issue.severity == "warning" and "comes after this lesson" in issue.message


def test_choice_quiz_without_a_correct_choice(pack):
    path = pack / GRADIENT_QUIZ / "exercise.toml"
    edit(path, ", correct = true }", " }")
    issue = find(validate_pack(pack), path, "quiz.choices")
    assert "no choice is marked correct" in issue.message


def test_multiple_choice_quiz_may_have_several_correct(pack):
    path = pack / GRADIENT_QUIZ / "exercise.toml"
    edit(path, 'type = "choice"', 'type = "choice"\nmultiple = true')
    edit(path, 'zh = "这个权重的最优取值。",', 'zh = "这个权重的最优取值。", correct = true,')
    assert validate_pack(pack) == []


def test_every_wrong_choice_of_the_bundled_pack_says_why() -> None:
    """A learner who picks a wrong choice anywhere in the bundled pack is told why."""
    from lmschool.course.loader import bundled_pack_path

    missing = [
        f"{issue.path}: {issue.field}"
        for issue in validate_pack(bundled_pack_path())
        if issue.field.endswith(".why")
    ]
    assert not missing, "\n".join(missing)


def test_numeric_quiz_with_choices(pack):
    path = pack / MEAN_QUIZ / "exercise.toml"
    edit(path, "tolerance =", 'choices = [{ en = "a", zh = "甲" }]\ntolerance =')
    assert "no choices" in find(validate_pack(pack), path, "quiz.choices").message


def test_numeric_quiz_with_an_answer_and_a_generator(pack):
    path = pack / MEAN_QUIZ / "exercise.toml"
    edit(path, "tolerance =", "answer = 3.5\ntolerance =")
    issue = find(validate_pack(pack), path, "quiz.answer")
    assert "both a fixed answer and a generator.py" in issue.message


def test_choice_quiz_with_an_answer(pack):
    path = pack / GRADIENT_QUIZ / "exercise.toml"
    edit(path, 'type = "choice"', 'type = "choice"\nanswer = 1')
    assert "remove answer" in find(validate_pack(pack), path, "quiz.answer").fix


def test_generator_without_generate_and_broken_templates(pack):
    (pack / MEAN_QUIZ / "generator.py").write_text("def make(rng):\n    return {}\n")
    path = pack / MEAN_QUIZ / "exercise.toml"
    edit(path, "数字 {values} 的平均值是多少？", "数字 {numbers} 的平均值是多少？")
    edit(path, "divide by 5.", "divide by 5}.")
    issues = validate_pack(pack)
    generate = find(issues, pack / MEAN_QUIZ / "generator.py", "generate")
    assert "does not define generate(rng)" in generate.message
    mismatch = find(issues, path, "quiz.question")
    assert "['values']" in mismatch.message and "['numbers']" in mismatch.message
    assert "{{ and }}" in find(issues, path, "quiz.explanation.en").fix


def test_text_in_an_unknown_language(pack):
    path = pack / "basics/module.toml"
    edit(path, 'title = { en = "Basics", zh = "基础" }', 'title = { en = "Basics", cn = "基础" }')
    issue = find(validate_pack(pack), path, "title")
    assert "unknown language cn" in issue.message


def test_validation_never_stops_at_the_first_problem(pack):
    edit(pack / "course.toml", 'version = "0.1.0"', "version = 1")
    edit(pack / WARMUP / "lesson.toml", "minutes = 30", "minutes = -1")
    (pack / "basics/torch-warmup/exercises/linear-forward/checks.py").unlink()
    issues = validate_pack(pack)
    assert {i.field for i in issues} == {"version", "minutes", ""}
    assert len(issues) == 3


REQUIRED_LESSON_FIELDS = ["title", "summary", "skills", "minutes", "level", "audience"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sets(st.sampled_from(REQUIRED_LESSON_FIELDS), min_size=1))
def test_every_missing_required_field_is_reported(missing):
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp, "pack").resolve()
        shutil.copytree(TESTPACK, copy)
        path = copy / WARMUP / "lesson.toml"
        lines = path.read_text(encoding="utf-8").splitlines()
        kept = [ln for ln in lines if ln.split(" = ")[0] not in missing]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        issues = validate_pack(copy)
    assert {i.field for i in issues} == missing
    for issue in issues:
        assert issue.message == "required field is missing"
        assert issue.fix.startswith(f"add {issue.field} = ")


# --- helpers ------------------------------------------------------------------------------


def test_defined_names():
    tree = ast.parse(
        "import numpy as np\nfrom os import path\nA, (B, C) = 1, (2, 3)\nD: int = 4\n"
        "def f(): x = 1\nclass K: y = 2\nif True:\n    G = 1\nelse:\n    H = 2\n"
        "try:\n    import torch\nexcept ImportError:\n    torch = None\n"
    )
    assert defined_names(tree) == {"np", "path", "A", "B", "C", "D", "f", "K", "G", "H", "torch"}


def test_count_code_blocks():
    text = "```python\na\n```\n\n~~~\nb\n~~~\n    ```indented code is not a fence\n```\nopen"
    assert count_code_blocks(text) == (3, True)
    assert count_code_blocks("````\n```\n````\n") == (1, False)


def test_find_cycles():
    assert find_cycles({"a": ["b"], "b": ["c"], "c": []}) == []
    assert find_cycles({"a": ["a"]}) == [["a", "a"]]
    assert find_cycles({"b": ["c"], "c": ["a"], "a": ["b"]}) == [["a", "b", "c", "a"]]
    two = find_cycles({"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"]})
    assert sorted(two) == [["a", "b", "a"], ["c", "d", "c"]]


# --- docs that cannot rot ---------------------------------------------------------------------


def _documented_rows(section: str) -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", section, flags=re.M))


def _section(docs: str, heading: str) -> str:
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^#{{1,3}} )", docs, flags=re.M | re.S)
    assert match, f"docs/authoring.md has no section '### {heading}'"
    return match.group(1)


def _model_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every field of ``model`` and of the tables nested in it, as documented names."""
    names = set()
    for name, info in model.model_fields.items():
        names.add(prefix + name)
        tp, suffix = info.annotation, "."
        if typing.get_origin(tp) is list:
            tp, suffix = typing.get_args(tp)[0], "[]."
        for arg in (tp, *typing.get_args(tp)):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                names |= _model_fields(arg, f"{prefix}{name}{suffix}")
    return names


DOC_SECTIONS = {
    "course.toml": "course.toml",
    "module.toml": "module.toml",
    "lesson.toml": "lesson.toml",
    "exercise.toml (code)": "exercise.toml for a code exercise",
    "exercise.toml (quiz)": "exercise.toml for a quiz",
}


@pytest.mark.parametrize("file", list(TOML_MODELS))
def test_every_content_field_is_documented(file):
    section = _section(DOCS.read_text(encoding="utf-8"), DOC_SECTIONS[file])
    fields = _model_fields(TOML_MODELS[file])
    documented = _documented_rows(section)
    assert fields - documented == set(), f"fields of {file} missing from docs/authoring.md"
    assert documented - fields == set(), f"docs/authoring.md documents fields {file} lacks"


def test_a_cached_pack_is_read_afresh_when_a_file_changes(tmp_path, monkeypatch) -> None:
    """Loading a pack is cached (commands start faster), never stale."""
    import shutil

    from lmschool.course.loader import read_pack_cached
    from tests.conftest import TESTPACK

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    pack = tmp_path / "pack"
    shutil.copytree(TESTPACK, pack)
    first = read_pack_cached(pack)
    assert first.course is not None and list((tmp_path / "cache").rglob("*.json"))
    again = read_pack_cached(pack)  # from the cache: the same course
    assert again.course == first.course
    toml = pack / "basics" / "numpy-warmup" / "lesson.toml"
    toml.write_text(toml.read_text().replace("minutes = ", "minutes = 1", 1))
    changed = read_pack_cached(pack)
    lesson = changed.course.lesson("basics/numpy-warmup")
    assert lesson.minutes != first.course.lesson("basics/numpy-warmup").minutes
