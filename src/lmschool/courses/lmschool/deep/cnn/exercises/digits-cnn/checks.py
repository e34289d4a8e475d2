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

from lmschool.grading.checks import check, expect, expect_raises, fail
from lmschool.grading.proxy import RemoteObject

THRESHOLD = 0.97


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


@functools.cache
def _data():
    X, y = load_digits(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def _split(rng, train_share=0.7):
    """Stratified train / hidden index arrays."""
    _, y = _data()
    train, hidden = [], []
    for label in range(10):
        idx = rng.permutation(np.flatnonzero(y == label))
        k = int(round(train_share * len(idx)))
        train.append(idx[:k])
        hidden.append(idx[k:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(hidden))


def _labels(got, n, call):
    """The learner's predictions as integer labels of shape (n,), or a failure naming the problem."""
    if isinstance(got, RemoteObject):
        _fail(
            f"{call} must return a NumPy array of labels, not a {got.type_name}.",
            f"{call} 必须返回由标签组成的 NumPy 数组，而不是 {got.type_name}。",
        )
    if type(got).__module__.startswith("torch"):
        got = got.detach().cpu().numpy()
    try:
        pred = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(
            f"{call} must return an array of labels 0..9.",
            f"{call} 必须返回由标签 0..9 组成的数组。",
        )
    if pred.shape == (n, 10):
        _fail(
            f"{call} returned shape {pred.shape}: one score per class (logits or probabilities). Return the labels: logits.argmax(dim=1), shape ({n},).",
            f"{call} 返回的形状为 {pred.shape}：这是每个类别一个分数（logits 或概率）。请返回标签：logits.argmax(dim=1)，形状为 ({n},)。",
        )
    if pred.shape != (n,):
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
            f"{call} returned values such as {pred[0]:.4g}; predict must return integer labels 0..9.",
            f"{call} 返回了 {pred[0]:.4g} 这样的值；predict 必须返回 0..9 的整数标签。",
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
    model = ctx.learner.DigitsCNN()
    with expect_raises("DigitsCNN().predict(X) before fit", "RuntimeError"):
        model.predict(X[:5])


@check(
    points=1,
    title={
        "en": "fit returns self; predict returns labels of shape (N,) that do not depend on the batch",
        "zh": "fit 返回 self；predict 返回形状为 (N,) 且不依赖于同批其他数据的标签",
    },
)
def contract(ctx):
    X, y = _data()
    train, hidden = _split(ctx.hidden_rng)
    small = train[:300]  # a short training run is enough to test the contract
    model = ctx.learner.DigitsCNN()
    out = model.fit(X[small], y[small])
    expect(
        out == model,
        {
            "en": "fit(X, y) must return self (the same object), so that DigitsCNN().fit(X, y).predict(X) works.",
            "zh": "fit(X, y) 必须返回 self（同一个对象），这样 DigitsCNN().fit(X, y).predict(X) 才能工作。",
        },
    )
    rows = hidden[:40]
    batch = _labels(model.predict(X[rows]), len(rows), f"predict(X) for {len(rows)} images")
    for k in range(3):
        alone = _labels(model.predict(X[rows[k] : rows[k] + 1]), 1, "predict(X) for a single image")
        if alone[0] != batch[k]:
            _fail(
                "An image gets a different label when it is predicted alone than inside a batch. Call model.eval() before predicting (dropout and batch normalisation behave differently in training mode), and scale the pixels by a constant (16), not by statistics of the batch.",
                "同一张图像单独预测与放在一批中预测得到的标签不同。预测前请调用 model.eval()（暂退法和批量规范化在训练模式下行为不同），并用常数（16）缩放像素，而不是用这批数据自己的统计量。",
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
    train, hidden = _split(ctx.hidden_rng)
    model = ctx.learner.DigitsCNN()
    model.fit(X[train], y[train])
    pred = _labels(
        model.predict(X[hidden]), len(hidden), f"predict(X) for {len(hidden)} hidden images"
    )
    accuracy = float(np.mean(pred == y[hidden]))
    if accuracy < 0.3:
        _fail(
            f"Hidden-set accuracy {accuracy:.3f} on {len(hidden)} images: the network has not learned (10 classes: 0.1 is chance). Check that every step calls opt.zero_grad(), loss.backward() and opt.step(), that the optimizer was given model.parameters(), that each minibatch takes its labels with the same indices as its images, and that predict uses the trained model.",
            f"在 {len(hidden)} 张隐藏图像上的准确率为 {accuracy:.3f}：网络没有学到东西（10 个类别，随机猜测为 0.1）。请检查每一步是否都调用了 opt.zero_grad()、loss.backward() 和 opt.step()，优化器是否拿到了 model.parameters()，每个小批量的标签是否与图像使用相同的下标选取，以及 predict 是否使用了训练好的模型。",
        )
    if accuracy < THRESHOLD:
        _fail(
            f"Hidden-set accuracy {accuracy:.3f} on {len(hidden)} images; at least {THRESHOLD} is needed. Scale the pixels to 0..1 (divide by 16), use two conv-ReLU-maxpool blocks with enough channels (32 and 64), and train longer (about 20 epochs of minibatches of 32 with Adam, lr 3e-3).",
            f"在 {len(hidden)} 张隐藏图像上的准确率为 {accuracy:.3f}；至少需要 {THRESHOLD}。请把像素缩放到 0..1（除以 16），使用两个通道数足够（32 和 64）的“卷积-ReLU-最大汇聚”块，并训练更久（用 Adam、学习率 3e-3，小批量 32，约 20 个 epoch）。",
        )
