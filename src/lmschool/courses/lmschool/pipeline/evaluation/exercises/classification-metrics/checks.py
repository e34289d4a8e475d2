"""Checks for the classification metrics, against sklearn.metrics on seeded random labels."""

import numpy as np
from sklearn import metrics

from lmschool.grading.checks import check, expect_array, expect_close, expect_raises, fail
from lmschool.grading.proxy import RemoteObject

SCORES = ("precision_score", "recall_score", "f1_score")


def _noisy(rng, y, classes, correct=0.7):
    """Predictions equal to y with probability `correct`, otherwise a random class."""
    wrong = rng.choice(classes, size=len(y))
    return np.where(rng.random(len(y)) < correct, y, wrong)


def _number(name, got):
    """The learner's score as a float, or a failure saying what came back."""
    if isinstance(got, bool) or not isinstance(got, int | float | np.integer | np.floating):
        if isinstance(got, np.ndarray) and got.size == 1 and got.dtype.kind in "iuf":
            return float(got.reshape(()))
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        fail(
            {
                "en": f"{name} returned {kind}; it must return one number.",
                "zh": f"{name} 返回了 {kind}；它必须返回一个数。",
            }
        )
    return float(got)


def _sk(name, y_true, y_pred, average, zero_division):
    return float(
        getattr(metrics, name)(y_true, y_pred, average=average, zero_division=zero_division)
    )


def _compare_score(ctx, name, y_true, y_pred, average, zero_division, where):
    call = f"{name}(y_true, y_pred, average={average!r}, zero_division={zero_division})"
    got = _number(
        call,
        getattr(ctx.learner, name)(y_true, y_pred, average=average, zero_division=zero_division),
    )
    want = _sk(name, y_true, y_pred, average, zero_division)
    if np.isclose(got, want, rtol=1e-9, atol=1e-12):
        return
    if np.isnan(got):
        fail(
            {
                "en": f"{call} on {where} returned NaN: a 0/0 (a class never predicted, or never present) must give zero_division = {zero_division}.",
                "zh": f"{call} 在{where}上返回了 NaN：出现 0/0（某个类别从未被预测，或从未出现）时，结果必须是 zero_division = {zero_division}。",
            }
        )
    if average in ("macro", "micro"):
        other = "micro" if average == "macro" else "macro"
        if np.isclose(got, _sk(name, y_true, y_pred, other, zero_division), rtol=1e-9, atol=1e-12):
            fail(
                {
                    "en": f"{call} on {where} = {got:.6g} is the {other} average; the {average} average is {want:.6g}. Macro: compute the metric per class, then take the plain mean. Micro: add TP, FP and FN over the classes first, then compute the metric once.",
                    "zh": f"{call} 在{where}上 = {got:.6g}，这是 {other} 平均；{average} 平均应为 {want:.6g}。宏平均：先对每个类别计算指标，再取简单平均。微平均：先把各类别的 TP、FP、FN 相加，再计算一次指标。",
                }
            )
    if average == "binary" and np.isclose(
        got, _sk(name, y_true, y_pred, "macro", zero_division), rtol=1e-9, atol=1e-12
    ):
        fail(
            {
                "en": f"{call} on {where} = {got:.6g} is the mean over classes 0 and 1 (the macro average). With average='binary' only the positive class 1 counts: {want:.6g}.",
                "zh": f"{call} 在{where}上 = {got:.6g}，这是类别 0 和 1 的平均（宏平均）。average='binary' 时只计算正类 1：{want:.6g}。",
            }
        )
    if name == "f1_score" and average == "macro":
        p = _sk("precision_score", y_true, y_pred, "macro", zero_division)
        r = _sk("recall_score", y_true, y_pred, "macro", zero_division)
        if p + r > 0 and np.isclose(got, 2 * p * r / (p + r), rtol=1e-9, atol=1e-12):
            fail(
                {
                    "en": f"{call} on {where} = {got:.6g} is the harmonic mean of the macro precision and the macro recall. Macro F1 is the mean of the per-class F1 scores: {want:.6g}.",
                    "zh": f"{call} 在{where}上 = {got:.6g}，这是宏平均精确率与宏平均召回率的调和平均。宏平均 F1 是各类别 F1 的平均值：{want:.6g}。",
                }
            )
    if name in ("precision_score", "recall_score"):
        swapped = "recall_score" if name == "precision_score" else "precision_score"
        if not np.isclose(
            want, _sk(swapped, y_true, y_pred, average, zero_division)
        ) and np.isclose(
            got, _sk(swapped, y_true, y_pred, average, zero_division), rtol=1e-9, atol=1e-12
        ):
            fail(
                {
                    "en": f"{call} on {where} returned the {swapped.split('_')[0]}, not the {name.split('_')[0]}. Precision divides TP by everything PREDICTED positive (TP + FP); recall divides by everything that IS positive (TP + FN).",
                    "zh": f"{call} 在{where}上返回的是{'召回率' if swapped == 'recall_score' else '精确率'}，而不是{'精确率' if name == 'precision_score' else '召回率'}。精确率用 TP 除以所有被**预测**为正的样本数（TP + FP）；召回率用 TP 除以所有**实际**为正的样本数（TP + FN）。",
                }
            )
    if zero_division == 1.0 and np.isclose(
        got, _sk(name, y_true, y_pred, average, 0.0), rtol=1e-9, atol=1e-12
    ):
        fail(
            {
                "en": f"{call} on {where} = {got:.6g} treats 0/0 as 0: use the zero_division argument ({zero_division}) wherever a denominator is 0.",
                "zh": f"{call} 在{where}上 = {got:.6g}，把 0/0 当成了 0：凡是分母为 0 的地方，都应使用参数 zero_division（{zero_division}）。",
            }
        )
    expect_close(f"{call} on {where}", got, want, rtol=1e-9, atol=1e-12)


@check(
    points=2,
    title={
        "en": "confusion_matrix matches scikit-learn",
        "zh": "confusion_matrix 与 scikit-learn 一致",
    },
)
def confusion(ctx):
    rng = ctx.rng
    # labels that are not 0..K-1 (no 0, e.g. [1, 4, 7]): a matrix sized max(label) + 1 is wrong here
    classes = np.sort(rng.choice(np.arange(1, 10), size=int(rng.integers(3, 6)), replace=False))
    y_true = rng.choice(classes, size=int(rng.integers(30, 80)))
    y_pred = _noisy(rng, y_true, classes[:-1])  # the largest class is never predicted
    got = ctx.learner.confusion_matrix(y_true, y_pred)
    want = metrics.confusion_matrix(y_true, y_pred)
    where = f"labels drawn from {classes.tolist()}"
    if (
        isinstance(got, np.ndarray)
        and got.shape == want.shape
        and got.shape[0] > 1
        and np.array_equal(got, want.T)
        and not np.array_equal(got, want)
    ):
        fail(
            {
                "en": f"confusion_matrix on {where} is transposed: rows must be the TRUE classes and columns the PREDICTED ones (C[i, j] = true classes[i], predicted classes[j]).",
                "zh": f"在{where}上，confusion_matrix 被转置了：行必须是**真实**类别，列是**预测**类别（C[i, j] = 真实为 classes[i]、预测为 classes[j]）。",
            }
        )
    if isinstance(got, np.ndarray) and got.ndim == 2 and got.shape != want.shape:
        fail(
            {
                "en": f"confusion_matrix on {where} has shape {got.shape}, expected {want.shape}: the classes are the sorted distinct labels in y_true or y_pred ({len(classes)} here), not 0..max(label).",
                "zh": f"在{where}上，confusion_matrix 的形状是 {got.shape}，应为 {want.shape}：类别是 y_true 或 y_pred 中出现的不同标签按顺序排列（这里有 {len(classes)} 个），而不是 0..max(label)。",
            }
        )
    expect_array(f"confusion_matrix(y_true, y_pred) on {where}", got, want, dtype_kind="iu")


@check(points=1, title={"en": "accuracy_score", "zh": "accuracy_score"})
def accuracy(ctx):
    rng = ctx.rng
    y_true = rng.integers(0, 4, size=int(rng.integers(20, 60)))
    y_pred = _noisy(rng, y_true, np.arange(4), correct=0.6)
    got = _number("accuracy_score(y_true, y_pred)", ctx.learner.accuracy_score(y_true, y_pred))
    expect_close(
        "accuracy_score(y_true, y_pred)", got, metrics.accuracy_score(y_true, y_pred), rtol=1e-9
    )


@check(
    points=2, title={"en": "Binary precision, recall and F1", "zh": "二分类的精确率、召回率和 F1"}
)
def binary(ctx):
    rng = ctx.rng
    y_true = (rng.random(int(rng.integers(40, 100))) < 0.35).astype(np.int64)
    y_pred = np.where(rng.random(len(y_true)) < 0.75, y_true, 1 - y_true)
    y_pred[rng.integers(0, len(y_pred), size=5)] = 1  # a few extra false positives: P != R
    for name in SCORES:
        _compare_score(ctx, name, y_true, y_pred, "binary", 0.0, "random 0/1 labels")


@check(
    points=3,
    title={
        "en": "Macro and micro averages, a class never predicted",
        "zh": "宏平均与微平均，有一个类别从未被预测",
    },
)
def macro_micro(ctx):
    rng = ctx.rng
    k = int(rng.integers(3, 6))
    y_true = rng.integers(0, k, size=int(rng.integers(40, 90)))
    y_pred = _noisy(rng, y_true, np.arange(k - 1), correct=0.6)
    y_pred[y_pred == k - 1] = 0  # class k-1 is never predicted: its precision is 0/0
    where = f"{k} classes, class {k - 1} never predicted"
    for zero_division in (0.0, 1.0):
        for average in ("macro", "micro"):
            for name in SCORES:
                _compare_score(ctx, name, y_true, y_pred, average, zero_division, where)


@check(points=2, title={"en": "Zero division in the binary case", "zh": "二分类中的除以零"})
def zero_division(ctx):
    rng = ctx.rng
    n = int(rng.integers(10, 30))
    y_true = np.zeros(n, dtype=np.int64)
    y_true[rng.choice(n, size=3, replace=False)] = 1
    cases = [
        (y_true, np.zeros(n, dtype=np.int64), "y_pred without any positive prediction"),
        (np.zeros(n, dtype=np.int64), y_true, "y_true without any positive example"),
        (
            np.zeros(n, dtype=np.int64),
            np.zeros(n, dtype=np.int64),
            "labels without any positive at all",
        ),
    ]
    one = np.zeros(n, dtype=np.int64)
    one[np.flatnonzero(y_true)[0]] = 1  # precision 1 / 1: the edge next to 0 / 0
    cases.append((y_true, one, "y_pred with a single positive prediction, a right one"))
    for zd in (0.0, 1.0):
        for yt, yp, where in cases:
            for name in SCORES:
                _compare_score(ctx, name, yt, yp, "binary", zd, where)


@check(
    points=1,
    title={"en": "An unknown average raises ValueError", "zh": "未知的 average 抛出 ValueError"},
)
def unknown_average(ctx):
    y = ctx.rng.integers(0, 2, size=12)
    for name in SCORES:
        with expect_raises(f"{name}(y_true, y_pred, average='mean')", "ValueError"):
            getattr(ctx.learner, name)(y, y, average="mean")
