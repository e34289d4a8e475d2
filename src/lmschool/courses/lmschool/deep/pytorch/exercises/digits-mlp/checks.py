"""Hidden checks for deep/pytorch/digits-mlp (a lab graded on hidden held-out data).

The 1,797 digits are split per learner, stratified by label: 70% train, 30% test. The
learner's class is trained in the sandbox on the training part and predicts the test
part, whose labels stay here. Over 60 random splits the reference (64-256-10, Adam,
40 epochs) scored 0.976 on average and 0.961 at worst, in about 0.3 s of CPU per fit
with one thread.
"""

import functools

import numpy as np
from sklearn.datasets import load_digits

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
    X, y = load_digits(return_X_y=True)  # read once per grading process
    return X.astype(np.float64), y.astype(np.int64)


def _split(rng, train_fraction=0.7):
    """A stratified split (index arrays): train_fraction of every digit goes to training."""
    _, y = _data()
    train, test = [], []
    for label in range(10):
        idx = rng.permutation(np.flatnonzero(y == label))
        k = int(round(train_fraction * len(idx)))
        train.append(idx[:k])
        test.append(idx[k:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _labels(got, n, call):
    """The learner's predictions as an int vector of length n with values 0..9, or a failure."""
    if isinstance(got, RemoteObject):
        _fail(
            f"{call} must return a NumPy array or tensor, not a {got.type_name}.",
            f"{call} 必须返回 NumPy 数组或张量，而不是 {got.type_name}。",
        )
    try:
        pred = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(
            f"{call} must return an array of labels 0-9.", f"{call} 必须返回由 0-9 标签组成的数组。"
        )
    if pred.shape != (n,):
        if pred.shape == (n, 10):
            _fail(
                f"{call} returned shape {pred.shape}: one score per class (logits or probabilities). Return the labels: the argmax over the classes, .argmax(dim=1).",
                f"{call} 返回的形状为 {pred.shape}：每个类别一个分数（logits 或概率）。请返回标签：对类别取 argmax，即 .argmax(dim=1)。",
            )
        _fail(
            f"{call} returned shape {pred.shape}; expected ({n},), one label per image.",
            f"{call} 返回的形状为 {pred.shape}；期望为 ({n},)，每张图像一个标签。",
        )
    if (
        not np.all(np.isfinite(pred))
        or not np.all(pred == np.round(pred))
        or pred.min() < 0
        or pred.max() > 9
    ):
        _fail(
            f"{call} must return whole-number labels from 0 to 9.",
            f"{call} 必须返回 0 到 9 的整数标签。",
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
    model = ctx.learner.DigitsClassifier()
    with expect_raises("DigitsClassifier().predict(X) before fit", "RuntimeError"):
        model.predict(X[:5])


@check(
    points=2,
    title={
        "en": "fit returns self; predict returns labels (N,), the same on every call and for a row alone",
        "zh": "fit 返回 self；predict 返回 (N,) 个标签，每次调用结果相同，单独预测一行也相同",
    },
)
def contract(ctx):
    X, y = _data()
    train, test = _split(ctx.hidden_rng, train_fraction=0.2)  # a small training set: quick
    model = ctx.learner.DigitsClassifier()
    out = model.fit(X[train], y[train])
    expect(
        out == model,
        {
            "en": "fit(X, y) must return self (the same object), so that DigitsClassifier().fit(X, y).predict(X) works.",
            "zh": "fit(X, y) 必须返回 self（同一个对象），这样 DigitsClassifier().fit(X, y).predict(X) 才能工作。",
        },
    )
    rows = test  # about 1,400 rows: dropout left on changes some of them
    first = _labels(model.predict(X[rows]), len(rows), f"predict(X) for {len(rows)} rows")
    second = _labels(model.predict(X[rows]), len(rows), f"predict(X) for {len(rows)} rows")
    if not np.array_equal(first, second):
        changed = int(np.sum(first != second))
        _fail(
            f"Predicting the same {len(rows)} rows twice changed {changed} labels: the network is still in training mode, so dropout drops random units at prediction time. Call model.eval() at the end of fit (and model.train() before training).",
            f"对同样的 {len(rows)} 行预测两次，有 {changed} 个标签变了：网络仍处于训练模式，暂退法在预测时随机丢弃单元。请在 fit 末尾调用 model.eval()（训练前调用 model.train()）。",
        )
    alone = _labels(model.predict(X[rows[:1]]), 1, "predict(X) for a single row")
    if alone[0] != first[0]:
        _fail(
            "A row gets a different label alone than inside a batch: the prediction depends on the batch (batch normalisation in training mode uses the batch's statistics). Call model.eval() at the end of fit.",
            "同一行单独预测与放在一批中预测得到的标签不同：预测依赖于这一批数据（训练模式下的批量规范化使用这一批的统计量）。请在 fit 末尾调用 model.eval()。",
        )


@check(
    points=4,
    title={
        "en": "Accuracy of at least 0.95 on hidden test digits",
        "zh": "在隐藏的测试数字上准确率至少 0.95",
    },
)
def held_out_accuracy(ctx):
    X, y = _data()
    train, test = _split(ctx.hidden_rng)
    model = ctx.learner.DigitsClassifier()
    model.fit(X[train], y[train])
    pred = _labels(model.predict(X[test]), len(test), f"predict(X) for {len(test)} held-out images")
    accuracy = float(np.mean(pred == y[test]))
    if accuracy < 0.2:
        _fail(
            f"Held-out accuracy {accuracy:.3f} on {len(test)} images: chance level (0.1). The network is not learning: check that every batch runs opt.zero_grad(), loss.backward() and opt.step(), and that the loss is CrossEntropyLoss on raw logits and integer labels.",
            f"在 {len(test)} 张图像上的留出准确率为 {accuracy:.3f}：相当于随机猜测（0.1）。网络没有在学习：请检查每一批是否都执行了 opt.zero_grad()、loss.backward() 和 opt.step()，以及损失是否是作用于原始 logits 和整数标签的 CrossEntropyLoss。",
        )
    if accuracy < THRESHOLD:
        _fail(
            f"Held-out accuracy {accuracy:.3f} on {len(test)} images; at least {THRESHOLD} is needed. Scale the pixels to 0..1 (divide by 16), train longer (watch the training loss stop falling), and use Adam with a learning rate around 1e-3 to 3e-3.",
            f"在 {len(test)} 张图像上的留出准确率为 {accuracy:.3f}；至少需要 {THRESHOLD}。请把像素缩放到 0..1（除以 16），训练更久（观察训练损失不再下降），并使用学习率约 1e-3 到 3e-3 的 Adam。",
        )
