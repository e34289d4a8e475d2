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

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check

THRESHOLD = 0.95
IMAGE = kit.Noun("image", "张图像")


@functools.cache
def _data():
    X, y = load_digits(return_X_y=True)  # read once per grading process
    return X.astype(np.float64), y.astype(np.int64)


def _predict(model, X, call=""):
    return kit.predict_labels(model, X, call=call, classes=10, unit=IMAGE)


@check(
    points=1,
    title={
        "en": "predict before fit raises RuntimeError",
        "zh": "fit 之前调用 predict 会抛出 RuntimeError",
    },
)
def predict_before_fit(ctx):
    X, _ = _data()
    kit.expect_predict_before_fit_raises(
        ctx.learner.DigitsClassifier(), X[:5], call="DigitsClassifier().predict(X) before fit"
    )


@check(
    points=2,
    title={
        "en": "fit returns self; predict returns labels (N,), the same on every call and for a row alone",
        "zh": "fit 返回 self；predict 返回 (N,) 个标签，每次调用结果相同，单独预测一行也相同",
    },
)
def contract(ctx):
    X, y = _data()
    train, test = kit.stratified_split(ctx.hidden_rng, y, 0.2)  # a small training set: quick
    model = kit.fit_model(
        ctx.learner.DigitsClassifier(),
        X[train],
        y[train],
        returns_self=True,
        chain="DigitsClassifier().fit(X, y).predict(X)",
    )
    rows = test  # about 1,400 rows: dropout left on changes some of them
    first = kit.expect_repeatable(lambda A: _predict(model, A), X[rows], unit=IMAGE)
    kit.expect_rows_independent(
        lambda A: _predict(model, A),
        X[rows],
        [0],
        unit=IMAGE,
        batch=first,
        advice=(
            "The prediction depends on the batch (batch normalisation in training mode uses the batch's statistics). Call model.eval() at the end of fit.",
            "预测依赖于这一批数据（训练模式下的批量规范化使用这一批的统计量）。请在 fit 末尾调用 model.eval()。",
        ),
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
    train, test = kit.stratified_split(ctx.hidden_rng, y, 0.7)
    model = kit.fit_model(ctx.learner.DigitsClassifier(), X[train], y[train])
    pred = _predict(model, X[test])
    accuracy = kit.accuracy(y[test], pred)
    if accuracy < 0.2:
        advice = (
            "That is chance level (0.1): the network is not learning. Check that every batch runs opt.zero_grad(), loss.backward() and opt.step(), and that the loss is CrossEntropyLoss on raw logits and integer labels.",
            "这相当于随机猜测（0.1）：网络没有在学习。请检查每一批是否都执行了 opt.zero_grad()、loss.backward() 和 opt.step()，以及损失是否是作用于原始 logits 和整数标签的 CrossEntropyLoss。",
        )
    else:
        advice = (
            "Scale the pixels to 0..1 (divide by 16), train longer (watch the training loss stop falling), and use Adam with a learning rate around 1e-3 to 3e-3.",
            "请把像素缩放到 0..1（除以 16），训练更久（观察训练损失不再下降），并使用学习率约 1e-3 到 3e-3 的 Adam。",
        )
    kit.quality_bar(
        kit.ACCURACY,
        accuracy,
        THRESHOLD,
        where=kit.Noun(f"{len(test)} held-out images", f"{len(test)} 张留出图像上"),
        baselines=[kit.Baseline("guessing", "随机猜测", {kit.ACCURACY: 0.1})],
        advice=advice,
    )
