"""Mastery: BKT updates against hand-computed values, storage, and fitting parameters."""

from __future__ import annotations

from pathlib import Path

import pytest

from lmschool.cli.tools import right_answer, wrong_answer
from lmschool.config import get_settings
from lmschool.course import Catalog
from lmschool.grading.grader import seed_for
from lmschool.learning import Learning, load_catalog
from lmschool.planning.fitting import (
    MissingExtraError,
    attempt_log,
    fit_parameters,
    params_toml,
    pybkt_available,
    simulate,
)
from lmschool.planning.mastery import (
    BktConfig,
    BktParams,
    MasteryState,
    bkt_config,
    bkt_posterior,
    bkt_update,
    counts_as_evidence,
    learner_mastery,
    trace,
)
from tests.conftest import TESTPACK

DEFAULT = BktParams(p_init=0.2, p_learn=0.15, p_guess=0.2, p_slip=0.1)
MEAN_QUIZ = "basics/numpy-warmup/mean-quiz"
GRADIENT_QUIZ = "basics/torch-warmup/gradient-quiz"


# --- the update rule -----------------------------------------------------------------


def test_bkt_update_matches_hand_computed_values() -> None:
    # right from 0.2: posterior 0.2*0.9 / (0.2*0.9 + 0.8*0.2) = 0.18/0.34 = 9/17,
    # then 9/17 + (8/17)*0.15 = 0.6 exactly
    assert bkt_posterior(0.2, True, DEFAULT) == pytest.approx(9 / 17)
    assert bkt_update(0.2, True, DEFAULT) == pytest.approx(0.6)
    # wrong from 0.2: 0.02 / (0.02 + 0.8*0.8) = 1/33, then 1/33 + (32/33)*0.15 = 29/165
    assert bkt_posterior(0.2, False, DEFAULT) == pytest.approx(1 / 33)
    assert bkt_update(0.2, False, DEFAULT) == pytest.approx(29 / 165)
    # right again from 0.6: 0.54 / (0.54 + 0.4*0.2) = 27/31, then 27/31 + (4/31)*0.15 = 27.6/31
    assert bkt_update(0.6, True, DEFAULT) == pytest.approx(27.6 / 31)
    assert trace([True, True], DEFAULT) == pytest.approx(27.6 / 31)


def test_bkt_extremes_and_monotonicity() -> None:
    assert bkt_update(1.0, False, DEFAULT) == 1.0  # no forgetting
    assert bkt_update(0.0, True, DEFAULT) == pytest.approx(0.15)  # only learning
    for p in (0.05, 0.3, 0.7, 0.95):
        assert bkt_update(p, False, DEFAULT) < bkt_update(p, True, DEFAULT)


def test_mastered_needs_the_threshold_and_enough_attempts() -> None:
    config = BktConfig()
    assert config.mastered(MasteryState("s", 0.96, 3, 3))
    assert not config.mastered(MasteryState("s", 0.99, 2, 2))
    assert not config.mastered(MasteryState("s", 0.94, 9, 8))
    assert config.weak(MasteryState("s", 0.4, 2, 0)) and not config.weak(
        MasteryState("s", 0.4, 0, 0)
    )


def test_parameters_come_from_tracks_with_kind_and_skill_overrides() -> None:
    config = bkt_config(Catalog.load([TESTPACK], include_bundled=False))
    assert config.params("torch.tensors", "code") == DEFAULT
    assert config.params("torch.tensors", "quiz").p_guess == 0.25
    assert config.params("numpy.arrays", "quiz") == BktParams(0.2, 0.3, 0.25, 0.1)


def test_grader_failures_and_unreadable_quiz_answers_are_no_evidence() -> None:
    catalog = Catalog.load([TESTPACK], include_bundled=False)
    quiz, code = catalog.exercise(MEAN_QUIZ), catalog.exercise("basics/numpy-warmup/standardize")
    assert not counts_as_evidence(code, {"passed": False, "error": {"kind": "sandbox"}})
    assert not counts_as_evidence(quiz, {"passed": False, "error": {"kind": "syntax"}})
    assert counts_as_evidence(code, {"passed": False, "error": {"kind": "syntax"}})
    assert counts_as_evidence(quiz, {"passed": True, "error": None})


# --- updated after every graded attempt ---------------------------------------------------


def _answer(ex, learner: str, right: bool) -> str:  # noqa: ANN001
    pick = right_answer if right else wrong_answer
    return pick(ex, seed_for(learner, ex.id))


def test_each_graded_quiz_attempt_updates_mastery(home: Path) -> None:
    settings = get_settings()
    with Learning(settings, load_catalog(settings, [TESTPACK])) as L:
        quiz = L.catalog.exercise(GRADIENT_QUIZ)
        L.check_quiz(quiz, _answer(quiz, L.learner_name, right=True))
        L.check_quiz(quiz, "3,5")  # unreadable: refused, not evidence
        L.check_quiz(quiz, _answer(quiz, L.learner_name, right=False))
        with L.session() as s:
            states = learner_mastery(s, learner_id=L.learner_id)
    params = BktParams(0.2, 0.15, 0.25, 0.1)  # quiz guess rate from the test pack's tracks
    want = trace([True, False], params)
    assert set(states) == {"torch.tensors", "training.gradient-descent"}
    for state in states.values():
        assert state.attempts == 2 and state.correct == 1
        assert state.p_known == pytest.approx(want)


def test_fitted_parameters_can_come_from_the_database_log(home: Path) -> None:
    settings = get_settings()
    with Learning(settings, load_catalog(settings, [TESTPACK]), learner="ada") as L:
        quiz = L.catalog.exercise(MEAN_QUIZ)
        L.check_quiz(quiz, _answer(quiz, "ada", right=False))
        L.check_quiz(quiz, _answer(quiz, "ada", right=True))
        with L.session() as s:
            log = attempt_log(s, catalog=L.catalog)
    assert log == [
        (str(L.learner_id), "numpy.arrays", False),
        (str(L.learner_id), "numpy.arrays", True),
    ]


# --- fitting -----------------------------------------------------------------------------

TRUE = BktParams(p_init=0.3, p_learn=0.2, p_guess=0.15, p_slip=0.08)


def _close(got: BktParams, want: BktParams, tol: float) -> None:
    for name in ("p_init", "p_learn", "p_guess", "p_slip"):
        assert abs(getattr(got, name) - getattr(want, name)) < tol, (name, got, want)


def test_builtin_em_recovers_parameters_from_synthetic_data() -> None:
    log = simulate(TRUE, learners=1500, attempts=12, seed=1)
    fits = fit_parameters(log, backend="builtin")
    assert list(fits) == ["skill"] and fits["skill"].learners == 1500
    _close(fits["skill"].params, TRUE, tol=0.03)
    assert fit_parameters(log, backend="builtin") == fits  # deterministic
    assert '[bkt.skills."skill"]' in params_toml(fits)


def test_skills_with_too_few_learners_are_left_out() -> None:
    assert fit_parameters(simulate(TRUE, learners=3, attempts=5), backend="builtin") == {}


@pytest.mark.skipif(
    not pybkt_available(),
    reason="pyBKT is not installed (optional extra: pip install 'lmschool[bkt]')",
)
def test_pybkt_recovers_the_same_parameters() -> None:
    log = simulate(TRUE, learners=300, attempts=8, seed=2)
    fits = fit_parameters(log, backend="pybkt", restarts=1)
    ours = fit_parameters(log, backend="builtin")
    _close(fits["skill"].params, ours["skill"].params, tol=0.01)
    _close(fits["skill"].params, TRUE, tol=0.06)


def test_pybkt_backend_without_pybkt_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pybkt(name: str, *args: object, **kwargs: object):  # noqa: ANN202
        if name.startswith("pyBKT"):
            raise ImportError("No module named 'pyBKT'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pybkt)
    with pytest.raises(MissingExtraError, match=r"pip install 'lmschool\[bkt\]'"):
        fit_parameters(simulate(TRUE, learners=10, attempts=3), backend="pybkt")
