"""Grading shared by the four capstone labs (each lab's checks.py imports it).

A lab is graded on behaviour and on quality on hidden held-out data:

- the data is drawn per learner from ``ctx.hidden_rng`` (keyed by the grader's secret,
  so the visible seed and the generator's code do not reproduce it): the generator's rows for the
  finance, education and logistics labs, a shuffled breast-cancer table with
  missing values punched into it for the medicine lab;
- the learner's ``Pipeline`` is trained in the sandbox on the training rows only; the
  test rows go in without their labels, which never leave this trusted process;
- the score is compared with the lab's bar, which the reference solution clears with
  a margin and a majority-class or naive pipeline does not (tests/test_capstone_bars.py
  replays the grading on a few seeds; its docstring gives the figures over 100 seeds).

What every lab does (hidden seeds, fit and predict through handles, label checks, the
bar with its baseline, bilingual messages) comes from the checks API's lab kit
(lmschool.grading.labkit); this file holds what is particular to these four labs: their
data, bars, the missing-value and unknown-category checks, and the advice. It lives in
the lesson folder, outside every exercise, so that learners never see it; checks.py puts
the folder on sys.path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from lmschool.grading import labkit as kit
from lmschool.grading.proxy import LearnerError, RemoteObject
from lmschool.ml import generators

Data = tuple[np.ndarray, np.ndarray, list[str]]


@functools.cache
def _breast_cancer() -> tuple[np.ndarray, np.ndarray, list[str]]:
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer()
    # Medicine counts the disease as the positive class: 1 = malignant, 0 = benign.
    return (
        bunch.data.astype(np.float64),
        (1 - bunch.target).astype(np.int64),
        list(bunch.feature_names),
    )


def medicine_data(seed: int) -> Data:
    """All 569 tumours, shuffled, with ~8% of the values of 10 random columns missing."""
    X, y, names = _breast_cancer()
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(y))
    X, y = X[order].copy(), y[order]
    for j in rng.choice(X.shape[1], size=10, replace=False):
        X[rng.random(len(y)) < 0.08, j] = np.nan
    return X, y, names


@dataclass(frozen=True)
class Lab:
    industry: str
    data: Callable[[int], Data]  # seed -> (X, y, feature names)
    categorical: list[str] = field(default_factory=list)
    n_train: int = 3000  # generated labs: the first n_train rows train, the rest are hidden
    two_fold: bool = False  # medicine: train on one half, test the other, then swap
    # metric name -> bar; every bar must be reached
    bars: dict[str, float] = field(default_factory=dict)


LABS = {
    "medicine": Lab(
        industry="medicine",
        data=medicine_data,
        two_fold=True,
        bars={"accuracy": 0.93, "sensitivity": 0.90},
    ),
    "finance": Lab(
        industry="finance",
        data=lambda seed: generators.credit_default(6000, seed),
        categorical=generators.CATEGORICAL["credit-default"],
        bars={"balanced accuracy": 0.72},
    ),
    "education": Lab(
        industry="education",
        data=lambda seed: generators.student_pass(6000, seed),
        categorical=generators.CATEGORICAL["student-pass"],
        bars={"balanced accuracy": 0.75},
    ),
    "logistics": Lab(
        industry="logistics",
        data=lambda seed: generators.late_deliveries(6000, seed),
        categorical=generators.CATEGORICAL["late-deliveries"],
        bars={"balanced accuracy": 0.72},
    ),
}

METRICS = {
    "accuracy": kit.ACCURACY,
    "sensitivity": kit.Metric("sensitivity", "灵敏度（恶性的召回率）"),
    "balanced accuracy": kit.BALANCED_ACCURACY,
}


def metrics(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Accuracy, sensitivity (recall of class 1), specificity and balanced accuracy."""
    pos, neg = y == 1, y == 0
    sens = float((pred[pos] == 1).mean()) if pos.any() else 0.0
    spec = float((pred[neg] == 0).mean()) if neg.any() else 0.0
    return {
        "accuracy": float((pred == y).mean()),
        "sensitivity": sens,
        "specificity": spec,
        "balanced accuracy": (sens + spec) / 2,
    }


def _seed(ctx) -> int:
    # the server-side secret chooses each learner's rows and split (never the visible seed)
    return kit.hidden_int(ctx)


def _split(lab: Lab, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train index, test index) pairs; the test labels never reach the learner."""
    X, y, _ = lab.data(seed)
    if not lab.two_fold:
        return [(np.arange(lab.n_train), np.arange(lab.n_train, len(y)))]
    a, b = kit.stratified_halves(np.random.default_rng(seed + 1), y, shuffled=False)
    return [(a, b), (b, a)]


NAN_HINT = (
    "Every row must get a label, also rows with missing values: impute them inside the pipeline.",
    "每一行都必须得到标签，包括有缺失值的行：请在流程内部填补缺失值。",
)
PROBA_HINT = (
    "predict returns labels 0/1 (predict_proba may return probabilities).",
    "predict 应返回 0/1 标签（概率可以由 predict_proba 返回）。",
)


def _of_rows(n: int) -> tuple[str, str]:
    return f"predict(X) of {n} rows", f"对 {n} 行数据调用 predict(X)"


def labels(got, n: int, call: str | tuple[str, str]) -> np.ndarray:
    """The learner's predictions as a 0/1 int vector of length n, or a failure that says why."""
    return kit.labels(got, n, call, nan_hint=NAN_HINT, proba_hint=PROBA_HINT)


def _explain_nan(exc: LearnerError) -> tuple[str, str] | None:
    if "nan" not in exc.message.lower():
        return None
    first = exc.message.splitlines()[0]
    return (
        f"fit(X, y) raised {exc.type_name} because X has missing values (NaN), as real records do: {first} Impute them inside the pipeline (e.g. the training median per column, learned in fit) before scaling and the model.",
        f"fit(X, y) 抛出了 {exc.type_name}，因为 X 中有缺失值（NaN），真实记录就是这样：{first} 请在流程内部、在缩放和模型之前填补它们（例如用 fit 中学到的每列训练中位数）。",
    )


def _fitted(ctx, X: np.ndarray, y: np.ndarray):
    return kit.fit_model(
        ctx.learner.Pipeline(),
        X,
        y,
        returns_self=True,
        chain="Pipeline().fit(X, y).predict(X2)",
        explain=_explain_nan,
    )


def quality(ctx, lab: Lab) -> None:
    """Train on the training rows, predict the hidden rows, compare the metrics with the bars."""
    seed = _seed(ctx)
    X, y, _ = lab.data(seed)
    pred = np.empty(len(y), dtype=np.int64)
    tested = np.zeros(len(y), dtype=bool)
    for train, test in _split(lab, seed):
        model = _fitted(ctx, X[train], y[train])
        pred[test] = labels(
            model.predict(X[test]),
            len(test),
            (
                f"predict(X_hidden) of {len(test)} rows",
                f"对 {len(test)} 行隐藏数据调用 predict(X_hidden)",
            ),
        )
        tested[test] = True
    yt, pt = y[tested], pred[tested]
    got = metrics(yt, pt)
    majority = metrics(yt, np.full(len(yt), int(yt.mean() >= 0.5)))
    kit.quality_bars(
        {METRICS[k]: got[k] for k in lab.bars},
        {METRICS[k]: bar for k, bar in lab.bars.items()},
        where=kit.Noun("both halves", "两半数据上")
        if lab.two_fold
        else kit.Noun(f"{tested.sum()} hidden rows", f"{tested.sum()} 条隐藏数据上"),
        model=kit.Noun("pipeline", "流程"),
        baselines=[
            kit.Baseline(
                "always predicting the majority class",
                "总是预测多数类",
                {METRICS[k]: majority[k] for k in lab.bars},
            )
        ],
        advice=lambda: _advice(yt, pt, got),
    )


def _advice(yt: np.ndarray, pt: np.ndarray, got: dict[str, float]) -> tuple[str, str]:
    """What to change, read from the pattern of the pipeline's mistakes."""
    rare = int(yt.mean() < 0.5)  # the minority class
    recall = {1: got["sensitivity"], 0: got["specificity"]}
    if len(np.unique(pt)) == 1:
        never = 1 - int(pt[0])
        share = float((yt == never).mean())
        return (
            f"Your pipeline predicted {int(pt[0])} for every row. Class {never} is {share:.0%} of the data, and a model trained without class weights can learn that never predicting it is the cheapest mistake. Use class_weight='balanced' (or weight the loss yourself), or move the decision threshold.",
            f"你的流程对每一行都预测了 {int(pt[0])}。类别 {never} 占数据的 {share:.0%}，不加类别权重训练的模型可能学到“永远不预测它”是代价最小的错误。请使用 class_weight='balanced'（或自己给损失加权），或者移动判定阈值。",
        )
    if recall[rare] < 0.6 and recall[1 - rare] > 0.85:
        return (
            f"You find only {recall[rare]:.0%} of the rows of the rarer class {rare} (and {recall[1 - rare]:.0%} of class {1 - rare}): the classes are imbalanced, so weight them (class_weight='balanced') or move the threshold.",
            f"较少的类别 {rare} 中你只找出了 {recall[rare]:.0%}（类别 {1 - rare} 中找出了 {recall[1 - rare]:.0%}）：类别不平衡，请给类别加权（class_weight='balanced'）或移动阈值。",
        )
    return (
        "Check the pipeline step by step: impute missing values (median, fitted on the training data) and add missing-value indicators, one-hot encode the categorical columns, standardise, and tune the model's regularisation with cross-validation on the training data.",
        "请逐步检查流程：填补缺失值（用训练数据拟合的中位数）并加上缺失指示列，对类别列做独热编码，标准化，再在训练数据上用交叉验证调节模型的正则化强度。",
    )


def _small(ctx, lab: Lab, n_train: int = 800):
    """A model fitted on a smaller training set, and some held-out rows (features only)."""
    seed = _seed(ctx)
    X, y, names = lab.data(seed)
    if lab.two_fold:
        train, test = _split(lab, seed)[0]
    else:
        train, test = np.arange(n_train), np.arange(n_train, len(y))
    return _fitted(ctx, X[train], y[train]), X[train], X[test], names


def fit_returns_self(ctx, lab: Lab) -> None:
    X, y, _ = lab.data(_seed(ctx))
    _fitted(ctx, X[:400], y[:400])


def batch_independent(ctx, lab: Lab) -> None:
    """A row's label must not depend on the rows it comes with (no statistics of the batch)."""
    model, _, X_test, _ = _small(ctx, lab)
    batch = X_test[:120]
    whole = labels(model.predict(batch), len(batch), _of_rows(len(batch)))
    # Rows of both predicted labels, and rows with missing values (a batch-fitted imputer
    # or scaler changes those first): a pipeline that refits on its input cannot match all.
    has_nan = np.flatnonzero(np.isnan(batch).any(axis=1))
    picks = np.unique(
        np.concatenate(
            [np.flatnonzero(whole == 1)[:3], np.flatnonzero(whole == 0)[:3], has_nan[:2]]
        )
    )
    kit.expect_rows_independent(
        lambda A: labels(model.predict(A), len(A), _of_rows(len(A))),
        batch,
        picks,
        batch=whole,
        advice=(
            "A deployed model sees one request at a time: learn every statistic (imputation values, means, scales) in fit and only apply it in predict; never fit anything on the batch you predict.",
            "部署后的模型一次只收到一个请求：所有统计量（填补值、均值、尺度）都要在 fit 中学到，在 predict 中只使用它们；绝不要在要预测的这批数据上拟合任何东西。",
        ),
    )


def wrong_columns(ctx, lab: Lab) -> None:
    model, _, X_test, names = _small(ctx, lab)
    d = len(names)
    for cols, what_en, what_zh in [
        (X_test[:5, : d - 1], f"{d - 1} columns (one missing)", f"{d - 1} 列（少一列）"),
        (
            np.column_stack([X_test[:5], X_test[:5, :1]]),
            f"{d + 1} columns (one extra)",
            f"{d + 1} 列（多一列）",
        ),
    ]:
        try:
            got = model.predict(cols)
        except LearnerError as exc:
            if "ValueError" in exc.mro:
                continue
            kit.fail_text(
                f"predict(X) with {what_en} raised {exc.type_name} ({exc.message}); raise ValueError with a message such as 'expected {d} columns, got {cols.shape[1]}'.",
                f"对 {what_zh} 的 X 调用 predict 抛出了 {exc.type_name}（{exc.message}）；请抛出 ValueError，并给出类似 “expected {d} columns, got {cols.shape[1]}” 的信息。",
            )
        else:
            kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
            kit.fail_text(
                f"predict(X) with {what_en} returned a {kind} instead of raising ValueError. The model was trained on {d} columns: silently using other columns gives confident nonsense in production. Compare X.shape[1] with the number of columns seen in fit.",
                f"对 {what_zh} 的 X 调用 predict 返回了 {kind}，而没有抛出 ValueError。模型是在 {d} 列上训练的：悄悄使用别的列，上线后会给出看似可信的错误结果。请把 X.shape[1] 与 fit 时见过的列数比较。",
            )


def hard_rows(ctx, lab: Lab) -> None:
    """Rows with every missing-prone column empty and, where there are categories, unseen codes."""
    model, X_train, X_test, names = _small(ctx, lab)
    rows = X_test[:8].copy()
    nan_cols = np.flatnonzero(np.isnan(X_train).any(axis=0))
    rows[:4, nan_cols] = np.nan
    what_en, what_zh = (
        "every column that has missing values in the training data empty",
        "训练数据中有缺失值的列全部为空",
    )
    if lab.categorical:
        for c in lab.categorical:
            j = names.index(c)
            rows[4:, j] = np.nanmax(X_train[:, j]) + 1  # a code fit never saw
        cats = ", ".join(lab.categorical)
        what_en += f", and rows whose categorical columns ({cats}) hold a code that never appeared in training"
        what_zh += f"，以及类别列（{cats}）取了训练中从未出现过的编码的行"
    try:
        got = model.predict(rows)
    except LearnerError as exc:
        kit.fail_text(
            f"predict(X) raised {exc.type_name} ({exc.message}) on rows with {what_en}. In production such rows arrive (a new branch, a form left blank): impute with values learned in fit and ignore unknown categories (OneHotEncoder(handle_unknown='ignore'), or all-zero one-hot columns).",
            f"在{what_zh}时，predict(X) 抛出了 {exc.type_name}（{exc.message}）。上线后这样的行一定会出现（新开的网点、没填的表格）：用 fit 中学到的值填补，并忽略未知类别（OneHotEncoder(handle_unknown='ignore')，或让独热列全为 0）。",
        )
    labels(got, len(rows), f"predict(X) on rows with {what_en}")
