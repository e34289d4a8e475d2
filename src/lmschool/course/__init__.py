"""Course content: the pack format, its loading and its validation.

- :mod:`lmschool.course.model`: what the TOML files may say, and a loaded course.
- :mod:`lmschool.course.loader`: :func:`load_course`, :class:`Catalog`, the bundled pack.
- :mod:`lmschool.course.validate`: every static problem of a pack, as :class:`Issue`.
- :mod:`lmschool.course.quiz`: quiz variants per learner seed, and grading typed answers.

docs/authoring.md is the author's guide to the format.
"""

from lmschool.course.loader import Catalog, CourseError, bundled_pack_path, load_course
from lmschool.course.model import (
    CodeExercise,
    Course,
    Exercise,
    Lesson,
    Limits,
    Module,
    QuizExercise,
    QuizSpec,
    Text,
)
from lmschool.course.validate import Issue, validate_pack

__all__ = [
    "Catalog",
    "CodeExercise",
    "Course",
    "CourseError",
    "Exercise",
    "Issue",
    "Lesson",
    "Limits",
    "Module",
    "QuizExercise",
    "QuizSpec",
    "Text",
    "bundled_pack_path",
    "load_course",
    "validate_pack",
]
