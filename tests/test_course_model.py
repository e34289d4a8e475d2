"""Loading course packs: ids, order, texts, lookups, the bundled pack and catalogs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from lmschool.course import (
    Catalog,
    CodeExercise,
    CourseError,
    QuizExercise,
    bundled_pack_path,
    load_course,
    validate_pack,
)
from lmschool.course.model import (
    SLUG_RE,
    CodeExerciseToml,
    LessonToml,
    Limits,
    QuizSpec,
    slugify,
)

PACKS = Path(__file__).parent / "packs"
TESTPACK = PACKS / "basics"

EXERCISE_IDS = [
    "basics/numpy-warmup/standardize",
    "basics/numpy-warmup/running-mean",
    "basics/numpy-warmup/mean-quiz",
    "basics/torch-warmup/linear-forward",
    "basics/torch-warmup/gradient-quiz",
]


@pytest.fixture(scope="module")
def course():
    return load_course(TESTPACK)


TEXT = {"en": "x", "zh": "叉"}


# --- the test pack ---------------------------------------------------------------------


def test_course_metadata(course):
    assert course.id == "testpack"
    assert course.version == "0.1.0"
    assert course.title["en"] and course.title["zh"]
    assert course.root == TESTPACK.resolve()
    assert [m.id for m in course.modules] == ["basics"]


def test_lessons_in_course_order(course):
    assert [le.id for le in course.lessons()] == ["basics/numpy-warmup", "basics/torch-warmup"]
    warmup, torch_lesson = course.lessons()
    assert warmup.module_id == "basics"
    assert warmup.level == "intro"
    assert warmup.skills == ["numpy.arrays", "preprocessing.scaling"]
    assert warmup.audience[0] == "senior-high"  # the lowest stage comes first
    assert warmup.minutes > 0
    assert torch_lesson.prerequisites == ["basics/numpy-warmup"]
    assert warmup.dir == TESTPACK.resolve() / "basics" / "numpy-warmup"


def test_exercises_in_course_order(course):
    assert [ex.id for ex in course.exercises()] == EXERCISE_IDS
    assert [ex.kind for ex in course.exercises()] == ["code", "code", "quiz", "code", "quiz"]
    assert [ex.id for ex in course.lesson("basics/torch-warmup").exercises] == EXERCISE_IDS[3:]


def test_code_exercise_fields(course):
    ex = course.exercise("basics/numpy-warmup/standardize")
    assert isinstance(ex, CodeExercise)
    assert ex.names == ["standardize"]
    assert ex.needs == ["numpy"]
    assert ex.limits == Limits(cpu_seconds=10, memory_mb=512, wall_seconds=20)
    assert len(ex.hints["en"]) == len(ex.hints["zh"]) == 3
    assert ex.lesson_id == "basics/numpy-warmup"
    assert ex.module_id == "basics"
    for path in (ex.starter_path, ex.solution_path, ex.checks_path):
        assert path.is_file() and path.parent == ex.dir
    assert ex.prompt["zh"].strip()


def test_exercise_skills_default_to_the_lessons(course):
    lesson_skills = course.lesson("basics/numpy-warmup").skills
    assert course.exercise("basics/numpy-warmup/standardize").skills == lesson_skills
    # running-mean sets its own skills
    assert course.exercise("basics/numpy-warmup/running-mean").skills == [
        "numpy.arrays",
        "python.classes",
    ]


def test_torch_exercise_needs_and_limits(course):
    ex = course.exercise("basics/torch-warmup/linear-forward")
    assert ex.needs == ["numpy", "torch"]
    assert ex.limits.memory_mb == 1024
    assert len(ex.hints["en"]) == len(ex.hints["zh"]) == 2


def test_quiz_exercises(course):
    mean = course.exercise("basics/numpy-warmup/mean-quiz")
    assert isinstance(mean, QuizExercise)
    assert mean.quiz.type == "numeric" and mean.has_generator
    assert mean.quiz.tolerance.rel == pytest.approx(1e-3)
    grad = course.exercise("basics/torch-warmup/gradient-quiz")
    assert grad.quiz.type == "choice" and not grad.has_generator
    assert sum(c.correct for c in grad.quiz.choices) == 1
    assert len(grad.quiz.choices) == 4
    assert grad.quiz.explanation is not None


def test_lesson_texts_in_both_languages(course):
    lesson = course.lesson("basics/numpy-warmup")
    en, zh = lesson.text("en"), lesson.text("zh")
    assert "standardise" in en.lower()
    assert "标准化" in zh
    for text in (en, zh):
        assert "$$" in text  # display math
        assert "$X$" in text  # inline math
        assert "```python" in text
    with pytest.raises(ValueError, match="en, zh"):
        lesson.text("fr")


def test_next_exercise_walks_the_course(course):
    nxt = [course.next_exercise(i) for i in EXERCISE_IDS]
    assert [n.id if n else None for n in nxt] == [*EXERCISE_IDS[1:], None]


def test_unknown_exercise_suggests_close_matches(course):
    with pytest.raises(KeyError) as err:
        course.exercise("basics/numpy-warmup/standardise")
    text = str(err.value)
    assert "no exercise 'basics/numpy-warmup/standardise' in course 'testpack'" in text
    assert "Did you mean: basics/numpy-warmup/standardize" in text
    assert not text.startswith("'")  # not KeyError's quoted repr


def test_bare_exercise_name_suggests_its_full_id(course):
    with pytest.raises(KeyError, match="basics/torch-warmup/linear-forward"):
        course.exercise("linear-forward")
    with pytest.raises(KeyError, match="basics/numpy-warmup"):
        course.lesson("basics/numpy-warmpu")
    with pytest.raises(KeyError):
        course.next_exercise("nope")


# --- the bundled pack --------------------------------------------------------------------


def test_bundled_pack_loads():
    path = bundled_pack_path()
    assert path.name == "lmschool" and (path / "course.toml").is_file()
    course = load_course(path)
    assert course.id == "lmschool"
    assert course.title == {
        "en": "lmschool: large models, hands-on",
        "zh": "lmschool：动手学大模型",
    }
    assert validate_pack(path) == []


# --- catalogs ---------------------------------------------------------------------------


def _write_pack(root: Path, course_id: str, module: str, lessons: dict[str, list[str]]) -> Path:
    """A minimal valid pack: lessons maps lesson slug -> prerequisites."""
    root.mkdir(parents=True)
    (root / "course.toml").write_text(
        f'id = "{course_id}"\nversion = "1"\n'
        'title = { en = "T", zh = "题" }\nsummary = { en = "S", zh = "概" }\n'
        f'modules = ["{module}"]\n',
        encoding="utf-8",
    )
    names = ", ".join(f'"{n}"' for n in lessons)
    (root / module).mkdir()
    (root / module / "module.toml").write_text(
        f'title = {{ en = "M", zh = "模" }}\nsummary = {{ en = "S", zh = "概" }}\nlessons = [{names}]\n',
        encoding="utf-8",
    )
    for name, prereqs in lessons.items():
        folder = root / module / name
        folder.mkdir()
        pre = ", ".join(f'"{p}"' for p in prereqs)
        (folder / "lesson.toml").write_text(
            'title = { en = "L", zh = "课" }\nsummary = { en = "S", zh = "概" }\n'
            f'prerequisites = [{pre}]\nskills = ["x.y"]\nminutes = 5\nlevel = "core"\n'
            'audience = ["undergraduate"]\n',
            encoding="utf-8",
        )
        (folder / "lesson.en.md").write_text("# L\n", encoding="utf-8")
        (folder / "lesson.zh.md").write_text("# 课\n", encoding="utf-8")
    return root


def test_catalog_loads_bundled_and_extra_packs():
    catalog = Catalog.load([TESTPACK])
    assert [c.id for c in catalog.courses] == ["lmschool", "testpack"]
    bundled = [ex.id for ex in catalog.course("lmschool").exercises()]
    assert [ex.id for ex in catalog.exercises()] == bundled + EXERCISE_IDS  # packs in order
    assert catalog.exercise(EXERCISE_IDS[0]).id == EXERCISE_IDS[0]
    assert catalog.lesson("basics/torch-warmup").id == "basics/torch-warmup"
    assert catalog.next_exercise(EXERCISE_IDS[2]).id == EXERCISE_IDS[3]
    assert catalog.next_exercise(EXERCISE_IDS[-1]) is None
    assert catalog.course_of(EXERCISE_IDS[0]).id == "testpack"
    assert catalog.course("testpack").id == "testpack"
    with pytest.raises(KeyError, match="Did you mean: basics/numpy-warmup/standardize"):
        catalog.exercise("basics/numpy-warmup/standardise")
    with pytest.raises(KeyError, match="testpack"):
        catalog.course("testpak")


def test_catalog_without_bundled_and_a_pack_named_twice():
    catalog = Catalog.load([TESTPACK, str(TESTPACK)], include_bundled=False)
    assert [c.id for c in catalog.courses] == ["testpack"]


def test_catalog_refuses_duplicate_ids(tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(TESTPACK, copy)
    with pytest.raises(CourseError) as err:
        Catalog.load([TESTPACK, copy], include_bundled=False)
    issues = {(i.path, i.field) for i in err.value.issues}
    assert (copy.resolve() / "course.toml", "id") in issues
    assert (copy.resolve() / "course.toml", "modules[0]") in issues
    assert "duplicate id: course 'testpack'" in str(err.value)


def test_prerequisite_in_another_pack(tmp_path):
    extra = _write_pack(
        tmp_path / "extra", "extra", "more", {"next-steps": ["basics/torch-warmup"]}
    )
    # alone: loads, with a warning that the prerequisite lives elsewhere
    assert load_course(extra).lessons()[0].prerequisites == ["basics/torch-warmup"]
    [warning] = validate_pack(extra)
    assert warning.severity == "warning" and warning.field == "prerequisites[0]"
    # with the pack that holds it: fine
    catalog = Catalog.load([TESTPACK, extra], include_bundled=False)
    assert catalog.lesson("more/next-steps").prerequisites == ["basics/torch-warmup"]
    # without it: an error naming the file, the field and a fix
    with pytest.raises(CourseError) as err:
        Catalog.load([extra], include_bundled=False)
    [issue] = err.value.issues
    assert issue.path == extra.resolve() / "more" / "next-steps" / "lesson.toml"
    assert issue.field == "prerequisites[0]"
    assert "is in no loaded pack" in issue.message
    assert "course path" in issue.fix


def test_prerequisite_cycle_across_packs(tmp_path):
    one = _write_pack(tmp_path / "one", "one", "alpha", {"a": ["beta/b"]})
    two = _write_pack(tmp_path / "two", "two", "beta", {"b": ["alpha/a"]})
    with pytest.raises(CourseError) as err:
        Catalog.load([one, two], include_bundled=False)
    [issue] = err.value.issues
    assert "alpha/a -> beta/b -> alpha/a" in issue.message


def test_invalid_pack_raises_course_error_with_every_issue():
    with pytest.raises(CourseError) as err:
        load_course(PACKS / "broken" / "many")
    assert len(err.value.issues) > 10
    assert "problem(s) in course content" in str(err.value)
    with pytest.raises(CourseError):
        Catalog.load([PACKS / "broken" / "cycle"])


# --- the models on their own -----------------------------------------------------------------


def test_text_needs_both_languages():
    with pytest.raises(ValidationError, match="has no Chinese text"):
        QuizSpec(type="numeric", question={"en": "How much?"}, answer=1.0)
    with pytest.raises(ValidationError, match="unknown language fr"):
        QuizSpec(type="numeric", question={**TEXT, "fr": "x"}, answer=1.0)


def test_toml_models_are_strict_and_closed():
    base = {"kind": "code", "title": TEXT, "prompt": TEXT, "names": ["f"]}
    assert CodeExerciseToml.model_validate(base).limits == Limits()
    with pytest.raises(ValidationError, match="Extra inputs"):
        CodeExerciseToml.model_validate({**base, "limit": {}})
    with pytest.raises(ValidationError):
        CodeExerciseToml.model_validate({**base, "limits": {"memory_mb": "512"}})
    with pytest.raises(ValidationError, match="hints in English"):
        CodeExerciseToml.model_validate({**base, "hints": {"en": ["a"], "zh": []}})


def test_lesson_audience_must_be_lowest_first():
    lesson = {
        "title": TEXT,
        "summary": TEXT,
        "skills": ["a"],
        "minutes": 5,
        "level": "core",
    }
    assert LessonToml.model_validate({**lesson, "audience": ["junior-high", "graduate"]})
    with pytest.raises(ValidationError, match="lowest to highest") as err:
        LessonToml.model_validate({**lesson, "audience": ["graduate", "junior-high"]})
    assert err.value.errors()[0]["ctx"]["fix"] == 'write audience = ["junior-high", "graduate"]'


def test_runtime_models_accept_plain_strings_for_paths(tmp_path):
    ex = CodeExercise(
        id="m/l/e",
        title=TEXT,
        prompt=TEXT,
        names=["f"],
        dir=str(tmp_path),
    )
    assert ex.starter_path == tmp_path / "starter.py"
    with pytest.raises(ValidationError, match="module/lesson/exercise"):
        CodeExercise(id="m/e", title=TEXT, prompt=TEXT, names=["f"], dir=tmp_path)


@given(st.text(max_size=30))
def test_slugify_always_gives_a_valid_slug(text):
    assert SLUG_RE.match(slugify(text))
