"""The capstone labs' quality bars: the reference clears them, the majority class and a naive pipeline do not.

The grading (pipeline/capstone/labkit.py) is replayed in-process, without the sandbox,
on a few learner seeds. Over 100 seeds (measured when the bars were set) the
reference's worst scores were: medicine accuracy 0.947 / sensitivity 0.915 (bars
0.93 / 0.90), finance 0.741 (bar 0.72), education 0.770 (0.75), logistics 0.735
(0.72); the naive pipeline (NaN -> 0, category codes as numbers, no scaling, no class
weights) never passed a generated lab (best 0.699, 0.727, 0.702).
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

CAPSTONE = Path(__file__).resolve().parents[1] / "src/lmschool/courses/lmschool/pipeline/capstone"
sys.path.insert(0, str(CAPSTONE))
import labkit  # noqa: E402

SEEDS = [11, 2024]


def _reference(key: str):
    path = CAPSTONE / "exercises" / f"lab-{key}" / "solution.py"
    spec = importlib.util.spec_from_file_location(f"capstone_solution_{key}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Pipeline


def _scores(lab: labkit.Lab, seed: int, make) -> dict[str, float]:
    X, y, _ = lab.data(seed)
    pred = np.empty(len(y), dtype=np.int64)
    tested = np.zeros(len(y), dtype=bool)
    for train, test in labkit._split(lab, seed):
        pred[test] = make().fit(X[train], y[train]).predict(X[test])
        tested[test] = True
    return labkit.metrics(y[tested], pred[tested])


class _Naive:
    def fit(self, X, y):
        from sklearn.linear_model import LogisticRegression

        self.model = LogisticRegression(max_iter=300).fit(np.nan_to_num(X), y)
        return self

    def predict(self, X):
        return self.model.predict(np.nan_to_num(X))


class _Majority:
    def fit(self, X, y):
        self.label = int(np.mean(y) >= 0.5)
        return self

    def predict(self, X):
        return np.full(len(X), self.label)


@pytest.mark.parametrize("key", sorted(labkit.LABS))
def test_reference_clears_the_bar_and_baselines_do_not(key: str) -> None:
    lab = labkit.LABS[key]
    ref = _reference(key)
    for seed in SEEDS:
        got = _scores(lab, seed, ref)
        for metric, bar in lab.bars.items():
            assert got[metric] >= bar + 0.01, (
                f"{key} seed {seed}: reference {metric} {got[metric]:.3f}"
            )
        majority = _scores(lab, seed, _Majority)
        assert any(majority[m] < bar for m, bar in lab.bars.items())
        if lab.categorical:  # the generated labs: the naive pipeline must fail too
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                naive = _scores(lab, seed, _Naive)
            assert any(naive[m] < bar - 0.01 for m, bar in lab.bars.items()), (key, naive)


def test_medicine_data_has_missing_values_and_disease_as_positive() -> None:
    X, y, names = labkit.medicine_data(5)
    assert X.shape == (569, 30) and len(names) == 30
    assert int(y.sum()) == 212  # malignant = 1
    assert (np.isnan(X).any(axis=0)).sum() == 10 and 0.05 < np.isnan(X).mean() * 3 < 0.12
