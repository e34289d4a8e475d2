"""Hidden checks for deep/capstone/lab-sequences: card testing, then cash-out.

The histories come from ../../labdata.py (the lesson folder, which no learner sees): 1000
to train, 300 hidden whose labels stay here. The score is balanced accuracy; the bar is
0.90. Measured on 8 seeds (1000 train / 300 test each): the reference 1-D CNN (two Conv1d
of width 5, global max pooling; 0.4 to 1.3 s of CPU per training on one thread) scored
0.990 to 1.000; an MLP on the flattened series (scikit-learn, 64 hidden units) 0.500 to
0.584; an MLP on the bag of values (each channel's sorted values, so the order is lost)
0.471 to 0.529 (chance is 0.5). The wrong solution reshape_not_permute scored 0.67 to
0.69, so the "order ignored" diagnosis (which names permute) covers scores below 0.75.
The check computes the bag-of-values
baseline (logistic regression) on the learner's own split and reports it.
"""

import sys
from pathlib import Path

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from lmschool.grading.checks import check, expect, expect_raises, fail
from lmschool.grading.proxy import RemoteObject

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import labdata  # noqa: E402

N_TRAIN, N_HIDDEN, BAR = 1000, 300, 0.90


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _data(ctx):
    X, y = labdata.make_transactions(ctx.hidden_seed, N_TRAIN + N_HIDDEN)
    return X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]


def _labels(got, n, call):
    """The learner's predictions as integer labels of shape (n,), or a failure naming the problem."""
    if isinstance(got, RemoteObject):
        _fail(
            f"{call} must return a NumPy array of labels, not a {got.type_name}.",
            f"{call} 必须返回由标签组成的 NumPy 数组，而不是 {got.type_name}。",
        )
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    try:
        pred = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(
            f"{call} must return an array of labels 0 and 1.",
            f"{call} 必须返回由标签 0 和 1 组成的数组。",
        )
    if pred.shape == (n, 2):
        _fail(
            f"{call} returned shape {pred.shape}: one score per class (logits or probabilities). Return the labels: logits.argmax(dim=1), shape ({n},).",
            f"{call} 返回的形状为 {pred.shape}：这是每个类别一个分数（logits 或概率）。请返回标签：logits.argmax(dim=1)，形状为 ({n},)。",
        )
    if pred.shape != (n,):
        _fail(
            f"{call} returned shape {pred.shape}; expected ({n},), one label per account.",
            f"{call} 返回的形状为 {pred.shape}；期望为 ({n},)，每个账户一个标签。",
        )
    if (
        not np.all(np.isfinite(pred))
        or not np.all(pred == np.round(pred))
        or pred.min() < 0
        or pred.max() > 1
    ):
        _fail(
            f"{call} returned values such as {pred[0]:.4g}; predict must return integer labels 0 (normal) or 1 (fraud).",
            f"{call} 返回了 {pred[0]:.4g} 这样的值；predict 必须返回整数标签 0（正常）或 1（欺诈）。",
        )
    return pred.astype(np.int64)


def _balanced_accuracy(y, pred):
    return float(np.mean([np.mean(pred[y == k] == k) for k in np.unique(y)]))


@check(
    points=1,
    title={
        "en": "predict before fit raises RuntimeError",
        "zh": "fit 之前调用 predict 会抛出 RuntimeError",
    },
)
def predict_before_fit(ctx):
    X, _, _, _ = _data(ctx)
    model = ctx.learner.Model()
    with expect_raises("Model().predict(X) before fit", "RuntimeError"):
        model.predict(X[:5])


@check(
    points=1,
    title={
        "en": "fit returns self; predict returns labels of shape (N,) that do not depend on the batch",
        "zh": "fit 返回 self；predict 返回形状为 (N,) 且不依赖于同批其他数据的标签",
    },
)
def contract(ctx):
    X, y, Xh, _ = _data(ctx)
    model = ctx.learner.Model()
    out = model.fit(X[:200], y[:200])  # a short training run is enough to test the contract
    expect(
        out == model,
        {
            "en": "fit(X, y) must return self (the same object), so that Model().fit(X, y).predict(X) works.",
            "zh": "fit(X, y) 必须返回 self（同一个对象），这样 Model().fit(X, y).predict(X) 才能工作。",
        },
    )
    batch = _labels(model.predict(Xh[:40]), 40, "predict(X) for 40 histories")
    for k in range(3):
        alone = _labels(model.predict(Xh[k : k + 1]), 1, "predict(X) for a single history")
        if alone[0] != batch[k]:
            _fail(
                "An account gets a different label when it is predicted alone than inside a batch. Call model.eval() before predicting, and do not normalise with statistics of the batch being predicted.",
                "同一个账户单独预测与放在一批中预测得到的标签不同。预测前请调用 model.eval()，也不要用正在预测的这批数据的统计量做归一化。",
            )


def _bag_of_values(X):
    """Each channel's values sorted: everything about the history except the order of hours."""
    return np.sort(X, axis=1).reshape(len(X), -1)


@check(
    points=4,
    title={
        "en": "Balanced accuracy of at least 0.90 on 300 hidden accounts",
        "zh": "在 300 个隐藏账户上平衡准确率至少 0.90",
    },
)
def hidden_accuracy(ctx):
    X, y, Xh, yh = _data(ctx)
    model = ctx.learner.Model()
    model.fit(X, y)
    pred = _labels(model.predict(Xh), len(Xh), f"predict(X) for {len(Xh)} hidden accounts")
    score = _balanced_accuracy(yh, pred)
    if score >= BAR:
        return
    bag = LogisticRegression(max_iter=500).fit(_bag_of_values(X), y)
    baseline = _balanced_accuracy(yh, bag.predict(_bag_of_values(Xh)))
    if score < 0.75:
        _fail(
            f"Balanced accuracy on the hidden accounts is {score:.3f}; the bar is {BAR:.2f}, and a bag-of-values model (each channel's values sorted, the order of hours thrown away) scores {baseline:.3f} here (chance is 0.5). Both classes contain the same burst and the same withdrawal; only their ORDER and distance in time tell fraud from normal, so a model that ignores time (per-channel statistics, histograms, sorted values) cannot pass. If your model is a Conv1d or a GRU, check that it trains, and that (N, T, C) becomes (N, C, T) with X.permute(0, 2, 1) for Conv1d: X.reshape(N, C, T) keeps the numbers but scrambles hours and channels.",
            f"在隐藏账户上的平衡准确率为 {score:.3f}；要求为 {BAR:.2f}，而“值的袋子”模型（把每个通道的值排序，丢掉小时的顺序）在这里得到 {baseline:.3f}（随机猜测为 0.5）。两个类别都含有同样的突发和同样的取现；只有它们在时间上的先后和间隔能区分欺诈与正常，所以忽略时间的模型（按通道的统计量、直方图、排序后的值）不可能通过。如果你的模型是 Conv1d 或 GRU，请检查它确实在训练，并且对 Conv1d 用 X.permute(0, 2, 1) 把 (N, T, C) 变成 (N, C, T)：X.reshape(N, C, T) 保留了数值，却把小时和通道打乱了。",
        )
    _fail(
        f"Balanced accuracy on the hidden accounts is {score:.3f}; the bar is {BAR:.2f} (a bag-of-values model scores {baseline:.3f}). The pattern spans about 6 hours: stack two Conv1d layers of width 5 (a receptive field of 9 hours) with a global max pooling over time, or run a GRU over the hours, and train for about 15 epochs with Adam.",
        f"在隐藏账户上的平衡准确率为 {score:.3f}；要求为 {BAR:.2f}（“值的袋子”模型得到 {baseline:.3f}）。这个模式大约跨 6 个小时：叠两层宽度为 5 的 Conv1d（感受野 9 小时）并在时间上做全局最大汇聚，或者在小时序列上运行 GRU，用 Adam 训练约 15 个 epoch。",
    )
