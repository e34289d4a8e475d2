"""Every lesson of every pack: both languages say the same thing, and its code runs.

- zh and en texts have the same section structure (headings per level), identical
  code blocks, and the same math blocks count;
- every ```python block of the English text runs, in order, in one fresh interpreter
  per lesson (blocks of a lesson share state, as in a notebook), with a headless
  matplotlib and the data folder of the environment.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from lmschool.course import Catalog
from tests.conftest import TESTPACK, data_marks

CATALOG = Catalog.load([TESTPACK], include_bundled=True)
LESSONS = [lesson for course in CATALOG.courses for lesson in course.lessons()]
MD = MarkdownIt("commonmark")


def _structure(text: str) -> tuple[list[str], list[tuple[str, str]], int]:
    tokens = MD.parse(text)
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    code = [(t.info.strip(), t.content.strip()) for t in tokens if t.type == "fence"]
    display_math = text.count("$$")
    return headings, code, display_math


def _code_shape(lang: str, code: str) -> str:
    """Python code's syntax tree with string constants blanked: comments and messages may be translated."""
    if lang.split(" ")[0] != "python":
        return code
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
        if isinstance(node, ast.JoinedStr):
            node.values = []
    return ast.dump(tree)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_both_languages_have_the_same_structure(lesson) -> None:  # noqa: ANN001
    en, zh = lesson.text("en"), lesson.text("zh")
    h_en, code_en, math_en = _structure(en)
    h_zh, code_zh, math_zh = _structure(zh)
    assert h_en == h_zh, f"{lesson.id}: sections differ between lesson.en.md and lesson.zh.md"
    assert [lang for lang, _ in code_en] == [lang for lang, _ in code_zh], (
        f"{lesson.id}: code block languages differ"
    )
    assert [_code_shape(lang, c) for lang, c in code_en] == [
        _code_shape(lang, c) for lang, c in code_zh
    ], (
        f"{lesson.id}: code blocks must be the same code in both languages (comments and strings may be translated)"
    )
    assert math_en == math_zh, f"{lesson.id}: display math blocks differ"
    assert len(zh) > 0.2 * len(en), f"{lesson.id}: the Chinese text looks incomplete"


def _python_blocks(text: str) -> list[str]:
    """Blocks fenced as ```python run; ```python no-run is shown only (e.g. the source's TensorFlow code)."""
    return [
        t.content
        for t in MD.parse(text)
        if t.type == "fence" and t.info.split()[:1] == ["python"] and "no-run" not in t.info.split()
    ]


RUNNABLE = [lesson for lesson in LESSONS if _python_blocks(lesson.text("en"))]


@pytest.mark.parametrize(
    "lesson",
    [pytest.param(lesson, id=lesson.id, marks=data_marks(lesson.datasets)) for lesson in RUNNABLE],
)
def test_lesson_code_blocks_run(lesson, tmp_path: Path) -> None:  # noqa: ANN001
    blocks = _python_blocks(lesson.text("en"))
    script = "\n\n".join(f"# --- block {i + 1}\n{block}" for i, block in enumerate(blocks))
    (tmp_path / "lesson.py").write_text(script, encoding="utf-8")
    src = str(Path(__file__).resolve().parents[1] / "src")
    pythonpath = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "MPLBACKEND": "Agg", "OMP_NUM_THREADS": "1", "PYTHONPATH": pythonpath}
    proc = subprocess.run(
        [sys.executable, "lesson.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, f"{lesson.id}: a code block failed:\n{proc.stderr[-3000:]}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_lesson_data_sets_are_in_the_registry(lesson) -> None:  # noqa: ANN001
    from lmschool.ml.datasets import REGISTRY

    unknown = [name for name in lesson.datasets if name not in REGISTRY]
    assert not unknown, f"{lesson.id}: datasets {unknown} are not in lmschool.ml.datasets.REGISTRY"
