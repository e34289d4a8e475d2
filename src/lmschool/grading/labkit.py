"""The lab kit: what every lab's checks share, written once.

A *lab* trains the learner's model in the sandbox and grades it on hidden data. Its
checks repeat the same steps: draw a hidden split from the grader's secret, drive the
learner's ``fit`` and ``predict`` through handles, refuse outputs of the wrong kind with
a message that names the mistake, test the scikit-learn contract (``fit`` returns
``self``, ``predict`` before ``fit`` raises, a row's answer does not depend on the
rest of the batch), and compare a score with a bar and with baselines. This module does
each of those once, with messages in both languages, so that a lab's ``checks.py``
says only what is its own: its data, its metric, its bar and why::

    from lmschool.grading import labkit as kit
    from lmschool.grading.checks import check

    IMAGE = kit.Noun("image", "张图像")

    @check(points=4, title={"en": "Accuracy of at least 0.95", "zh": "准确率至少 0.95"})
    def hidden_accuracy(ctx):
        X, y = _data()
        train, test = kit.stratified_split(ctx.hidden_rng, y, 0.7)
        model = kit.fit_model(ctx.learner.DigitsClassifier(), X[train], y[train])
        pred = kit.predict_labels(model, X[test], classes=10, unit=IMAGE)
        kit.quality_bar(kit.ACCURACY, kit.accuracy(y[test], pred), 0.95,
                        where=kit.Noun(f"{len(test)} hidden images", f"{len(test)} 张隐藏图像上"))

Everything here runs in the trusted runner, like the rest of the checks API: learner
objects arrive as :class:`RemoteObject` handles and their answers as data, and nothing
of the learner's is ever called on this side. Helpers fail the current check by raising
:class:`CheckFailure`; a learner exception that a helper does not explain propagates,
and the runner reports it with its traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn

import numpy as np

from lmschool.grading.checks import CheckFailure, Context, _is_tensor, expect_raises
from lmschool.grading.proxy import LearnerError, RemoteObject
from lmschool.i18n import Msg

__all__ = [
    "ACCURACY",
    "BALANCED_ACCURACY",
    "ROW",
    "Baseline",
    "Metric",
    "Noun",
    "accuracy",
    "balanced_accuracy",
    "expect_log_distributions",
    "expect_predict_before_fit_raises",
    "expect_repeatable",
    "expect_returns_self",
    "expect_rows_independent",
    "fail_text",
    "fit_model",
    "fitted_once",
    "hidden_int",
    "labels",
    "predict_labels",
    "quality_bar",
    "quality_bars",
    "stratified_halves",
    "stratified_split",
    "values",
]


# --- words ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Noun:
    """A word or phrase in both languages.

    For the unit a model answers for (``Noun("image", "张图像")``), ``zh`` carries its
    measure word, so that "one label per image" reads 每张图像一个标签; ``plural`` is the
    English plural when it is not ``en + "s"``.
    """

    en: str
    zh: str
    plural: str = ""

    @property
    def en_plural(self) -> str:
        return self.plural or self.en + "s"


ROW = Noun("row", "行")


@dataclass(frozen=True)
class Metric:
    """A score's name in both languages, and its direction."""

    en: str
    zh: str
    higher_is_better: bool = True


ACCURACY = Metric("accuracy", "准确率")
BALANCED_ACCURACY = Metric("balanced accuracy", "平衡准确率")


@dataclass(frozen=True)
class Baseline:
    """A simple model's score on the same hidden data, quoted beside the learner's."""

    en: str  # e.g. "always predicting the majority class"
    zh: str  # e.g. "总是预测多数类"
    scores: Mapping[Metric, float]


def fail_text(en: str, zh: str) -> NoReturn:
    """Fail the check with these two texts, shown as written (braces are not fields)."""
    raise CheckFailure(Msg({"en": en, "zh": zh}))


def _sentence(text: tuple[str, str] | None) -> tuple[str, str]:
    """An optional (en, zh) remark, with the space English needs in front of it."""
    if not text:
        return "", ""
    en, zh = text
    return (" " + en if en else ""), zh


# --- hidden data ---------------------------------------------------------------------


def hidden_int(ctx: Context, high: int = 2**31) -> int:
    """An int in [0, high) from the check's hidden generator: a seed for a data generator.

    The hidden generator derives from the grader's secret; the learner's visible seed
    never chooses hidden data.
    """
    return int(ctx.hidden_rng.integers(high))


def _per_class(y: np.ndarray) -> list[np.ndarray]:
    return [np.flatnonzero(y == label) for label in np.unique(y)]


def stratified_split(
    rng: np.random.Generator, y: Any, train_share: float = 0.7
) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) index arrays: ``round(train_share * n_k)`` of every class ``k`` train.

    Both arrays are shuffled, so the first rows of either are a fair sample.
    """
    train, test = [], []
    for idx in _per_class(np.asarray(y)):
        idx = rng.permutation(idx)
        k = int(round(train_share * len(idx)))
        train.append(idx[:k])
        test.append(idx[k:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def stratified_halves(
    rng: np.random.Generator, y: Any, *, shuffled: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Two halves (index arrays) with ``n_k // 2`` rows of every class ``k`` in the first.

    ``shuffled`` returns each half in random order; otherwise sorted (the data set's order).
    Labs that train on one half and test on the other, then swap, grade every row once.
    """
    a, b = [], []
    for idx in _per_class(np.asarray(y)):
        idx = rng.permutation(idx)
        a.append(idx[: len(idx) // 2])
        b.append(idx[len(idx) // 2 :])
    if shuffled:
        return rng.permutation(np.concatenate(a)), rng.permutation(np.concatenate(b))
    return np.sort(np.concatenate(a)), np.sort(np.concatenate(b))


# --- driving the learner's model -------------------------------------------------------


def expect_returns_self(model: Any, out: Any, call: str = "fit(X, y)", chain: str = "") -> None:
    """``out`` (what ``call`` returned) must be the learner's ``model`` itself.

    ``chain`` is the idiom that needs it, e.g. ``"Model().fit(X, y).predict(X)"``.
    """
    if isinstance(out, RemoteObject) and out == model:
        return
    why_en = f", so that {chain} works" if chain else ""
    why_zh = f"，这样 {chain} 才能工作" if chain else ""
    fail_text(
        f"{call} must return self (the same object){why_en}.",
        f"{call} 必须返回 self（同一个对象）{why_zh}。",
    )


def fit_model(
    model: Any,
    *args: Any,
    call: str = "fit(X, y)",
    returns_self: bool = False,
    chain: str = "",
    explain: Callable[[LearnerError], tuple[str, str] | None] | None = None,
) -> Any:
    """``model.fit(*args)`` in the sandbox; returns ``model`` (the handle).

    ``returns_self`` also requires ``fit`` to return the model (see
    :func:`expect_returns_self`). When ``fit`` raises, ``explain(error)`` may return an
    ``(en, zh)`` message that says why (missing values the lab put there on purpose,
    say); otherwise the learner's exception propagates and the check reports it with
    its traceback.
    """
    try:
        out = model.fit(*args)
    except LearnerError as exc:
        said = explain(exc) if explain else None
        if said is None:
            raise
        fail_text(*said)
    if returns_self:
        expect_returns_self(model, out, call, chain)
    return model


@dataclass
class _Fitted:
    model: Any
    out: Any


_FITTED: dict[tuple[int, Any], _Fitted | LearnerError] = {}


def fitted_once(ctx: Context, key: Any, fit: Callable[[], tuple[Any, Any]], call: str) -> Any:
    """The learner's model, fitted once per grading and shared by the checks that need it.

    ``fit()`` builds and fits the model and returns ``(model, what fit returned)``; the
    answer is kept under ``key`` (the hidden seed, say) for this learner process. When
    fitting raises, the first check reports the exception with its traceback, and the
    later ones fail saying that ``call`` raised. Returns ``(model, what fit returned)``.
    """
    slot = (id(ctx.learner), key)
    if slot not in _FITTED:
        try:
            model, out = fit()
        except LearnerError as exc:
            _FITTED[slot] = exc
            raise
        _FITTED[slot] = _Fitted(model, out)
    got = _FITTED[slot]
    if isinstance(got, LearnerError):
        first = got.message.splitlines()[0] if got.message else ""
        fail_text(
            f"{call} raised {got.type_name}: {first} (see the first check that failed).",
            f"{call} 抛出了 {got.type_name}：{first}（见第一项未通过的检查）。",
        )
    return got.model, got.out


# --- what the learner's model returned ---------------------------------------------------

Call = str | tuple[str, str]  # the call that produced an answer: code, or (en, zh) words


def _call(call: Call) -> tuple[str, str]:
    return (call, call) if isinstance(call, str) else call


def _data(got: Any, call: Call, what: tuple[str, str]) -> np.ndarray:
    """A learner answer as a float64 array: handles and non-numbers are refused."""
    call_en, call_zh = _call(call)
    if isinstance(got, RemoteObject):
        fail_text(
            f"{call_en} must return a NumPy array (or tensor) of {what[0]}, not a {got.type_name} object.",
            f"{call_zh} 必须返回由{what[1]}组成的 NumPy 数组（或张量），而不是 {got.type_name} 对象。",
        )
    if _is_tensor(got):
        got = got.detach().cpu().numpy()
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        fail_text(
            f"{call_en} must return an array of {what[0]}, got {type(got).__name__}.",
            f"{call_zh} 必须返回由{what[1]}组成的数组，实际得到 {type(got).__name__}。",
        )


def _label_set(classes: int) -> tuple[str, str]:
    if classes == 2:
        return "0 and 1", "0 和 1"
    if classes == 3:
        return "0, 1 or 2", "0、1 或 2"
    return f"0 to {classes - 1}", f"0 到 {classes - 1}"


def labels(
    got: Any,
    n: int,
    call: Call,
    *,
    classes: int = 2,
    unit: Noun = ROW,
    nan_hint: tuple[str, str] | None = None,
    proba_hint: tuple[str, str] | None = None,
) -> np.ndarray:
    """The learner's predictions as int64 labels of shape ``(n,)`` in ``0..classes-1``.

    Each refusal names the mistake: a handle instead of data, one score per class
    (logits or probabilities), a column ``(n, 1)``, NaN, probabilities where binary
    labels were due (``proba_hint`` says how to turn them into labels), other values.
    ``nan_hint`` is appended when a row got NaN.
    """
    call_en, call_zh = _call(call)
    set_en, set_zh = _label_set(classes)
    pred = _data(got, call, (f"labels {set_en}", f"标签 {set_zh} "))
    if pred.shape != (n,):
        extra_en = extra_zh = ""
        if pred.shape == (n, 1):
            extra_en, extra_zh = " Flatten it with .ravel().", "请用 .ravel() 展平。"
        elif pred.ndim == 2 and pred.shape[0] == n and pred.shape[1] == classes:
            extra_en = " That is one score per class (logits or probabilities), as predict_proba would return: predict returns the label of the best class, e.g. scores.argmax(axis=1)."
            extra_zh = "这是每个类别一个分数（logits 或概率），像 predict_proba 的输出：predict 应返回得分最高的类别的标签，例如 scores.argmax(axis=1)。"
        fail_text(
            f"{call_en} returned shape {pred.shape}; expected ({n},), one label per {unit.en}.{extra_en}",
            f"{call_zh} 返回的形状为 {pred.shape}；期望为 ({n},)，每{unit.zh}一个标签。{extra_zh}",
        )
    if not np.all(np.isfinite(pred)):
        bad = int(np.flatnonzero(~np.isfinite(pred))[0])
        hint_en, hint_zh = _sentence(nan_hint)
        fail_text(
            f"{call_en} returned NaN or inf (first at {unit.en} {bad}).{hint_en}",
            f"{call_zh} 返回了 NaN 或 inf（第一个在第 {bad} {unit.zh}）。{hint_zh}",
        )
    whole = pred == np.round(pred)
    if np.all(whole) and pred.min(initial=0) >= 0 and pred.max(initial=0) <= classes - 1:
        return pred.astype(np.int64)
    odd = pred[~whole | (pred < 0) | (pred > classes - 1)]
    example = float(odd[np.argmin(np.abs(odd - 0.5))]) if classes == 2 else float(odd[0])
    if classes == 2 and np.all((pred >= 0) & (pred <= 1)):
        hint_en, hint_zh = _sentence(
            proba_hint
            or (
                "Return labels: 1 where the probability of label 1 is above 0.5, else 0.",
                "请返回标签：标签 1 的概率大于 0.5 时为 1，否则为 0。",
            )
        )
        fail_text(
            f"{call_en} returned values such as {example:.6g}: probabilities, not labels 0/1.{hint_en}",
            f"{call_zh} 返回了 {example:.6g} 这样的值：这是概率，而不是 0/1 标签。{hint_zh}",
        )
    fail_text(
        f"{call_en} returned values such as {example:.4g}; predict must return the integer labels {set_en} only.",
        f"{call_zh} 返回了 {example:.4g} 这样的值；predict 只能返回整数标签 {set_zh}。",
    )


def predict_labels(
    model: Any,
    X: Any,
    *,
    call: Call = "",
    method: str = "predict",
    **kwargs: Any,
) -> np.ndarray:
    """``model.predict(X)`` in the sandbox, checked by :func:`labels` (same keywords)."""
    n = len(X)
    unit = kwargs.get("unit", ROW)
    said = call or (
        f"{method}(X) for {n} {unit.en if n == 1 else unit.en_plural}",
        _zh("对", str(n), unit.zh, "调用", f"{method}(X)"),
    )
    return labels(getattr(model, method)(X), n, said, **kwargs)


def values(
    got: Any,
    shape: tuple[int, ...],
    call: Call,
    *,
    what: tuple[str, str] = ("numbers", "数值"),
    finite: bool = True,
) -> np.ndarray:
    """The learner's numbers as a float64 array of ``shape`` (finite unless ``finite=False``)."""
    call_en, call_zh = _call(call)
    arr = _data(got, call, what)
    if arr.shape != shape:
        extra_en = extra_zh = ""
        if len(shape) == 1 and arr.shape == (*shape, 1):
            extra_en, extra_zh = (
                " Flatten the column with .reshape(-1).",
                "请用 .reshape(-1) 把这一列展平。",
            )
        fail_text(
            f"{call_en} returned shape {arr.shape}; expected {shape}.{extra_en}",
            f"{call_zh} 返回的形状为 {arr.shape}；期望为 {shape}。{extra_zh}",
        )
    if finite and not np.all(np.isfinite(arr)):
        fail_text(f"{call_zh} returned NaN or inf.", f"{call_zh} 返回了 NaN 或 inf。")
    return arr


def expect_log_distributions(
    got: Any,
    n: int,
    V: int,
    call: Call,
    *,
    symbols: tuple[str, str] = ("symbol of the vocabulary", "词表中的符号"),
    nan_hint: tuple[str, str] | None = None,
) -> np.ndarray:
    """``(n, V)`` natural-log distributions, one row per context: every row's log-sum-exp is 0.

    Refusals name shape mistakes (fewer columns than ``V``: only the symbols seen in
    training; one number per context), NaN or +inf (``nan_hint`` says why), and rows
    that are probabilities, base-2 logarithms or unnormalised. ``-inf`` is allowed: a
    symbol ruled out.
    """
    call_en, call_zh = _call(call)
    arr = _data(got, call, ("log-probabilities", "对数概率"))
    if arr.shape != (n, V):
        extra_en = extra_zh = ""
        if arr.ndim == 2 and arr.shape[0] == n and arr.shape[1] < V:
            extra_en = f" The ones the training data never shows need a column too: {arr.shape[1]} columns looks like only the ones you saw."
            extra_zh = f"训练数据中没出现过的也要占一列：{arr.shape[1]} 列看起来只是你见过的那些。"
        elif arr.ndim == 1:
            extra_en = " Return the whole distribution of every row, not one number per context."
            extra_zh = "每一行都要返回整个分布，而不是每个上下文一个数。"
        fail_text(
            f"{call_en} returned shape {arr.shape}; expected ({n}, {V}): one row per context, one column per {symbols[0]}.{extra_en}",
            f"{call_zh} 返回的形状为 {arr.shape}；应为 ({n}, {V})：每个上下文一行，{symbols[1]}每个一列。{extra_zh}",
        )
    broken = np.isnan(arr).any(axis=1) | np.isposinf(arr).any(axis=1)
    if broken.any():
        hint_en, hint_zh = _sentence(nan_hint)
        r = int(np.flatnonzero(broken)[0])
        fail_text(
            f"{call_en} returned NaN or +inf (first in row {r}): log-probabilities are numbers <= 0, or -inf for a symbol ruled out.{hint_en}",
            f"{call_zh} 返回了 NaN 或 +inf（第一次出现在第 {r} 行）：对数概率是不大于 0 的数，被排除的符号为 -inf。{hint_zh}",
        )
    top = arr.max(axis=1, keepdims=True)
    safe = np.where(np.isfinite(top), top, 0.0)
    lse = (safe + np.log(np.exp(arr - safe).sum(axis=1, keepdims=True)))[:, 0]
    bad = np.flatnonzero(~(np.abs(lse) <= 1e-3))
    if len(bad) == 0:
        return arr
    r = int(bad[0])
    if np.all(arr >= 0) and np.allclose(arr.sum(axis=1), 1.0, atol=1e-3):
        fail_text(
            f"{call_en} returned probabilities (row {r} sums to 1): return their natural logarithms, np.log(p).",
            f"{call_zh} 返回的是概率（第 {r} 行之和为 1）：请返回它们的自然对数 np.log(p)。",
        )
    with np.errstate(over="ignore"):
        base2 = np.log2(np.exp2(arr).sum(axis=1))
    if np.all(np.abs(base2) < 1e-3):
        fail_text(
            f"{call_en} returned base-2 logarithms (2 ** row sums to 1): use natural logarithms (np.log, torch.log_softmax).",
            f"{call_zh} 返回的是以 2 为底的对数（2 ** 行 之和为 1）：请使用自然对数（np.log、torch.log_softmax）。",
        )
    fail_text(
        f"Row {r} of {call_en} is not a log-distribution: log(sum(exp(row))) = {lse[r]:.4g}, not 0. Normalise every row over the whole vocabulary: log_softmax(logits), or log(p / p.sum()) after masking; never raw logits.",
        f"{call_zh} 的第 {r} 行不是对数分布：log(sum(exp(row))) = {lse[r]:.4g}，而不是 0。请在整个词表上对每一行归一化：log_softmax(logits)，或者屏蔽之后的 log(p / p.sum())；不要返回原始 logits。",
    )


# --- the contract: standard checks -----------------------------------------------------


def expect_predict_before_fit_raises(
    model: Any,
    *args: Any,
    call: str,
    method: str = "predict",
    exception: str = "RuntimeError",
) -> None:
    """A model that was never fitted refuses ``method(*args)`` with ``exception``.

    ``call`` names it for the learner, e.g. ``"Model().predict(X) before fit"``. A
    starter's ``NotImplementedError`` does not count (see ``expect_raises``).
    """
    with expect_raises(call, exception):
        getattr(model, method)(*args)


def _shown(v: Any) -> str:
    arr = np.asarray(v)
    if arr.ndim == 0:
        return f"{arr.item():.6g}" if arr.dtype.kind == "f" else str(arr.item())
    return np.array2string(arr, precision=4, threshold=6, edgeitems=2)


def expect_rows_independent(
    predict: Callable[[Any], np.ndarray],
    X: Any,
    rows: Iterable[int],
    *,
    unit: Noun = ROW,
    advice: tuple[str, str] | None = None,
    tolerance: float = 0.0,
    rtol: float = 0.0,
    batch: np.ndarray | None = None,
) -> None:
    """Each of ``rows`` gets the same answer alone (``X[r : r + 1]``) as inside ``X``.

    ``predict(A)`` runs the learner's model on ``A`` and returns its checked answer, one
    entry per row (labels, or rows of numbers); ``batch`` is ``predict(X)`` when the
    caller has it already. Answers may differ by ``tolerance + rtol * |batch answer|``
    (both 0: exactly equal).
    ``advice`` says what to change; the default names the usual causes.
    """
    whole = predict(X) if batch is None else batch
    for r in rows:
        r = int(r)
        alone = predict(X[r : r + 1])[0]
        a, b = np.asarray(alone, float), np.asarray(whole[r], float)
        if np.all(np.abs(a - b) <= tolerance + rtol * np.abs(b)):
            continue
        en, zh = _sentence(
            advice
            or (
                "A deployed model answers one request at a time: learn every statistic (means, scales, imputation values) in fit and only apply it in predict, and switch the network to evaluation mode (model.eval()) before predicting.",
                "上线的模型一次只回答一个请求：所有统计量（均值、尺度、填补值）都要在 fit 中学到，在 predict 中只使用它们；预测前还要把网络切换到评估模式（model.eval()）。",
            )
        )
        fail_text(
            f"The answer for {unit.en} {r} depends on the other {unit.en_plural} passed with it: {_shown(whole[r])} inside a batch of {len(X)}, {_shown(alone)} alone.{en}",
            f"第 {r} {unit.zh}的结果依赖于和它一起传入的其他数据：与其他 {len(X) - 1} {unit.zh}一起预测时为 {_shown(whole[r])}，单独预测时为 {_shown(alone)}。{zh}",
        )


def expect_repeatable(
    predict: Callable[[Any], np.ndarray],
    X: Any,
    *,
    unit: Noun = ROW,
    advice: tuple[str, str] | None = None,
) -> np.ndarray:
    """Predicting the same ``X`` twice gives the same answers; returns the first answer."""
    first, second = predict(X), predict(X)
    if np.array_equal(first, second):
        return first
    changed = int(np.sum(np.asarray(first) != np.asarray(second)))
    en, zh = _sentence(
        advice
        or (
            "The network is still in training mode, so dropout drops random units at prediction time: call model.eval() at the end of fit (and model.train() before training).",
            "网络仍处于训练模式，暂退法在预测时随机丢弃单元：请在 fit 末尾调用 model.eval()（训练前调用 model.train()）。",
        )
    )
    fail_text(
        f"Predicting the same {len(X)} {unit.en_plural} twice changed {changed} answers.{en}",
        f"对同样的 {len(X)} {unit.zh}预测两次，有 {changed} 个结果变了。{zh}",
    )


# --- quality --------------------------------------------------------------------------


def accuracy(y: Any, pred: Any) -> float:
    """The share of labels predicted right."""
    return float(np.mean(np.asarray(pred) == np.asarray(y)))


def balanced_accuracy(y: Any, pred: Any) -> float:
    """The mean over the classes present in ``y`` of the recall of each class."""
    y, pred = np.asarray(y), np.asarray(pred)
    return float(np.mean([np.mean(pred[y == k] == k) for k in np.unique(y)]))


def _zh(*parts: str) -> str:
    """Chinese text joined as the course writes it: a space between a Chinese character
    and a Latin word or number, none between two Chinese characters."""
    out = ""
    for part in parts:
        if out and part and _latin(out[-1]) != _latin(part[0]) and not _punct(out[-1] + part[0]):
            out += " "
        out += part
    return out


def _latin(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _punct(pair: str) -> bool:
    return any(not (c.isalnum() or "\u4e00" <= c <= "\u9fff") for c in pair)


def _num(v: float) -> str:
    return f"{v:.3f}"


def _bar(v: float) -> str:
    return f"{v:.2f}" if round(v, 2) == v else f"{v:.3f}"


def quality_bars(
    scores: Mapping[Metric, float],
    bars: Mapping[Metric, float],
    *,
    where: Noun,
    model: Noun = Noun("model", "模型"),
    baselines: Sequence[Baseline] | Callable[[], Sequence[Baseline]] = (),
    advice: tuple[str, str] | Callable[[], tuple[str, str]] | None = None,
) -> None:
    """Pass when every score reaches its bar; otherwise fail with score, bar and baselines.

    ``where`` says what was scored ("300 hidden scans" / "300 张隐藏扫描图上"; the zh
    text follows 在 and ends the place phrase). ``baselines`` and ``advice`` may be
    callables: they are computed only for a failing score (a baseline that trains a
    model costs time). The message reads, in both languages::

        On 300 hidden scans your model scores balanced accuracy 0.412; the bar is
        balanced accuracy >= 0.90 (for comparison, balanced accuracy on the same data:
        logistic regression on the raw pixels 0.361). <advice>

        在 300 张隐藏扫描图上，你的模型平衡准确率为 0.412；要求平衡准确率 ≥ 0.90（作为对照，
        同样数据上的平衡准确率：在原始像素上做逻辑回归 0.361）。<advice>
    """
    missed = [
        m
        for m, bar in bars.items()
        if not (scores[m] >= bar if m.higher_is_better else scores[m] <= bar)
    ]
    if not missed:
        return
    shown_en = ", ".join(f"{m.en} {_num(scores[m])}" for m in bars)
    shown_zh = "，".join(_zh(m.zh, "为", _num(scores[m])) for m in bars)
    bars_en = ", ".join(
        f"{m.en} {'>=' if m.higher_is_better else '<='} {_bar(b)}" for m, b in bars.items()
    )
    bars_zh = "，".join(
        f"{m.zh} {'≥' if m.higher_is_better else '≤'} {_bar(b)}" for m, b in bars.items()
    )
    base = baselines() if callable(baselines) else baselines
    base_en = base_zh = ""
    if base and len(bars) == 1:  # one metric: name it once
        (metric,) = bars
        base_en = (
            f" (for comparison, {metric.en} on the same data: "
            + "; ".join(f"{b.en} {_num(b.scores[metric])}" for b in base)
            + ")"
        )
        base_zh = (
            f"（作为对照，同样数据上的{metric.zh}："
            + "；".join(_zh(b.zh, _num(b.scores[metric])) for b in base)
            + "）"
        )
    elif base:
        base_en = (
            " (for comparison: "
            + "; ".join(
                f"{b.en} scores " + ", ".join(f"{m.en} {_num(s)}" for m, s in b.scores.items())
                for b in base
            )
            + ")"
        )
        base_zh = (
            "（作为对照："
            + "；".join(
                _zh(b.zh, "的", "，".join(_zh(m.zh, "为", _num(s)) for m, s in b.scores.items()))
                for b in base
            )
            + "）"
        )
    said = advice() if callable(advice) else advice
    adv_en, adv_zh = _sentence(said)
    fail_text(
        f"On {where.en} your {model.en} scores {shown_en}; the bar is {bars_en}{base_en}.{adv_en}",
        _zh("在", where.zh, "，你的", model.zh, shown_zh, "；要求", bars_zh)
        + f"{base_zh}。{adv_zh}",
    )


def quality_bar(
    metric: Metric,
    score: float,
    bar: float,
    *,
    where: Noun,
    model: Noun = Noun("model", "模型"),
    baselines: Sequence[Baseline] | Callable[[], Sequence[Baseline]] = (),
    advice: tuple[str, str] | Callable[[], tuple[str, str]] | None = None,
) -> None:
    """:func:`quality_bars` for one metric: ``score`` must reach ``bar``."""
    quality_bars(
        {metric: score},
        {metric: bar},
        where=where,
        model=model,
        baselines=baselines,
        advice=advice,
    )
