"""The lab kit (lmschool.grading.labkit), called directly: no sandbox.

A learner's model is played by a Python object behind a :class:`RemoteObject` handle
whose client runs its methods in-process, turns a returned ``self`` into the handle and
the exceptions it raises into :class:`LearnerError`, as the sandbox's proxy does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from lmschool.grading import labkit as kit
from lmschool.grading.checks import CheckFailure, Context
from lmschool.grading.proxy import LearnerError, RemoteObject
from lmschool.i18n import LANGS


class _Client:
    """Runs a handle's methods on a local object, as the sandbox would."""

    def __init__(self, obj: Any) -> None:
        self.obj = obj
        self.handle = RemoteObject(self, 1, type(obj).__name__)  # type: ignore[arg-type]

    def request(self, req: dict[str, Any], method_of: Any = None, attr: str = "") -> Any:
        assert req["op"] == "getattr"
        method = getattr(self.obj, req["name"])

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                out = method(*args, **kwargs)
            except Exception as exc:
                mro = [c.__name__ for c in type(exc).__mro__]
                raise LearnerError(type(exc).__name__, mro, str(exc), "") from None
            return self.handle if out is self.obj else out

        return call


def learner(obj: Any) -> RemoteObject:
    return _Client(obj).handle


def failure(fn: Callable[[], Any]) -> dict[str, str]:
    """Run a helper that must fail; its message, checked to be bilingual and shown as written."""
    with pytest.raises(CheckFailure) as info:
        fn()
    text = info.value.message.both()
    assert set(text) == set(LANGS)
    assert text["en"].strip() and text["zh"].strip() and text["en"] != text["zh"]
    return text


class Standardising:
    """A classifier whose predict standardises with the batch it is given (a classic bug)."""

    def __init__(self, per_batch: bool = True, returns: str = "self", fit_raises: bool = False):
        self.per_batch, self.returns, self.fit_raises = per_batch, returns, fit_raises

    def fit(self, X, y):
        if self.fit_raises:
            raise ValueError("Input X contains NaN.")
        self.mean_, self.std_ = X.mean(axis=0), X.std(axis=0)
        Z = (X - self.mean_) / self.std_
        self.w_ = np.linalg.lstsq(Z, 2.0 * y - 1.0, rcond=None)[0]
        return {"self": self, "none": None, "other": Standardising()}[self.returns]

    def predict(self, X):
        if not hasattr(self, "w_"):
            raise RuntimeError("not fitted")
        if self.per_batch and len(X) > 1:
            Z = (X - X.mean(axis=0)) / X.std(axis=0)
        else:
            Z = (X - self.mean_) / self.std_
        return (Z @ self.w_ > 0).astype(int)


def _data(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3)) + np.array([5.0, -2.0, 0.0])
    return X, (X[:, 0] - 5.0 + 0.5 * X[:, 1] + 1.0 > 0).astype(int)


# --- hidden splits ----------------------------------------------------------------------


def test_stratified_split_keeps_each_class_share_and_is_a_partition() -> None:
    y = np.repeat(np.arange(4), [10, 21, 33, 7])
    train, test = kit.stratified_split(np.random.default_rng(3), y, 0.7)
    assert sorted(np.concatenate([train, test]).tolist()) == list(range(len(y)))
    for k, n_k in enumerate([10, 21, 33, 7]):
        assert np.sum(y[train] == k) == round(0.7 * n_k)
    again = kit.stratified_split(np.random.default_rng(3), y, 0.7)
    assert all(np.array_equal(a, b) for a, b in zip((train, test), again, strict=True))
    other = kit.stratified_split(np.random.default_rng(4), y, 0.7)
    assert not np.array_equal(train, other[0])


def test_stratified_halves_match_the_formula_the_labs_have_always_used() -> None:
    y = np.array([0, 1] * 30 + [1] * 9)
    rng, old = np.random.default_rng(11), np.random.default_rng(11)
    a, b = kit.stratified_halves(rng, y)
    # the breast-cancer lab's _halves before the kit: the hidden splits must not move
    parts: tuple[list, list] = ([], [])
    for label in (0, 1):
        idx = old.permutation(np.flatnonzero(y == label))
        parts[0].append(idx[: len(idx) // 2])
        parts[1].append(idx[len(idx) // 2 :])
    assert np.array_equal(a, old.permutation(np.concatenate(parts[0])))
    assert np.array_equal(b, old.permutation(np.concatenate(parts[1])))
    sa, sb = kit.stratified_halves(np.random.default_rng(11), y, shuffled=False)
    assert np.array_equal(sa, np.sort(a)) and np.array_equal(sb, np.sort(b))


def test_hidden_int_comes_from_the_hidden_generator_only() -> None:
    def ctx(seed: int, hidden: int) -> Context:
        return Context(
            rng=np.random.default_rng(seed),
            seed=seed,
            learner=None,
            reference=None,
            hidden_seed=hidden,
            hidden_rng=np.random.default_rng(hidden),
        )

    assert kit.hidden_int(ctx(1, 7)) == kit.hidden_int(ctx(2, 7))
    assert kit.hidden_int(ctx(1, 7)) != kit.hidden_int(ctx(1, 8))


# --- labels and values ------------------------------------------------------------------


def test_labels_accepts_arrays_lists_and_tensors() -> None:
    got = kit.labels(torch.tensor([0, 2, 1]), 3, "predict(X)", classes=3)
    assert got.dtype == np.int64 and got.tolist() == [0, 2, 1]
    assert kit.labels([1.0, 0.0], 2, "predict(X)").tolist() == [1, 0]


@pytest.mark.parametrize(
    ("got", "classes", "says"),
    [
        (np.zeros((4, 1)), 2, ".ravel()"),
        (np.zeros((4, 10)), 10, "argmax"),
        (np.zeros((3,)), 2, "expected (4,), one label per image"),
        (np.array([0.2, 0.9, 0.4, 0.7]), 2, "probabilities"),
        (np.array([0, 1, 3, 2]), 3, "0, 1 or 2"),
        (np.array([0, 1, 11, 2]), 10, "0 to 9"),
        (np.array([0.5, 1.5, 2.0, 1.0]), 10, "integer labels"),
    ],
)
def test_labels_refusals_name_the_mistake(got: Any, classes: int, says: str) -> None:
    text = failure(
        lambda: kit.labels(got, 4, "predict(X)", classes=classes, unit=kit.Noun("image", "张图像"))
    )
    assert says in text["en"] and "predict(X)" in text["zh"]


def test_labels_refuses_a_handle_and_explains_nan_with_the_lab_hint() -> None:
    text = failure(lambda: kit.labels(learner(Standardising()), 3, "predict(X)"))
    assert "not a Standardising object" in text["en"]
    text = failure(
        lambda: kit.labels(
            np.array([0, np.nan, 1]), 3, "predict(X)", nan_hint=("Impute first.", "先填补。")
        )
    )
    assert "row 1" in text["en"] and text["en"].endswith("Impute first.")
    assert "第 1 行" in text["zh"] and text["zh"].endswith("先填补。")


def test_labels_quotes_braces_as_written() -> None:
    text = failure(lambda: kit.labels(np.zeros(2), 3, "f({'a': 1})"))
    assert "f({'a': 1})" in text["en"]


def test_values_shape_hint_and_finiteness() -> None:
    text = failure(lambda: kit.values(np.zeros((5, 1)), (5,), "predict_next(W)"))
    assert ".reshape(-1)" in text["en"]
    assert "NaN" in failure(lambda: kit.values([1.0, np.inf], (2,), "f(x)"))["en"]
    assert kit.values([0.0, -np.inf], (2,), "f(x)", finite=False)[1] == -np.inf


def test_log_distributions_pass_and_refuse_with_the_cause() -> None:
    logits = np.random.default_rng(0).normal(size=(4, 5))
    good = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    good[0, 2] = -np.inf  # a symbol ruled out
    good[0] -= np.log(np.exp(good[0]).sum())
    assert np.array_equal(kit.expect_log_distributions(good, 4, 5, "lp(c)"), good)
    p = np.exp(good)
    assert "np.log(p)" in failure(lambda: kit.expect_log_distributions(p, 4, 5, "lp(c)"))["en"]
    bits = good / np.log(2.0)
    assert "base-2" in failure(lambda: kit.expect_log_distributions(bits, 4, 5, "lp(c)"))["en"]
    raw = failure(lambda: kit.expect_log_distributions(logits, 4, 5, "lp(c)"))
    assert "Row 0" in raw["en"] and "log_softmax" in raw["en"]
    few = failure(lambda: kit.expect_log_distributions(good[:, :3], 4, 5, "lp(c)"))
    assert "3 columns looks like only the ones you saw" in few["en"]
    nan = good.copy()
    nan[2, 1] = np.nan
    text = failure(
        lambda: kit.expect_log_distributions(nan, 4, 5, "lp(c)", nan_hint=("Smooth.", "平滑。"))
    )
    assert "row 2" in text["en"] and text["en"].endswith("Smooth.")


# --- driving fit and predict --------------------------------------------------------------


def test_fit_model_returns_the_handle_and_checks_self() -> None:
    X, y = _data()
    model = learner(Standardising(per_batch=False))
    assert kit.fit_model(model, X, y, returns_self=True) is model
    for returns in ("none", "other"):
        text = failure(
            lambda r=returns: kit.fit_model(
                learner(Standardising(returns=r)), X, y, returns_self=True, chain="M().fit(X, y)"
            )
        )
        assert "must return self" in text["en"] and "M().fit(X, y)" in text["en"]
        assert "self" in text["zh"]
    kit.fit_model(learner(Standardising(returns="none")), X, y)  # not asked: no failure


def test_fit_model_lets_an_exception_through_unless_explained() -> None:
    X, y = _data()
    with pytest.raises(LearnerError, match="NaN"):
        kit.fit_model(learner(Standardising(fit_raises=True)), X, y)
    text = failure(
        lambda: kit.fit_model(
            learner(Standardising(fit_raises=True)),
            X,
            y,
            explain=lambda exc: ("Impute: " + exc.message, "请填补：" + exc.message),
        )
    )
    assert text["en"] == "Impute: Input X contains NaN."
    with pytest.raises(LearnerError):  # an explain that has nothing to say
        kit.fit_model(learner(Standardising(fit_raises=True)), X, y, explain=lambda exc: None)


def test_fitted_once_fits_once_and_reports_a_failed_fit_to_later_checks() -> None:
    ctx = Context(rng=np.random.default_rng(0), seed=0, learner=object(), reference=None)
    calls = []

    def fit() -> tuple[str, str]:
        calls.append(1)
        return "model", "out"

    assert kit.fitted_once(ctx, "k", fit, "M().fit(d)") == ("model", "out")
    assert kit.fitted_once(ctx, "k", fit, "M().fit(d)") == ("model", "out")
    assert len(calls) == 1

    def broken() -> tuple[str, str]:
        raise LearnerError("ValueError", ["ValueError", "Exception"], "bad text\nmore", "")

    with pytest.raises(LearnerError):
        kit.fitted_once(ctx, "b", broken, "M().fit(d)")
    text = failure(lambda: kit.fitted_once(ctx, "b", broken, "M().fit(d)"))
    assert "M().fit(d) raised ValueError: bad text" in text["en"] and "more" not in text["en"]


def test_predict_labels_names_the_call_by_its_size() -> None:
    X, y = _data(6)
    model = kit.fit_model(learner(Standardising(per_batch=False)), X, y)
    assert kit.predict_labels(model, X).shape == (6,)
    broken = learner(type("Proba", (), {"predict": lambda self, X: np.full(len(X), 0.3)})())
    text = failure(lambda: kit.predict_labels(broken, X, unit=kit.Noun("scan", "张扫描图")))
    assert text["en"].startswith("predict(X) for 6 scans returned values such as 0.3")
    assert text["zh"].startswith("对 6 张扫描图调用 predict(X) 返回了 0.3 这样的值")


# --- the contract ---------------------------------------------------------------------


def test_predict_before_fit_must_raise_the_named_exception() -> None:
    X, _ = _data(5)
    kit.expect_predict_before_fit_raises(learner(Standardising()), X, call="M().predict(X)")
    placeholder = type(
        "Starter", (), {"predict": lambda self, X: (_ for _ in ()).throw(NotImplementedError())}
    )
    text = failure(
        lambda: kit.expect_predict_before_fit_raises(
            learner(placeholder()), X, call="M().predict(X)"
        )
    )
    assert "NotImplementedError" in text["en"]
    silent = type("Silent", (), {"predict": lambda self, X: np.zeros(len(X))})
    text = failure(
        lambda: kit.expect_predict_before_fit_raises(learner(silent()), X, call="M().predict(X)")
    )
    assert "RuntimeError" in text["en"] and "returned normally" in text["en"]


def test_rows_independent_catches_batch_statistics() -> None:
    X, y = _data()
    model = kit.fit_model(learner(Standardising(per_batch=True)), X, y)
    predict = lambda A: kit.predict_labels(model, A)  # noqa: E731
    batch = X[:60] * np.array([1.0, 1.0, 1.0]) + np.array([0.8, 0.0, 0.0])  # a shifted batch
    text = failure(
        lambda: kit.expect_rows_independent(
            predict, batch, range(60), unit=kit.Noun("tumour", "个肿瘤")
        )
    )
    assert "The answer for tumour" in text["en"] and "inside a batch of 60" in text["en"]
    assert "model.eval()" in text["en"] and "个肿瘤的结果依赖于" in text["zh"]
    honest = kit.fit_model(learner(Standardising(per_batch=False)), X, y)
    kit.expect_rows_independent(lambda A: kit.predict_labels(honest, A), batch, range(60))


def test_rows_independent_allows_a_tolerance_for_numbers() -> None:
    X = np.linspace(1.0, 2.0, 12).reshape(4, 3)

    def wobbly(A: np.ndarray) -> np.ndarray:
        return A.sum(axis=1) + 1e-7 * len(A)  # float noise that depends on the batch size

    kit.expect_rows_independent(wobbly, X, range(4), rtol=1e-5)
    with pytest.raises(CheckFailure):
        kit.expect_rows_independent(wobbly, X, range(4))
    text = failure(
        lambda: kit.expect_rows_independent(
            lambda A: A.sum(axis=1) - A.mean(), X, [2], rtol=1e-5, advice=("Own.", "自己。")
        )
    )
    assert text["en"].endswith("Own.") and "row 2" in text["en"]


def test_repeatable_catches_random_predictions() -> None:
    X, _ = _data(50)
    rng = np.random.default_rng(0)
    text = failure(
        lambda: kit.expect_repeatable(lambda A: rng.integers(0, 2, len(A)), X, unit=kit.ROW)
    )
    assert "twice changed" in text["en"] and "model.eval()" in text["en"]
    assert np.array_equal(kit.expect_repeatable(lambda A: A[:, 0] > 5, X), X[:, 0] > 5)


# --- quality ----------------------------------------------------------------------------


def test_quality_bar_passes_at_the_bar_and_fails_below_with_score_bar_and_baseline() -> None:
    where = kit.Noun("300 hidden scans", "300 张隐藏扫描图上")
    kit.quality_bar(kit.ACCURACY, 0.9, 0.9, where=where)
    base = [kit.Baseline("guessing", "随机猜测", {kit.ACCURACY: 0.333})]
    text = failure(
        lambda: kit.quality_bar(
            kit.ACCURACY, 0.81234, 0.9, where=where, baselines=base, advice=("Train.", "多训练。")
        )
    )
    assert text["en"] == (
        "On 300 hidden scans your model scores accuracy 0.812; the bar is accuracy >= 0.90"
        " (for comparison, accuracy on the same data: guessing 0.333). Train."
    )
    assert text["zh"] == (
        "在 300 张隐藏扫描图上，你的模型准确率为 0.812；要求准确率 ≥ 0.90"
        "（作为对照，同样数据上的准确率：随机猜测 0.333）。多训练。"
    )


def test_quality_bar_lower_is_better_and_lazy_baselines() -> None:
    loss = kit.Metric("bits per character", "每字符比特数", higher_is_better=False)
    where = kit.Noun("2000 hidden characters", "2000 个隐藏字符上")

    def expensive() -> list[kit.Baseline]:
        raise AssertionError("a passing score must not compute baselines")

    kit.quality_bar(loss, 2.4, 2.5, where=where, baselines=expensive, advice=expensive)  # type: ignore[arg-type]
    text = failure(
        lambda: kit.quality_bar(
            loss,
            2.61,
            2.5,
            where=where,
            baselines=lambda: [kit.Baseline("a trigram", "三元模型", {loss: 2.9})],
        )
    )
    assert "bits per character <= 2.50" in text["en"] and "a trigram 2.900" in text["en"]
    assert "每字符比特数 ≤ 2.50" in text["zh"]


def test_quality_bars_needs_every_bar() -> None:
    sens = kit.Metric("sensitivity", "灵敏度")
    bars = {kit.ACCURACY: 0.93, sens: 0.90}
    where = kit.Noun("both halves", "两半数据上")
    kit.quality_bars({kit.ACCURACY: 0.95, sens: 0.91}, bars, where=where)
    text = failure(lambda: kit.quality_bars({kit.ACCURACY: 0.95, sens: 0.85}, bars, where=where))
    assert "accuracy 0.950, sensitivity 0.850" in text["en"]
    assert "accuracy >= 0.93, sensitivity >= 0.90" in text["en"]
    assert text["zh"].startswith("在两半数据上，")


def test_accuracy_and_balanced_accuracy() -> None:
    y = np.array([0, 0, 0, 1])
    assert kit.accuracy(y, np.zeros(4)) == 0.75
    assert kit.balanced_accuracy(y, np.zeros(4)) == 0.5
    assert kit.balanced_accuracy(y, y) == 1.0


def test_every_helper_is_documented_in_the_authoring_guide() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs" / "authoring.md").read_text("utf-8")
    section = docs.split("## Labs: the lab kit", 1)[1].split("\n## ", 1)[0]
    missing = [
        name for name in kit.__all__ if f"`{name}" not in section and f"kit.{name}" not in section
    ]
    assert not missing, f"lab kit helpers missing from docs/authoring.md: {missing}"
