"""Exercises in Jupyter: generated notebooks run headlessly (nbclient + ipykernel), and
ex.check() grades the learner's cell in the sandbox and records it like `lmschool check`."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from lmschool.cli import app
from lmschool.config import get_settings
from lmschool.notebook import defined_names, latest_cell_defining
from lmschool.store import open_database, repo
from tests.conftest import TESTPACK

STANDARDIZE = "basics/numpy-warmup/standardize"
SOLUTION = TESTPACK / "basics/numpy-warmup/exercises/standardize/solution.py"
runner = CliRunner()


def _write(home: Path, lang: str = "en") -> Path:
    result = runner.invoke(
        app, ["notebook", STANDARDIZE, "--course", str(TESTPACK), "--lang", lang]
    )
    assert result.exit_code == 0, result.output
    path = home / "workspace" / "tester" / "basics" / "numpy-warmup" / "standardize.ipynb"
    assert path.exists()
    return path


def _run(nb, cwd: Path):
    NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    ).execute()
    return nb


def _html(cell) -> str:
    return "".join(
        o.get("data", {}).get("text/html", "") + o.get("text", "") for o in cell.get("outputs", [])
    )


def _attempts() -> list:
    db = open_database(get_settings().db_url)
    try:
        with db.session() as s:
            learner = repo.get_or_create_learner(s, name="tester")
            return [(a.exercise_id, a.passed) for a in repo.list_attempts(s, learner_id=learner.id)]
    finally:
        db.dispose()


@pytest.mark.slow
def test_failing_then_passing_path_in_a_real_kernel(home: Path, tmp_path: Path) -> None:
    path = _write(home)
    nb = nbformat.read(str(path), as_version=4)
    cells = nb.cells
    mine = next(i for i, c in enumerate(cells) if "exercise" in c.metadata.get("tags", []))
    check = next(i for i, c in enumerate(cells) if c.source.strip() == "ex.check()")
    assert check > mine
    # 1) the starter as written: the checks fail, in the notebook's HTML, and are recorded
    _run(nb, tmp_path)
    out = _html(nb.cells[check])
    assert "✗" in out and "NotImplementedError" in out
    assert _attempts() == [(STANDARDIZE, False)]
    # 2) the learner writes a solution in their cell; a hint and then the solution
    nb.cells[mine].source = SOLUTION.read_text()
    nb.cells.append(nbformat.v4.new_code_cell("ex.hint()"))
    nb.cells.append(nbformat.v4.new_code_cell("ex.solution()"))
    _run(nb, tmp_path)
    out = _html(nb.cells[check])
    assert "✓" in out and "✗" not in out
    assert "Hint 1" in _html(nb.cells[-2])
    assert "def standardize" in _html(nb.cells[-1])  # unlocked by the pass
    assert sorted(_attempts()) == [(STANDARDIZE, False), (STANDARDIZE, True)]


def test_notebook_holds_the_lesson_prompt_and_starter_in_the_chosen_language(home: Path) -> None:
    path = _write(home, lang="zh")
    nb = json.loads(path.read_text())
    text = "".join("".join(c["source"]) for c in nb["cells"])
    assert "轮到你了" in text and "ex.check()" in text
    assert any(
        c["cell_type"] == "code" and "import numpy" in "".join(c["source"]) for c in nb["cells"]
    )
    again = runner.invoke(app, ["notebook", STANDARDIZE, "--course", str(TESTPACK)])
    assert again.exit_code == 1 and "already exists" in again.output  # work is never overwritten


def test_a_printed_script_in_a_check_result_is_escaped() -> None:
    from lmschool.grading.result import CheckResult, Result, SandboxInfo
    from lmschool.notebook import ResultView

    r = Result(
        exercise="e",
        passed=False,
        score=0,
        checks=[
            CheckResult(
                name="c",
                passed=False,
                points=0,
                max_points=1,
                message={"en": "<script>alert(1)</script>", "zh": "<script>"},
            )
        ],
        output="<img src=x onerror=alert(1)>",
        sandbox=SandboxInfo(isolated=True, backend="bwrap"),
    )
    page = ResultView(r, "en")._repr_html_()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<img" not in page


def test_the_latest_cell_defining_the_names_is_graded() -> None:
    history = ["import numpy as np", "def standardize(X):\n    return X", "x = 1", "print(x)"]
    assert latest_cell_defining(["standardize"], history) == history[1]
    assert latest_cell_defining(["Scaler"], history) is None
    assert {"f", "C", "y", "np"} <= defined_names(
        "import numpy as np\ndef f(): pass\nclass C: pass\ny: int = 2"
    )
