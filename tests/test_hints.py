"""Hints guide; they never paste the solution.

`lmschool hint` reveals the hints of an exercise one by one, and the solution itself
unlocks only after several failed attempts. A hint that contains the key lines of
solution.py hands the answer over early and turns the exercise into copying. The rule
(docs/authoring.md, "Hints") is checked here on every code exercise of the bundled
pack, in both languages, and `lmschool author validate` warns about it for any pack.

How "pasting" is measured (lmschool.course.diagnostics):

- solution.py is reduced to its non-trivial lines: no blank lines, comments, docstrings,
  imports, ``def``/``class`` headers, decorators, ``return self`` or ``pass``, and no
  line shorter than 12 characters once whitespace is removed (``h = h0``,
  ``opt.step()`` and the like appear in any answer and give nothing away);
- a hint "contains" such a line when the line, without whitespace, occurs in the hint
  without whitespace (backticks dropped, quote style ignored), so a line pasted into
  prose with ``;`` between statements is found too;
- a hint fails when it contains 3 or more of those lines, or 2 that make up at least
  30% of them: in a solution of five lines, two lines are the answer.

This is a floor, not a proof: a hint can still give an answer away in other words.
It exists so that the obvious case (a hint that is the function body) cannot come
back unnoticed.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from lmschool.course.diagnostics import hint_copies, hint_gives_away, solution_lines
from lmschool.course.validate import validate_pack

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "src" / "lmschool" / "courses" / "lmschool"
CODE_EXERCISES = sorted(
    path.parent
    for path in PACK.glob("*/*/exercises/*/exercise.toml")
    if tomllib.loads(path.read_text(encoding="utf-8")).get("kind") == "code"
)

SOLUTION = '''
import numpy as np


def rnn_forward(x, h0, W_xh, W_hh, b_h):
    """Run the recurrence; returns (outputs, last state)."""
    h = np.asarray(h0, dtype=np.float64)  # (N, H)
    outputs = []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ W_xh.T + h @ W_hh.T + b_h)
        outputs.append(h)
    return np.stack(outputs), h
'''


def test_solution_lines_leave_out_what_gives_nothing_away() -> None:
    lines = solution_lines(SOLUTION)
    assert lines == [
        "h=np.asarray(h0,dtype=np.float64)",
        "fortinrange(x.shape[0]):",
        "h=np.tanh(x[t]@W_xh.T+h@W_hh.T+b_h)",
        "outputs.append(h)",
        "returnnp.stack(outputs),h",
    ]


def test_a_hint_that_is_the_function_body_gives_it_away() -> None:
    lines = solution_lines(SOLUTION)
    pasted = (
        "h = h0; outputs = []; for t in range(x.shape[0]): "
        "h = np.tanh(x[t] @ W_xh.T + h @ W_hh.T + b_h); outputs.append(h)."
    )
    assert len(hint_copies(pasted, lines)) == 3
    assert hint_gives_away(pasted, lines)


def test_two_key_lines_of_a_short_solution_give_it_away() -> None:
    lines = solution_lines(SOLUTION)  # 5 lines: 2 of them are 40%
    hint = "`for t in range(x.shape[0]):` and `h = np.tanh(x[t] @ W_xh.T + h @ W_hh.T + b_h)`"
    assert hint_gives_away(hint, lines)


def test_a_hint_that_guides_passes() -> None:
    lines = solution_lines(SOLUTION)
    guide = (
        "Keep one variable h that starts as h0 and is overwritten at every step; with a batch "
        "in rows, W_hh h_{t-1} becomes h @ W_hh.T. The tanh wraps the whole sum, bias included."
    )
    assert not hint_gives_away(guide, lines)
    assert not hint_gives_away("Use `np.stack(outputs)` at the end.", lines)


@pytest.mark.parametrize("folder", CODE_EXERCISES, ids=lambda f: f.relative_to(PACK).as_posix())
def test_no_hint_pastes_the_solution(folder: Path) -> None:
    raw = tomllib.loads((folder / "exercise.toml").read_text(encoding="utf-8"))
    lines = solution_lines((folder / "solution.py").read_text(encoding="utf-8"))
    pasted = [
        f"hints.{lang}[{i}] contains {hint_copies(text, lines)}"
        for lang, texts in raw.get("hints", {}).items()
        for i, text in enumerate(texts)
        if hint_gives_away(text, lines)
    ]
    assert not pasted, (
        "a hint pastes solution.py; give the idea, the formula or a skeleton instead:\n"
        + "\n".join(pasted)
    )


def test_validate_warns_about_a_pasted_hint(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "tests" / "packs" / "basics", pack)
    assert not [i for i in validate_pack(pack) if i.field.startswith("hints")]
    exercise = pack / "basics" / "numpy-warmup" / "exercises" / "running-mean"
    toml = exercise / "exercise.toml"
    old = '"End `update` with `return self`; `reset` sets the count back to 0.",'
    pasted = (
        '"x = np.asarray(x, dtype=np.float64).ravel(); total = self.count_ + x.size; '
        'self._mean += (x.mean() - self._mean) * x.size / total; self.count_ = int(total)",'
    )
    text = toml.read_text(encoding="utf-8")
    assert old in text
    toml.write_text(text.replace(old, pasted), encoding="utf-8")
    issues = [i for i in validate_pack(pack) if i.field.startswith("hints")]
    assert [(i.field, i.severity) for i in issues] == [("hints.en[2]", "warning")]
    assert "4 lines of solution.py" in issues[0].message
