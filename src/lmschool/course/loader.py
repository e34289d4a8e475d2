"""Loading course packs: one pack (:func:`load_course`) or several (:class:`Catalog`).

A catalog is what the CLI, the web app and the planner see: the bundled pack plus any
packs on ``LMSCHOOL_COURSE_PATH``. Ids are global within it, so two packs may not share
a course or module id, and a prerequisite may point into any pack of the catalog.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from lmschool.course.model import Course, Exercise, Lesson, unknown_id
from lmschool.course.validate import Issue, PackReport, display_path, find_cycles, read_pack


class CourseError(Exception):
    """A pack (or a catalog of packs) is invalid; ``issues`` says every problem."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        errors = [i for i in issues if i.severity == "error"]
        lines = "\n".join(f"  {i}" for i in errors)
        super().__init__(f"{len(errors)} problem(s) in course content:\n{lines}")


def bundled_pack_path() -> Path:
    """The pack shipped inside the package: ``lmschool/courses/lmschool``."""
    return Path(__file__).resolve().parent.parent / "courses" / "lmschool"


CACHE_VERSION = 1


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lmschool" / "packs"


def _fingerprint(root: Path) -> str:
    """Every file of the pack (name, size, modification time) and the content model's code."""
    h = hashlib.sha256(f"{CACHE_VERSION}\0{root}".encode())
    here = Path(__file__).resolve().parent
    for code in (here / "model.py", here / "validate.py", here / "loader.py"):
        st = code.stat()
        h.update(f"{code.name}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            st = os.stat(os.path.join(folder, name))
            rel = os.path.relpath(os.path.join(folder, name), root)
            h.update(f"{rel}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return h.hexdigest()


_MEMO: dict[str, PackReport] = {}


def _remember(key: str, report: PackReport) -> PackReport:
    """Keep a clean pack's reading in memory too (a few, newest last)."""
    while len(_MEMO) >= 8:
        _MEMO.pop(next(iter(_MEMO)))
    _MEMO[key] = report
    return report


def read_pack_cached(path: Path | str) -> PackReport:
    """``read_pack``, from a cache when no file of the pack changed since the last read.

    Reading a pack validates every file (it compiles every exercise's Python), which
    took most of a command's start; a pack without any issue is cached as JSON in the
    user's cache folder, keyed by the names, sizes and times of all its files and of
    the content model's code. Any change to the pack reads it afresh.
    """
    root = Path(path).expanduser().resolve()
    if not root.is_dir():
        return read_pack(root)
    try:
        key = _fingerprint(root)
    except OSError:
        return read_pack(root)
    if key in _MEMO:  # read before by this process (the command daemon, tests)
        return _MEMO[key]
    cache = _cache_dir() / f"{key}.json"
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        course = Course.model_validate(data["course"])
        if course.root == root:
            return _remember(key, PackReport(root, course))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    report = read_pack(root)
    if report.course is not None and not report.issues and not report.external:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(
                json.dumps({"course": report.course.model_dump(mode="json")}), encoding="utf-8"
            )
            os.replace(tmp, cache)
        except OSError:
            pass  # a cache is an optimisation
        return _remember(key, report)
    return report


def load_course(path: Path | str) -> Course:
    """The course pack at ``path``; :class:`CourseError` lists every problem if invalid."""
    report = read_pack(path)
    if report.course is None:
        raise CourseError(report.issues)
    return report.course


class Catalog:
    """Several course packs, searched together in the order given."""

    def __init__(self, courses: Iterable[Course], warnings: Iterable[Issue] = ()) -> None:
        self.courses = list(courses)
        self.warnings = list(warnings)
        self._course_of: dict[str, Course] = {}  # lesson and exercise ids -> course
        for course in self.courses:
            for lesson in course.lessons():
                self._course_of[lesson.id] = course
                for ex in lesson.exercises:
                    self._course_of[ex.id] = course

    @classmethod
    def load(cls, paths: Iterable[Path | str], include_bundled: bool = True) -> Catalog:
        """Load every pack (the bundled one first); :class:`CourseError` if any is invalid."""
        wanted = [bundled_pack_path()] if include_bundled else []
        wanted += [Path(p).expanduser().resolve() for p in paths]
        unique = list(dict.fromkeys(p.resolve() for p in wanted))  # a pack named twice loads once
        reports = [read_pack_cached(p) for p in unique]
        issues = [i for r in reports for i in r.issues] + _cross_pack_issues(reports)
        if any(i.severity == "error" for i in issues):
            raise CourseError(issues)
        return cls([r.course for r in reports if r.course is not None], issues)

    def course(self, id: str) -> Course:
        for course in self.courses:
            if course.id == id:
                return course
        raise unknown_id("course", id, [c.id for c in self.courses], "the catalog")

    def lessons(self) -> list[Lesson]:
        return [lesson for course in self.courses for lesson in course.lessons()]

    def exercises(self) -> list[Exercise]:
        return [ex for course in self.courses for ex in course.exercises()]

    def course_of(self, id: str) -> Course:
        """The course holding the lesson or exercise ``id``."""
        try:
            return self._course_of[id]
        except KeyError:
            raise unknown_id("lesson or exercise", id, self._course_of, "the catalog") from None

    def lesson(self, id: str) -> Lesson:
        if id not in self._course_of:
            raise unknown_id("lesson", id, [le.id for le in self.lessons()], "the catalog")
        return self._course_of[id].lesson(id)

    def exercise(self, id: str) -> Exercise:
        if id not in self._course_of:
            raise unknown_id("exercise", id, [ex.id for ex in self.exercises()], "the catalog")
        return self._course_of[id].exercise(id)

    def next_exercise(self, id: str) -> Exercise | None:
        """The exercise after ``id`` in its course, or None after the course's last one."""
        return self.course_of(self.exercise(id).id).next_exercise(id)


def _cross_pack_issues(reports: list[PackReport]) -> list[Issue]:
    """Duplicate ids between packs, prerequisites resolved in no pack, cycles across packs."""
    issues: list[Issue] = []
    course_ids: dict[str, Path] = {}
    module_ids: dict[str, Path] = {}
    for report in reports:
        if report.course is None:
            continue
        course, path = report.course, report.root / "course.toml"
        if course.id in course_ids:
            issues.append(
                Issue(
                    path,
                    "id",
                    f"duplicate id: course '{course.id}' is also the id of {display_path(course_ids[course.id])}",
                    "give one of the two packs another id",
                )
            )
        course_ids.setdefault(course.id, report.root)
        for i, module in enumerate(course.modules):
            if module.id in module_ids:
                issues.append(
                    Issue(
                        path,
                        f"modules[{i}]",
                        f"duplicate id: module '{module.id}' is also a module of {display_path(module_ids[module.id])}",
                        "rename the module folder in one of the packs (module ids are global)",
                    )
                )
            module_ids.setdefault(module.id, report.root)

    lessons = {le.id: le for r in reports if r.course for le in r.course.lessons()}
    for report in reports:
        for ext in report.external:
            if ext.target not in lessons:
                close = difflib.get_close_matches(ext.target, list(lessons), n=1)
                fix = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "add the pack that defines it to the course path, or remove it"
                )
                issues.append(
                    Issue(
                        ext.path,
                        ext.field,
                        f"prerequisite '{ext.target}' is in no loaded pack",
                        fix,
                    )
                )
    if len(reports) > 1:  # cycles inside one pack were reported by read_pack
        graph = {le.id: [p for p in le.prerequisites if p in lessons] for le in lessons.values()}
        for cycle in find_cycles(graph):
            if len({lessons[x].dir.parent.parent for x in cycle}) > 1:
                issues.append(
                    Issue(
                        lessons[cycle[0]].dir / "lesson.toml",
                        "prerequisites",
                        "prerequisite cycle across packs: " + " -> ".join(cycle),
                        "remove one prerequisite of the cycle so the lessons can be taken in order",
                    )
                )
    return issues
