"""The course content model: what a pack's TOML files may say, and what a loaded pack is.

Two families of pydantic models live here:

- ``*Toml`` models describe one file exactly as an author writes it (``course.toml``,
  ``module.toml``, ``lesson.toml``, ``exercise.toml``). They are strict (a string is
  not a number) and forbid unknown fields, so a typo is an error, not a silent default.
  docs/authoring.md documents every one of their fields, and a test keeps it that way.
- ``Course``, ``Module``, ``Lesson``, ``CodeExercise`` and ``QuizExercise`` are a loaded
  pack: the same data plus ids, folders and children, in course order.

Ids: a module id is its folder name, a lesson id is ``module/lesson`` and an exercise id
is ``module/lesson/exercise``. They are the same in the CLI, the database and JSON.
"""

from __future__ import annotations

import difflib
import keyword
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator
from pydantic_core import PydanticCustomError

from lmschool.i18n import LANGS, Lang

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SKILL_RE = re.compile(r"^[a-z0-9_.-]+$")

LEVELS = ("intro", "core", "advanced")
# Stages from lowest to highest: a lesson's first audience tag is the lowest it suits.
AUDIENCES = ("junior-high", "senior-high", "undergraduate", "graduate", "professional")
INDUSTRIES = ("general", "education", "medicine", "finance", "logistics")
NEEDS = ("numpy", "torch")
# What a code exercise may import when its exercise.toml has no `allow`: the libraries
# of its flavour and nothing more (lmschool.ml and scikit-learn implement much of what
# exercises ask learners to write, so an exercise opts into them explicitly).
DEFAULT_ALLOW = {"numpy": ("numpy",), "torch": ("numpy", "torch")}

Level = Literal["intro", "core", "advanced"]
Audience = Literal["junior-high", "senior-high", "undergraduate", "graduate", "professional"]
Industry = Literal["general", "education", "medicine", "finance", "logistics"]
Need = Literal["numpy", "torch"]


# --- field types -------------------------------------------------------------------
# Each validator raises PydanticCustomError with a ``fix`` in its context: validate.py
# turns it into an Issue that names the file, the field and the fix.


def slugify(value: str) -> str:
    """The closest valid slug to ``value`` (used to suggest fixes)."""
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-id"


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise PydanticCustomError(
            "slug",
            "'{value}' is not a valid id",
            {
                "value": value,
                "fix": f"use lowercase letters, digits and '-', starting with a letter or digit, e.g. '{slugify(value)}'",
            },
        )
    return value


def _joined_slugs(parts: int, example: str) -> Any:
    def check(value: str) -> str:
        segments = value.split("/")
        if len(segments) != parts or not all(SLUG_RE.match(s) for s in segments):
            fixed = "/".join(slugify(s) for s in segments)
            raise PydanticCustomError(
                "id",
                "'{value}' is not a valid id of the form {example}",
                {
                    "value": value,
                    "example": example,
                    "fix": f"write it as {example} with slug segments, e.g. '{fixed}'",
                },
            )
        return value

    return check


def _skill(value: str) -> str:
    if not SKILL_RE.match(value):
        raise PydanticCustomError(
            "skill",
            "'{value}' is not a valid skill id",
            {
                "value": value,
                "fix": "use lowercase letters, digits, '_', '-' and '.', e.g. 'numpy.broadcasting'",
            },
        )
    return value


def _identifier(value: str) -> str:
    if not value.isidentifier() or keyword.iskeyword(value):
        raise PydanticCustomError(
            "identifier",
            "'{value}' is not a valid Python name",
            {
                "value": value,
                "fix": "use a Python identifier such as 'standardize' or 'RunningMean'",
            },
        )
    return value


_DOTTED_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _dotted(value: str) -> str:
    if not _DOTTED_RE.match(value) or any(keyword.iskeyword(p) for p in value.split(".")):
        raise PydanticCustomError(
            "dotted",
            "'{value}' is not a dotted Python name",
            {
                "value": value,
                "fix": "write a module or a name in it, e.g. 'numpy', 'lmschool.ml' or "
                "'torch.nn.functional.conv2d'",
            },
        )
    return value


def _text(value: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(value) - set(LANGS))
    if unknown:
        raise PydanticCustomError(
            "text_lang",
            "unknown language {unknown}",
            {"unknown": ", ".join(unknown), "fix": 'write the text as { en = "...", zh = "..." }'},
        )
    for lang, name in (("en", "English"), ("zh", "Chinese")):
        if not value.get(lang, "").strip():
            raise PydanticCustomError(
                "text_missing",
                "has no {name} text ({lang})",
                {
                    "name": name,
                    "lang": lang,
                    "fix": f'add {lang} = "..." so the text exists in both en and zh',
                },
            )
    return value


def _hints(value: dict[str, list[str]]) -> dict[str, list[str]]:
    unknown = sorted(set(value) - set(LANGS))
    if unknown or set(value) != set(LANGS):
        raise PydanticCustomError(
            "hints_lang",
            "hints need exactly the languages en and zh",
            {"fix": 'write [hints] with en = ["...", ...] and zh = ["...", ...]'},
        )
    if len(value["en"]) != len(value["zh"]):
        raise PydanticCustomError(
            "hints_count",
            "{en} hints in English but {zh} in Chinese",
            {
                "en": len(value["en"]),
                "zh": len(value["zh"]),
                "fix": "give every hint in both languages, in the same order",
            },
        )
    if any(not h.strip() for lang in LANGS for h in value[lang]):
        raise PydanticCustomError(
            "hints_empty", "a hint is empty", {"fix": "remove the empty hint or write it"}
        )
    return value


Slug = Annotated[str, AfterValidator(_slug)]
LessonId = Annotated[str, AfterValidator(_joined_slugs(2, "module/lesson"))]
ExerciseId = Annotated[str, AfterValidator(_joined_slugs(3, "module/lesson/exercise"))]
SkillId = Annotated[str, AfterValidator(_skill)]
Identifier = Annotated[str, AfterValidator(_identifier)]
DottedName = Annotated[str, AfterValidator(_dotted)]
Text = Annotated[dict[str, str], AfterValidator(_text)]
"""A text in both languages: ``{"en": ..., "zh": ...}``, both required and non-empty."""
Hints = Annotated[dict[str, list[str]], AfterValidator(_hints)]


def _no_hints() -> dict[str, list[str]]:
    return {"en": [], "zh": []}


class _Toml(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class _Loaded(BaseModel):
    # Built by the loader (or tests) from validated files: paths may be strings.
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


# --- course.toml, module.toml, lesson.toml --------------------------------------------


class _CourseInfo(_Toml):
    id: Slug
    title: Text
    summary: Text
    version: str


class CourseToml(_CourseInfo):
    """course.toml."""

    modules: list[Slug]


class _ModuleInfo(_Toml):
    title: Text
    summary: Text


class ModuleToml(_ModuleInfo):
    """<module>/module.toml."""

    lessons: list[Slug]


class _LessonInfo(_Toml):
    title: Text
    summary: Text
    prerequisites: list[LessonId] = []
    skills: list[SkillId] = Field(min_length=1)
    minutes: int = Field(gt=0)
    level: Level
    audience: list[Audience] = Field(min_length=1)
    industries: list[Industry] = ["general"]
    datasets: list[str] = []

    @field_validator("audience")
    @classmethod
    def _lowest_first(cls, value: list[str]) -> list[str]:
        ordered = sorted(set(value), key=AUDIENCES.index)
        if value != ordered:
            raise PydanticCustomError(
                "audience_order",
                "audience must list stages from lowest to highest, once each",
                {"fix": "write audience = [" + ", ".join(f'"{a}"' for a in ordered) + "]"},
            )
        return value


class LessonToml(_LessonInfo):
    """<module>/<lesson>/lesson.toml."""

    exercises: list[Slug] = []


# --- exercise.toml ---------------------------------------------------------------------


class Limits(_Toml):
    """Resource limits for one grading run of a code exercise."""

    cpu_seconds: float = Field(default=10.0, gt=0)
    memory_mb: int = Field(default=512, gt=0)
    wall_seconds: float = Field(default=20.0, gt=0)
    reply_mb: int = Field(default=8, gt=0, le=256)  # the largest single reply of the learner's code


class Choice(_Toml):
    """One answer of a choice quiz.

    ``why``: for a wrong choice, why it is tempting and why it is wrong (shown to a
    learner who picks it); for a right one, optional.
    """

    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    correct: bool = False
    why: Text | None = None


class Tolerance(_Toml):
    """How close a numeric answer must be: ``math.isclose(got, want, rel_tol=rel, abs_tol=abs)``."""

    rel: float = Field(default=1e-3, ge=0)
    abs: float = Field(default=1e-6, ge=0)


class QuizSpec(_Toml):
    """The ``[quiz]`` table of a quiz exercise."""

    type: Literal["choice", "numeric"]
    question: Text
    multiple: bool = False
    choices: list[Choice] = []
    tolerance: Tolerance = Tolerance()
    answer: float | None = None
    explanation: Text | None = None

    @field_validator("choices")
    @classmethod
    def _correct_count(cls, value: list[Choice], info: Any) -> list[Choice]:
        kind, multiple = info.data.get("type"), info.data.get("multiple", False)
        if kind == "numeric":
            if value:
                raise PydanticCustomError(
                    "quiz_choices",
                    "a numeric quiz has no choices",
                    {"fix": 'remove choices, or set type = "choice"'},
                )
            return value
        if len(value) < 2:
            raise PydanticCustomError(
                "quiz_choices",
                "a choice quiz needs at least 2 choices, got {n}",
                {
                    "n": len(value),
                    "fix": "add choices = [{en = ..., zh = ..., correct = true}, ...]",
                },
            )
        correct = sum(c.correct for c in value)
        if correct == 0:
            raise PydanticCustomError(
                "quiz_correct",
                "no choice is marked correct = true",
                {"fix": "mark the right answer with correct = true"},
            )
        if correct > 1 and not multiple:
            raise PydanticCustomError(
                "quiz_correct",
                "{n} choices are marked correct = true, but the quiz takes one answer",
                {"n": correct, "fix": "keep one correct = true, or set multiple = true"},
            )
        return value

    @field_validator("answer")
    @classmethod
    def _numeric_only(cls, value: float | None, info: Any) -> float | None:
        if value is not None and info.data.get("type") == "choice":
            raise PydanticCustomError(
                "quiz_answer",
                "a choice quiz takes its answer from correct = true, not from answer",
                {"fix": "remove answer"},
            )
        return value


class _ExerciseToml(_Toml):
    title: Text
    skills: list[SkillId] = []  # empty: the lesson's skills
    industries: list[Industry] = []  # empty: every industry; else a variant for these (e.g. a lab)
    hints: Hints = Field(default_factory=_no_hints)


class CodeExerciseToml(_ExerciseToml):
    """exercise.toml of a code exercise (starter.py, solution.py, checks.py beside it)."""

    kind: Literal["code"] = "code"
    prompt: Text
    names: list[Identifier] = Field(min_length=1)
    needs: list[Need] = ["numpy"]
    allow: list[DottedName] | None = None  # None: the default of `needs` (DEFAULT_ALLOW)
    forbid: list[DottedName] = []
    sandbox_data: list[Slug] = []
    limits: Limits = Limits()

    @property
    def allowed_imports(self) -> tuple[str, ...]:
        """Modules beyond the standard library the learner may import, sorted."""
        if self.allow is not None:
            return tuple(sorted(set(self.allow)))
        return tuple(sorted({m for need in self.needs for m in DEFAULT_ALLOW[need]}))


class QuizExerciseToml(_ExerciseToml):
    """exercise.toml of a quiz exercise (optionally generator.py beside it)."""

    kind: Literal["quiz"] = "quiz"
    quiz: QuizSpec


# The models each file is validated against; a test checks docs/authoring.md covers them.
TOML_MODELS: dict[str, type[_Toml]] = {
    "course.toml": CourseToml,
    "module.toml": ModuleToml,
    "lesson.toml": LessonToml,
    "exercise.toml (code)": CodeExerciseToml,
    "exercise.toml (quiz)": QuizExerciseToml,
}


# --- a loaded pack -----------------------------------------------------------------------


class _Placed:
    """Id-derived properties shared by both exercise kinds."""

    @property
    def lesson_id(self) -> str:
        return self.id.rsplit("/", 1)[0]  # type: ignore[attr-defined]

    @property
    def module_id(self) -> str:
        return self.id.split("/", 1)[0]  # type: ignore[attr-defined]


class CodeExercise(_Placed, CodeExerciseToml):
    model_config = ConfigDict(strict=False)

    id: ExerciseId
    dir: Path

    @property
    def starter_path(self) -> Path:
        return self.dir / "starter.py"

    @property
    def solution_path(self) -> Path:
        return self.dir / "solution.py"

    @property
    def checks_path(self) -> Path:
        return self.dir / "checks.py"


class QuizExercise(_Placed, QuizExerciseToml):
    model_config = ConfigDict(strict=False)

    id: ExerciseId
    dir: Path

    @property
    def generator_path(self) -> Path:
        return self.dir / "generator.py"

    @property
    def has_generator(self) -> bool:
        return self.generator_path.is_file()


Exercise = CodeExercise | QuizExercise


class Lesson(_LessonInfo):
    model_config = ConfigDict(strict=False)

    id: LessonId
    module_id: Slug
    dir: Path
    exercises: list[Annotated[Exercise, Field(discriminator="kind")]] = []

    def text(self, lang: Lang) -> str:
        """The lesson's markdown in ``lang`` (lesson.en.md or lesson.zh.md)."""
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, got {lang!r}")
        return (self.dir / f"lesson.{lang}.md").read_text(encoding="utf-8")


class Module(_ModuleInfo):
    model_config = ConfigDict(strict=False)

    id: Slug
    lessons: list[Lesson] = []


class UnknownIdError(KeyError):
    """An id that is not in the course or catalog; the message lists close matches."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


def unknown_id(what: str, wanted: str, known: Iterable[str], where: str) -> UnknownIdError:
    """A KeyError for ``wanted`` that suggests the closest of ``known``."""
    known = list(known)
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    # `standardize` should find `basics/numpy-warmup/standardize`.
    tail = wanted.rsplit("/", 1)[-1]
    close += [k for k in known if k.rsplit("/", 1)[-1] == tail and k not in close]
    text = f"no {what} {wanted!r} in {where}"
    if close:
        text += ". Did you mean: " + ", ".join(close[:5]) + "?"
    return UnknownIdError(text)


class Course(_CourseInfo):
    model_config = ConfigDict(strict=False)

    root: Path
    modules: list[Module] = []

    _lessons: dict[str, Lesson] = PrivateAttr(default_factory=dict)
    _exercises: dict[str, Exercise] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        for module in self.modules:
            for lesson in module.lessons:
                self._lessons[lesson.id] = lesson
                for ex in lesson.exercises:
                    self._exercises[ex.id] = ex

    def lessons(self) -> list[Lesson]:
        """Every lesson, in course order."""
        return list(self._lessons.values())

    def exercises(self) -> list[Exercise]:
        """Every exercise, in course order."""
        return list(self._exercises.values())

    def lesson(self, id: str) -> Lesson:
        try:
            return self._lessons[id]
        except KeyError:
            raise unknown_id("lesson", id, self._lessons, f"course {self.id!r}") from None

    def exercise(self, id: str) -> Exercise:
        try:
            return self._exercises[id]
        except KeyError:
            raise unknown_id("exercise", id, self._exercises, f"course {self.id!r}") from None

    def next_exercise(self, id: str) -> Exercise | None:
        """The exercise after ``id`` in course order, or None after the last one."""
        self.exercise(id)  # KeyError for an unknown id
        ids = iter(self._exercises)
        for current in ids:
            if current == id:
                following = next(ids, None)
                return self._exercises[following] if following else None
        return None  # unreachable
