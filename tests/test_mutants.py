"""The mutation operators of bench/mutation.py (make mutants): which mutants, their ids, their source.

Nothing is graded here; bench/mutants.py grades the mutants of every reference solution.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from mutants import report  # noqa: E402  (bench/mutants.py: its report only, nothing graded)
from mutation import OPERATORS, mutants  # noqa: E402

SOURCE = '''\
import numpy as np


def center(X: np.ndarray, k: int = 2, *, flag=True) -> np.ndarray:
    """Docstring with 3 numbers: 1.5."""
    if X.ndim != 2 or not flag:
        raise ValueError(f"need 2-D, got {X.ndim + 1}")
    mu = X.mean(axis=0, keepdims=True)
    total = 0.0
    for i in range(k):
        total += X[i:, -1].sum() * 0.5
    return (X - mu) / X.std(axis=-1)[: k] + total
'''

# Every mutant of SOURCE: its id and the changed expression (with its parent when it is short).
EXPECTED = {
    "11:8:arith:+->-": "total -= X[i:, -1].sum() * 0.5",
    "11:17:arith:*->/": "X[i:, -1].sum() / 0.5",
    "12:11:arith:+->-": "(X - mu) / X.std(axis=-1)[:k] - total",
    "12:11:arith:/->*": "(X - mu) * X.std(axis=-1)[:k]",
    "12:12:arith:-->+": "(X + mu) / X.std(axis=-1)[:k]",
    "6:7:compare:!=->==": "X.ndim == 2 or not flag",
    "6:7:bool:or->and": "X.ndim != 2 and (not flag)",
    "6:22:bool:not->": "X.ndim != 2 or flag",
    "10:13:slice:range-stop+1": "range(k + 1)",
    "10:13:slice:range-stop-1": "range(k - 1)",
    "11:19:slice:lower+1": "X[i + 1:, -1].sum() * 0.5",
    "11:19:slice:lower-1": "X[i - 1:, -1].sum() * 0.5",
    "11:19:slice:upper=-1": "X[i:-1, -1].sum() * 0.5",
    "12:37:slice:lower=1": "X.std(axis=-1)[1:k]",
    "12:37:slice:upper+1": "X.std(axis=-1)[:k + 1]",
    "12:37:slice:upper-1": "X.std(axis=-1)[:k - 1]",
    "11:17:drop:a*b->a": "X[i:, -1].sum()",
    "11:17:drop:a*b->b": "0.5",
    "12:11:drop:a+b->a": "(X - mu) / X.std(axis=-1)[:k]",
    "12:11:drop:a+b->b": "total",
    "12:11:drop:a/b->a": "X - mu",
    "12:12:drop:a-b->a": "X / X.std(axis=-1)[:k]",
    "8:9:axis:axis=0->1": "X.mean(axis=1, keepdims=True)",
    "8:9:axis:axis=0->-1": "X.mean(axis=-1, keepdims=True)",
    "8:9:axis:axis->": "X.mean(keepdims=True)",
    "8:9:axis:keepdims->": "X.mean(axis=0)",
    "12:22:axis:axis=-1->0": "X.std(axis=0)[:k]",
    "12:22:axis:axis->": "X.std()[:k]",
    "6:17:const:2->3": "X.ndim != 3 or not flag",
    "8:33:const:True->False": "X.mean(axis=0, keepdims=False)",
    "9:12:const:0.0->1.0": "total = 1.0",
    "11:23:const:-1->0": "X[i:, 0].sum() * 0.5",
    "11:35:const:0.5->0.75": "X[i:, -1].sum() * 0.75",
    "11:23:neg:-x->x": "X[i:, 1].sum() * 0.5",
    "12:33:neg:-x->x": "X.std(axis=1)[:k]",
}


def test_every_operator_makes_the_expected_mutants() -> None:
    got = {m.id: m.after for m in mutants(SOURCE)}
    assert got == EXPECTED
    assert {m.id.split(":")[2] for m in mutants(SOURCE)} == {op.name for op in OPERATORS}


def test_ids_are_unique_and_stable() -> None:
    first, second = mutants(SOURCE), mutants(SOURCE)
    assert [m.id for m in first] == [m.id for m in second]
    assert [m.source for m in first] == [m.source for m in second]
    assert len({m.id for m in first}) == len(first)
    # Ids name places in the file, so code added above moves them by its lines only.
    shifted = {m.id: m.after for m in mutants("X = 1\n\n" + SOURCE)}
    assert shifted == {_moved(mid, 2): after for mid, after in EXPECTED.items()}


def _moved(mutant_id: str, lines: int) -> str:
    line, rest = mutant_id.split(":", 1)
    return f"{int(line) + lines}:{rest}"


# The mutants that compute what SOURCE computes on a 4 x 4 matrix with k = 4, and why.
SAME_ON_SQUARE = {
    "6:7:bool:or->and",  # X is 2-D and flag is true: neither condition raises
    "10:13:slice:range-stop+1",  # X[4:, -1] of a 4-row matrix is empty: it adds 0
    "12:37:slice:upper+1",  # [:5] of 4 values is all of them
    "8:9:axis:keepdims->",  # a (4,) mean broadcasts over the rows as (1, 4) does
    "8:33:const:True->False",  # the same as dropping keepdims
    "12:33:neg:-x->x",  # axis=1 is axis=-1 of a 2-D array
}


def test_each_mutant_is_one_change_that_unparses_and_runs() -> None:
    original = ast.unparse(ast.parse(SOURCE))
    sources = [m.source for m in mutants(SOURCE)]
    assert len(set(sources)) == len(sources)  # duplicates are dropped
    X = np.arange(16.0).reshape(4, 4) ** 1.5
    want = _run(original, X)
    same = set()
    for m in mutants(SOURCE):
        assert m.source != original
        assert ast.unparse(ast.parse(m.source)) == m.source  # a round trip changes nothing
        assert m.after in m.source
        try:
            if np.array_equal(_run(m.source, X), want):
                same.add(m.id)
        except (ValueError, IndexError):
            pass  # a mutant that crashes differs too
    assert same == SAME_ON_SQUARE


def _run(source: str, X: np.ndarray):
    namespace: dict = {}
    exec(compile(source, "<mutant>", "exec"), namespace)  # test-only: trusted source
    return namespace["center"](X, 4)


@pytest.mark.parametrize(
    "source",
    [
        "import math\nX = 1 + 2\n",  # module level: not a learner's code path
        'def f(x: "int" = 1 + 2):\n    """3 + 4"""\n    raise ValueError(f"{x + 1}")\n',
        "def f(x):\n    assert x, 'a' + 'b'\n    return x\n",
    ],
)
def test_what_is_never_mutated(source: str) -> None:
    assert mutants(source) == []


def test_the_report_scores_killed_over_graded_minus_equivalent() -> None:
    rows = [
        {"id": "1:0:arith:+->-", "diff": "a + b -> a - b", "outcome": "killed", "by": "values"},
        {"id": "2:0:const:0->1", "diff": "0 -> 1", "outcome": "killed", "by": "error:timeout"},
        {"id": "3:0:compare:<-><=", "diff": "a < b -> a <= b", "outcome": "survived", "by": ""},
        {"id": "4:0:neg:-x->x", "diff": "-x -> x", "outcome": "survived", "by": ""},
        {"id": "5:0:bool:not->", "diff": "not a -> a", "outcome": "not graded", "by": "sandbox"},
    ]
    store = {"m/l/ex": {"mutants": rows, "total": 9, "fingerprint": "x"}}
    equivalent = {"m/l/ex": {"3:0:compare:<-><=": "never equal", "1:0:arith:+->-": "stale"}}
    text = report(store, equivalent, [])
    # 4 graded, 2 killed (50%); 1 equivalent survivor: 2 killed of 3 = 67%. The killed
    # "equivalent" is flagged.
    assert "| m/l/ex | 9 | 4 | 1 | 1 | 1 | 1 | 50% | 67% |" in text
    assert "**below goal**" in text and "sampled 5 of 9" in text and "1 not graded" in text
    assert "listed as equivalent but killed: 1:0:arith:+->-" in text
    assert "- `4:0:neg:-x->x`: `-x -> x`" in text
    assert "3:0:compare" not in text.split("## Surviving mutants")[1]
