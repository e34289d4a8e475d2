"""Hidden checks for deep/cnn/digits-cnn (a lab graded on held-out data).

scikit-learn's digits are split per learner, stratified by label: 70% train, 30% hidden
(about 540 images). The learner's class trains in the sandbox on the training part and
predicts the hidden part, whose labels stay here. The bar is 0.97. The reference (two conv-ReLU-maxpool
blocks, Adam, 20 epochs, about 1.7 s of CPU per training on one thread) scored 0.981 to
0.991 (mean 0.986) over 14 random 70/30 splits, and 0.981 to 0.994 (mean 0.988) on the
splits this file draws for 12 learner seeds.
"""

import functools

import numpy as np
from sklearn.datasets import load_digits

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check

THRESHOLD = 0.97
IMAGE = kit.Noun("image", "张图像")


@functools.cache
def _data():
    X, y = load_digits(return_X_y=True)
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
        ctx.learner.DigitsCNN(), X[:5], call="DigitsCNN().predict(X) before fit"
    )


@check(
    points=1,
    title={
        "en": "fit returns self; predict returns labels of shape (N,) that do not depend on the batch",
        "zh": "fit 返回 self；predict 返回形状为 (N,) 且不依赖于同批其他数据的标签",
    },
)
def contract(ctx):
    X, y = _data()
    train, hidden = kit.stratified_split(ctx.hidden_rng, y, 0.7)
    small = train[:300]  # a short training run is enough to test the contract
    model = kit.fit_model(
        ctx.learner.DigitsCNN(),
        X[small],
        y[small],
        returns_self=True,
        chain="DigitsCNN().fit(X, y).predict(X)",
    )
    kit.expect_rows_independent(
        lambda A: _predict(model, A),
        X[hidden[:40]],
        range(3),
        unit=IMAGE,
        advice=(
            "Call model.eval() before predicting (dropout and batch normalisation behave differently in training mode), and scale the pixels by a constant (16), not by statistics of the batch.",
            "预测前请调用 model.eval()（暂退法和批量规范化在训练模式下行为不同），并用常数（16）缩放像素，而不是用这批数据自己的统计量。",
        ),
    )


@check(
    points=4,
    title={
        "en": "Accuracy of at least 0.97 on hidden digits",
        "zh": "在隐藏的数字图像上准确率至少 0.97",
    },
)
def held_out_accuracy(ctx):
    X, y = _data()
    train, hidden = kit.stratified_split(ctx.hidden_rng, y, 0.7)
    model = kit.fit_model(ctx.learner.DigitsCNN(), X[train], y[train])
    pred = _predict(model, X[hidden])
    accuracy = kit.accuracy(y[hidden], pred)
    if accuracy < 0.3:
        advice = (
            "The network has not learned (10 classes: 0.1 is chance). Check that every step calls opt.zero_grad(), loss.backward() and opt.step(), that the optimizer was given model.parameters(), that each minibatch takes its labels with the same indices as its images, and that predict uses the trained model.",
            "网络没有学到东西（10 个类别，随机猜测为 0.1）。请检查每一步是否都调用了 opt.zero_grad()、loss.backward() 和 opt.step()，优化器是否拿到了 model.parameters()，每个小批量的标签是否与图像使用相同的下标选取，以及 predict 是否使用了训练好的模型。",
        )
    else:
        advice = (
            "Scale the pixels to 0..1 (divide by 16), use two conv-ReLU-maxpool blocks with enough channels (32 and 64), and train longer (about 20 epochs of minibatches of 32 with Adam, lr 3e-3).",
            "请把像素缩放到 0..1（除以 16），使用两个通道数足够（32 和 64）的“卷积-ReLU-最大汇聚”块，并训练更久（用 Adam、学习率 3e-3，小批量 32，约 20 个 epoch）。",
        )
    kit.quality_bar(
        kit.ACCURACY,
        accuracy,
        THRESHOLD,
        where=kit.Noun(f"{len(hidden)} hidden images", f"{len(hidden)} 张隐藏图像上"),
        baselines=[kit.Baseline("guessing", "随机猜测", {kit.ACCURACY: 0.1})],
        advice=advice,
    )
