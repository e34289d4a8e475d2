"""Static validation of a course pack.

:func:`read_pack` walks a pack folder once, collects every problem as an :class:`Issue`
(never stopping at the first) and, when there is no error, returns the loaded
:class:`~lmschool.course.model.Course`. :func:`validate_pack` returns the issues only.
Each issue names the file, the field and the fix::

    tests/packs/x/basics/module.toml: lessons[2]: lesson folder 'foo' does not exist.
    Fix: create basics/foo/lesson.toml or remove 'foo' from lessons.

Static means nothing here runs content code: Python files are compiled and read with
``ast``, never imported. Running solutions and starters against their checks is the
grader's part of ``lmschool author validate``.
"""

from __future__ import annotations

import ast
import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from lmschool.course.diagnostics import (
    DOCS,
    Issue,
    Severity,
    count_code_blocks,
    defined_names,
    defines_check,
    display_path,
    find_cycles,
    hint_copies,
    hint_gives_away,
    identifiers,
    issues_from_validation,
    shown,
    solution_lines,
    template_fields,
)
from lmschool.course.model import (
    SLUG_RE,
    CodeExercise,
    CodeExerciseToml,
    Course,
    CourseToml,
    Exercise,
    Lesson,
    LessonToml,
    Module,
    ModuleToml,
    QuizExercise,
    QuizExerciseToml,
    QuizSpec,
    _LessonInfo,
)
from lmschool.i18n import LANGS

__all__ = [
    "ExternalPrerequisite",
    "Issue",
    "PackReport",
    "display_path",
    "find_cycles",
    "read_pack",
    "validate_pack",
]


@dataclass(frozen=True)
class ExternalPrerequisite:
    """A prerequisite whose module is not in its own pack (a catalog resolves it)."""

    path: Path
    field: str
    lesson_id: str
    target: str


@dataclass
class PackReport:
    root: Path
    course: Course | None
    issues: list[Issue] = field(default_factory=list)
    external: list[ExternalPrerequisite] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def validate_pack(path: Path | str) -> list[Issue]:
    """Every static problem in the pack at ``path`` (errors and warnings)."""
    report = read_pack(path)
    return report.issues + [
        Issue(
            ext.path,
            ext.field,
            f"prerequisite '{ext.target}' is not in this pack",
            "load the pack that holds it beside this one (LMSCHOOL_COURSE_PATH), or remove it",
            "warning",
        )
        for ext in report.external
    ]


def read_pack(path: Path | str) -> PackReport:
    """Walk the pack at ``path``: its issues, and the course when there is no error."""
    return _Reader(Path(path).expanduser().resolve()).read()


# --- the walk --------------------------------------------------------------------------

_TOML_FIXES = {
    "Invalid value": 'put text in double quotes, e.g. key = "value"',
    "Cannot overwrite a value": "a key is written twice; keep one",
    "Cannot declare": "a table is written twice; keep one",
    "Expected '=' after a key": "write each setting as key = value",
}


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.issues: list[Issue] = []
        self.external: list[ExternalPrerequisite] = []
        self.lesson_paths: dict[str, Path] = {}  # lesson id -> lesson.toml, in course order
        self.prereqs: dict[str, dict[int, str]] = {}  # lesson id -> {index: valid lesson id}

    def issue(
        self, path: Path, field: str, message: str, fix: str, severity: Severity = "error"
    ) -> None:
        self.issues.append(Issue(path, field, message, fix, severity))

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def read(self) -> PackReport:
        course_path = self.root / "course.toml"
        if not course_path.is_file():
            what = "has no course.toml" if self.root.is_dir() else "does not exist"
            self.issue(
                self.root,
                "",
                f"the course pack folder {what}",
                f"create {course_path} (see {DOCS})",
            )
            return PackReport(self.root, None, self.issues)
        raw = self.toml(course_path)
        if raw is None:
            return PackReport(self.root, None, self.issues)
        head = self.model(CourseToml, raw, course_path)
        names = self.children(raw, "modules", course_path, self.root, "module.toml", "module")
        modules = [self.module(name) for name in names]
        listed = raw.get("modules", [])
        listed = {m for m in listed if isinstance(m, str)} if isinstance(listed, list) else set()
        self.check_prerequisites(listed)
        course = None
        if head and all(modules) and not any(i.severity == "error" for i in self.issues):
            info = head.model_dump(exclude={"modules"})
            course = Course(**info, root=self.root, modules=modules)
        return PackReport(self.root, course, self.issues, self.external)

    def toml(self, path: Path) -> dict[str, Any] | None:
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            self.issue(path, "", "the file is not UTF-8 text", "save it with UTF-8 encoding")
        except tomllib.TOMLDecodeError as exc:
            text = str(exc)
            where = re.search(r"\(at line (\d+), column (\d+)\)", text)
            detail = text[: where.start()].strip() if where else text
            fix = next((f for k, f in _TOML_FIXES.items() if detail.startswith(k)), "")
            field = f"line {where.group(1)}, column {where.group(2)}" if where else ""
            self.issue(
                path,
                field,
                f"TOML syntax error: {detail}",
                fix or f"correct the TOML syntax at {field or 'that place'}",
            )
        return None

    def model(self, cls: type[BaseModel], raw: dict[str, Any], path: Path) -> Any:
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            self.issues.extend(issues_from_validation(path, exc, cls))
            return None

    def children(
        self, raw: dict[str, Any], key: str, toml_path: Path, parent: Path, file: str, what: str
    ) -> list[str]:
        """The valid entries of list ``key``, reporting duplicates and missing folders."""
        entries = raw.get(key, [])
        entries = entries if isinstance(entries, list) else []  # the model reports the type
        seen: dict[str, int] = {}
        for i, name in enumerate(entries):
            if not isinstance(name, str) or not SLUG_RE.match(name):
                continue  # the model reports bad ids
            field, target = f"{key}[{i}]", parent / name / file
            if name in seen:
                self.issue(
                    toml_path,
                    field,
                    f"duplicate id: {what} '{name}' is already listed at {key}[{seen[name]}]",
                    f"remove the second '{name}' from {key}",
                )
                continue
            seen[name] = i
            if not target.is_file():
                problem = f"has no {file}" if target.parent.is_dir() else "does not exist"
                self.issue(
                    toml_path,
                    field,
                    f"{what} folder '{name}' {problem}",
                    f"create {self.rel(target)} or remove '{name}' from {key}",
                )
        for sub in sorted(parent.iterdir()) if parent.is_dir() else []:
            if (sub / file).is_file() and sub.name not in seen:
                self.issue(
                    sub / file,
                    "",
                    f"this {what} is not listed in {key} of {self.rel(toml_path)}, so it is never shown",
                    f"add '{sub.name}' to {key} in {self.rel(toml_path)}, or delete the folder",
                    "warning",
                )
        return [n for n in seen if (parent / n / file).is_file()]

    def module(self, name: str) -> Module | None:
        path = self.root / name / "module.toml"
        raw = self.toml(path)
        if raw is None:
            return None
        head = self.model(ModuleToml, raw, path)
        names = self.children(raw, "lessons", path, path.parent, "lesson.toml", "lesson")
        lessons = [self.lesson(name, lesson) for lesson in names]
        if head is None or not all(lessons):
            return None
        return Module(id=name, title=head.title, summary=head.summary, lessons=lessons)

    def lesson(self, module: str, name: str) -> Lesson | None:
        lesson_id, folder = f"{module}/{name}", self.root / module / name
        path = folder / "lesson.toml"
        raw = self.toml(path)
        if raw is None:
            return None
        head = self.model(LessonToml, raw, path)
        self.markdown(folder)
        self.lesson_paths[lesson_id] = path
        raw_prereqs = raw.get("prerequisites", [])
        self.prereqs[lesson_id] = {
            i: p
            for i, p in enumerate(raw_prereqs if isinstance(raw_prereqs, list) else [])
            if isinstance(p, str)
            and len(p.split("/")) == 2
            and all(SLUG_RE.match(s) for s in p.split("/"))
        }
        names = self.children(
            raw, "exercises", path, folder / "exercises", "exercise.toml", "exercise"
        )
        exercises = [self.exercise(lesson_id, folder / "exercises" / n, head) for n in names]
        if head is None or not all(exercises):
            return None
        info = {k: getattr(head, k) for k in _LessonInfo.model_fields}
        return Lesson(**info, id=lesson_id, module_id=module, dir=folder, exercises=exercises)

    def markdown(self, folder: Path) -> None:
        counts: dict[str, int] = {}
        for lang, language in zip(LANGS, ("English", "Chinese"), strict=True):
            path = folder / f"lesson.{lang}.md"
            if not path.is_file():
                self.issue(
                    path,
                    "",
                    f"the lesson text in {language} is missing",
                    f"create {self.rel(path)}",
                )
                continue
            try:
                counts[lang], unclosed = count_code_blocks(path.read_text(encoding="utf-8"))
            except UnicodeDecodeError:
                self.issue(path, "", "the file is not UTF-8 text", "save it with UTF-8 encoding")
                continue
            if unclosed:
                self.issue(
                    path,
                    "code blocks",
                    "the last ``` code block is never closed",
                    "close it with a ``` line",
                    "warning",
                )
        if len(counts) == 2 and counts["en"] != counts["zh"]:
            self.issue(
                folder / "lesson.zh.md",
                "code blocks",
                f"lesson.en.md has {counts['en']} fenced code blocks but lesson.zh.md has {counts['zh']}",
                "keep the two languages in step: the same code blocks in the same order",
                "warning",
            )

    def exercise(self, lesson_id: str, folder: Path, lesson: LessonToml | None) -> Exercise | None:
        path = folder / "exercise.toml"
        raw = self.toml(path)
        if raw is None:
            return None
        kind = raw.get("kind")
        if kind not in ("code", "quiz"):
            problem = "is missing" if kind is None else f"{shown(kind)} is not a kind of exercise"
            self.issue(
                path,
                "kind",
                f"kind {problem}",
                'set kind = "code" (starter.py, solution.py, checks.py) or kind = "quiz"',
            )
            return None
        cls = CodeExerciseToml if kind == "code" else QuizExerciseToml
        head = self.model(cls, raw, path)
        if kind == "code":
            raw_names = raw.get("names", [])
            names = head.names if head else identifiers(raw_names)
            self.code_files(folder, names)
            if head is not None:
                self.hints_against_solution(folder, path, head.hints)
        else:
            self.quiz_files(folder, path, head)
        if head is None:
            return None
        skills = head.skills or (lesson.skills if lesson else [])
        runtime = CodeExercise if kind == "code" else QuizExercise
        return runtime(
            **{**dict(head), "skills": skills}, id=f"{lesson_id}/{folder.name}", dir=folder
        )

    def python(self, path: Path) -> ast.Module | None:
        """The parsed file, or None after reporting why it does not compile."""
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            # Compiling the tree (not the text again) adds the checks ast.parse skips,
            # e.g. `return` outside a function, without a second parse.
            compile(tree, str(path), "exec", dont_inherit=True)
            return tree
        except UnicodeDecodeError:
            self.issue(path, "", "the file is not UTF-8 text", "save it with UTF-8 encoding")
        except SyntaxError as exc:
            line = exc.lineno or 0
            code = f": {exc.text.strip()}" if exc.text and exc.text.strip() else ""
            self.issue(
                path,
                f"line {line}",
                f"syntax error: {exc.msg}{code}",
                f"correct the Python at line {line} (python -m py_compile {self.rel(path)} shows it)",
            )
        return None

    def code_files(self, folder: Path, names: list[str]) -> None:
        for file, role in (
            ("starter.py", "the learner's starting file"),
            ("solution.py", "the reference solution"),
            ("checks.py", "the hidden checks"),
        ):
            path = folder / file
            if not path.is_file():
                self.issue(
                    path, "", f"{file} ({role}) is missing", f"create {self.rel(path)} (see {DOCS})"
                )
                continue
            tree = self.python(path)
            if tree is None:
                continue
            if file == "checks.py":
                if not defines_check(tree):
                    self.issue(
                        path,
                        "",
                        "checks.py defines no check",
                        "decorate at least one function with @check(points=..., title={...})",
                    )
                continue
            missing = [n for n in names if n not in defined_names(tree)]
            if missing:
                severity: Severity = "error" if file == "solution.py" else "warning"
                self.issue(
                    path,
                    "names",
                    f"{file} does not define {', '.join(missing)} (listed in names of exercise.toml)",
                    f"define {', '.join(missing)} at the top level of {file}, or remove {'it' if len(missing) == 1 else 'them'} from names",
                    severity,
                )

    def hints_against_solution(self, folder: Path, path: Path, hints: dict[str, list[str]]) -> None:
        """Warn about a hint that pastes the solution instead of guiding towards it."""
        solution = folder / "solution.py"
        if not hints or not solution.is_file():
            return
        try:
            lines = solution_lines(solution.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            return  # reported by code_files
        for lang, texts in hints.items():
            for index, text in enumerate(texts):
                if hint_gives_away(text, lines):
                    copied = len(hint_copies(text, lines))
                    self.issue(
                        path,
                        f"hints.{lang}[{index}]",
                        f"the hint contains {copied} lines of solution.py",
                        "give the key idea, the formula or a skeleton and leave the decisive code to the learner (see Hints in docs/authoring.md)",
                        "warning",
                    )

    def quiz_files(self, folder: Path, path: Path, head: QuizExerciseToml | None) -> None:
        generator = folder / "generator.py"
        has_generator = generator.is_file()
        if has_generator and (tree := self.python(generator)) is not None:
            functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
            if "generate" not in functions:
                self.issue(
                    generator,
                    "generate",
                    "generator.py does not define generate(rng)",
                    'define def generate(rng): return {"params": {...}, "answer": ...}',
                )
        if head is None:
            return
        spec = head.quiz
        if spec.type == "numeric" and spec.answer is None and not has_generator:
            self.issue(
                path,
                "quiz.answer",
                "a numeric quiz needs a fixed answer or a generator.py",
                f"add answer = 3.5 under [quiz], or create {self.rel(generator)} defining generate(rng)",
            )
        if spec.type == "numeric" and spec.answer is not None and has_generator:
            self.issue(
                path,
                "quiz.answer",
                "the quiz has both a fixed answer and a generator.py",
                "remove answer (the generator returns it), or delete generator.py",
            )
        if has_generator:
            self.templates(path, spec)
        for i, choice in enumerate(spec.choices):
            if not choice.correct and choice.why is None:
                self.issue(
                    path,
                    f"quiz.choices[{i}].why",
                    "a wrong choice without why: a learner who picks it is told only that it is not correct",
                    'add why = { en = "...", zh = "..." }: why it is tempting, and why it is wrong',
                    "warning",
                )

    def templates(self, path: Path, spec: QuizSpec) -> None:
        """With a generator, texts are str.format templates: same placeholders in en and zh."""
        texts = {"quiz.question": spec.question}
        if spec.explanation:
            texts["quiz.explanation"] = spec.explanation
        for i, choice in enumerate(spec.choices):
            texts[f"quiz.choices[{i}]"] = {"en": choice.en, "zh": choice.zh}
            if choice.why:
                texts[f"quiz.choices[{i}].why"] = choice.why
        for name, text in texts.items():
            fields = {}
            for lang in LANGS:
                try:
                    fields[lang] = template_fields(text[lang])
                except ValueError as exc:
                    self.issue(
                        path,
                        f"{name}.{lang}",
                        f"not a valid template: {exc}",
                        "write literal braces as {{ and }}",
                    )
            if len(fields) == 2 and fields["en"] != fields["zh"]:
                self.issue(
                    path,
                    name,
                    f"en uses {sorted(fields['en'])} but zh uses {sorted(fields['zh'])}",
                    "use the same {placeholders} in both languages",
                )

    def check_prerequisites(self, pack_modules: set[str]) -> None:
        position = {lesson_id: i for i, lesson_id in enumerate(self.lesson_paths)}
        for lesson_id, targets in self.prereqs.items():
            path = self.lesson_paths[lesson_id]
            for i, target in targets.items():
                field = f"prerequisites[{i}]"
                if target.split("/")[0] not in pack_modules:
                    self.external.append(ExternalPrerequisite(path, field, lesson_id, target))
                elif target not in position:
                    close = difflib.get_close_matches(target, list(position), n=1, cutoff=0.75)
                    fix = (
                        f"did you mean '{close[0]}'?"
                        if close
                        else f"use an existing lesson id (module/lesson) or remove '{target}'"
                    )
                    self.issue(
                        path,
                        field,
                        f"unknown prerequisite '{target}': no such lesson in this pack",
                        fix,
                    )
                elif position[target] > position[lesson_id]:
                    self.issue(
                        path,
                        field,
                        f"prerequisite '{target}' comes after this lesson in course order",
                        "reorder lessons or modules so that prerequisites come first",
                        "warning",
                    )
        graph = {k: [t for t in v.values() if t in position] for k, v in self.prereqs.items()}
        for cycle in find_cycles(graph):
            self.issue(
                self.lesson_paths[cycle[0]],
                "prerequisites",
                "prerequisite cycle: " + " -> ".join(cycle) + " (each lesson requires the next)",
                "remove one prerequisite of the cycle so the lessons can be taken in order",
            )
