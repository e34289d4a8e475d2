"""Hidden checks for pipeline/logistic-regression/breast-cancer (a lab graded on held-out data).

The data set is split per learner into two stratified halves. The learner's class is
trained in the sandbox on one half (features and labels) and predicts the other half
(features only: the held-out labels stay here); then the halves swap. The pooled
accuracy over all 569 tumours must reach 0.95: over 600 random halvings the reference
solution (standardised logistic regression) scored 0.975 on average and 0.954 at worst.
Pooling both halves halves the variance of a single 50/50 split.
"""

import functools

import numpy as np
from sklearn.datasets import load_breast_cancer

from lmschool.grading.checks import check, expect, expect_raises, fail
from lmschool.grading.proxy import RemoteObject

THRESHOLD = 0.95


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


@functools.cache
def _data():
    X, y = load_breast_cancer(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def _halves(rng):
    """Two stratified halves (index arrays) of the data set."""
    _, y = _data()
    a, b = [], []
    for label in (0, 1):
        idx = rng.permutation(np.flatnonzero(y == label))
        a.append(idx[: len(idx) // 2])
        b.append(idx[len(idx) // 2 :])
    return rng.permutation(np.concatenate(a)), rng.permutation(np.concatenate(b))


def _labels(got, n, call):
    """The learner's predictions as a 0/1 vector of length n, or a failure naming the problem."""
    if isinstance(got, RemoteObject):
        _fail(
            f"{call} must return a NumPy array, not a {got.type_name}.",
            f"{call} 必须返回 NumPy 数组，而不是 {got.type_name}。",
        )
    try:
        pred = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(
            f"{call} must return an array of labels 0/1.", f"{call} 必须返回由 0/1 标签组成的数组。"
        )
    if pred.shape != (n,):
        extra_en = extra_zh = ""
        if pred.shape == (n, 1):
            extra_en, extra_zh = (
                " Flatten the column with .ravel().",
                " 请用 .ravel() 把这一列展平。",
            )
        _fail(
            f"{call} returned shape {pred.shape}; expected ({n},), one label per row.{extra_en}",
            f"{call} 返回的形状为 {pred.shape}；期望为 ({n},)，每行一个标签。{extra_zh}",
        )
    if not np.all(np.isfinite(pred)):
        _fail(f"{call} returned NaN or inf values.", f"{call} 返回了 NaN 或 inf。")
    if not np.all((pred == 0) | (pred == 1)):
        bad = pred[(pred != 0) & (pred != 1)][0]
        if np.all((pred >= 0) & (pred <= 1)):
            _fail(
                f"{call} returned values such as {bad:.6g}: those are probabilities. Return labels: 1 where the probability is above 0.5 (the logit above 0), else 0.",
                f"{call} 返回了 {bad:.6g} 这样的值：这些是概率。请返回标签：概率大于 0.5（logit 大于 0）时为 1，否则为 0。",
            )
        _fail(
            f"{call} returned values such as {bad:.4g}; predict must return labels 0 and 1 only.",
            f"{call} 返回了 {bad:.4g} 这样的值；predict 只能返回标签 0 和 1。",
        )
    return pred.astype(np.int64)


@check(
    points=1,
    title={
        "en": "predict before fit raises RuntimeError",
        "zh": "fit 之前调用 predict 会抛出 RuntimeError",
    },
)
def predict_before_fit(ctx):
    X, _ = _data()
    model = ctx.learner.BreastCancerClassifier()
    with expect_raises("BreastCancerClassifier().predict(X) before fit", "RuntimeError"):
        model.predict(X[:5])


@check(
    points=1,
    title={
        "en": "fit returns self; predict returns 0/1 labels of shape (N,)",
        "zh": "fit 返回 self；predict 返回形状为 (N,) 的 0/1 标签",
    },
)
def contract(ctx):
    X, y = _data()
    train, test = _halves(ctx.hidden_rng)
    model = ctx.learner.BreastCancerClassifier()
    out = model.fit(X[train], y[train])
    expect(
        out == model,
        {
            "en": "fit(X, y) must return self (the same object), so that BreastCancerClassifier().fit(X, y).predict(X) works.",
            "zh": "fit(X, y) 必须返回 self（同一个对象），这样 BreastCancerClassifier().fit(X, y).predict(X) 才能工作。",
        },
    )
    some = test[:25]
    _labels(model.predict(X[some]), len(some), f"predict(X) for {len(some)} rows")


@check(
    points=4,
    title={
        "en": "Accuracy of at least 0.95 on held-out tumours",
        "zh": "在留出的肿瘤数据上准确率至少 0.95",
    },
)
def held_out_accuracy(ctx):
    X, y = _data()
    first, second = _halves(ctx.hidden_rng)
    correct = 0
    per_half = []
    for train, test in ((first, second), (second, first)):
        model = ctx.learner.BreastCancerClassifier()  # a fresh model for each half
        model.fit(X[train], y[train])
        pred = _labels(
            model.predict(X[test]), len(test), f"predict(X) for {len(test)} held-out rows"
        )
        hits = int(np.sum(pred == y[test]))
        correct += hits
        per_half.append(hits / len(test))
    accuracy = correct / len(y)
    halves = ", ".join(f"{a:.3f}" for a in per_half)
    if accuracy < 0.1:
        _fail(
            f"Held-out accuracy {accuracy:.3f} (halves: {halves}): almost every prediction is the opposite label. In this data set 1 means benign and 0 malignant: predict 1 where the model's probability of label 1 is above 0.5.",
            f"留出数据上的准确率为 {accuracy:.3f}（两半分别为：{halves}）：几乎每个预测都与真实标签相反。在这个数据集中 1 表示良性、0 表示恶性：当模型给出标签 1 的概率大于 0.5 时预测 1。",
        )
    if accuracy < THRESHOLD:
        _fail(
            f"Held-out accuracy {accuracy:.3f} over {len(y)} tumours (halves: {halves}); at least {THRESHOLD} is needed. Standardise the features with the training mean and standard deviation, train long enough that the training loss stops falling, and threshold the logit at 0.",
            f"在 {len(y)} 个肿瘤上的留出准确率为 {accuracy:.3f}（两半分别为：{halves}）；至少需要 {THRESHOLD}。请用训练数据的均值和标准差对特征做标准化，训练到训练损失不再下降为止，并以 logit 为 0 作为阈值。",
        )


@check(
    points=1,
    title={
        "en": "A row's prediction does not depend on the rest of the batch",
        "zh": "每一行的预测不依赖于同一批中的其他行",
    },
)
def rows_independent(ctx):
    X, y = _data()
    train, test = _halves(ctx.hidden_rng)
    model = ctx.learner.BreastCancerClassifier()
    model.fit(X[train], y[train])
    # three benign and three malignant held-out rows: a constant prediction cannot match all six
    rows = np.concatenate(
        [
            ctx.rng.choice(test[y[test] == 0], 3, replace=False),
            ctx.rng.choice(test[y[test] == 1], 3, replace=False),
        ]
    )
    batch = _labels(model.predict(X[test]), len(test), "predict(X) for the held-out half")
    position = {int(i): k for k, i in enumerate(test)}
    for i in rows:
        alone = _labels(model.predict(X[i : i + 1]), 1, "predict(X) for a single row")
        if alone[0] != batch[position[int(i)]]:
            _fail(
                "A row gets a different label when it is predicted alone than inside a batch: predict standardises with the statistics of the batch it is given. Store the mean and standard deviation in fit and reuse them in predict.",
                "同一行单独预测与放在一批中预测得到的标签不同：predict 用传入的这批数据自己的统计量做了标准化。请在 fit 中保存均值和标准差，并在 predict 中复用它们。",
            )
