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
from sklearn.linear_model import LogisticRegression

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import labdata  # noqa: E402

N_TRAIN, N_HIDDEN, BAR = 1000, 300, 0.90
CLASSES = 2  # 0 normal, 1 fraud
UNIT = kit.Noun("account", "个账户")


def _bag_of_values(X):
    """Each channel's values sorted: everything about the history except the order of hours."""
    return np.sort(X, axis=1).reshape(len(X), -1)


def _baseline(X, y, Xh, yh):
    """Logistic regression on the bag of values: a model blind to the order of hours."""
    bag = LogisticRegression(max_iter=500).fit(_bag_of_values(X), y)
    score = kit.balanced_accuracy(yh, bag.predict(_bag_of_values(Xh)))
    return kit.Baseline(
        "a bag-of-values model (each channel's values sorted, the order of hours thrown away; chance is 0.5)",
        "“值的袋子”模型（把每个通道的值排序，丢掉小时的顺序；随机猜测为 0.5）",
        {kit.BALANCED_ACCURACY: score},
    )


def _advice(score):
    if score < 0.75:
        return (
            "Both classes contain the same burst and the same withdrawal; only their ORDER and distance in time tell fraud from normal, so a model that ignores time (per-channel statistics, histograms, sorted values) cannot pass. If your model is a Conv1d or a GRU, check that it trains, and that (N, T, C) becomes (N, C, T) with X.permute(0, 2, 1) for Conv1d: X.reshape(N, C, T) keeps the numbers but scrambles hours and channels.",
            "两个类别都含有同样的突发和同样的取现；只有它们在时间上的先后和间隔能区分欺诈与正常，所以忽略时间的模型（按通道的统计量、直方图、排序后的值）不可能通过。如果你的模型是 Conv1d 或 GRU，请检查它确实在训练，并且对 Conv1d 用 X.permute(0, 2, 1) 把 (N, T, C) 变成 (N, C, T)：X.reshape(N, C, T) 保留了数值，却把小时和通道打乱了。",
        )
    return (
        "The pattern spans about 6 hours: stack two Conv1d layers of width 5 (a receptive field of 9 hours) with a global max pooling over time, or run a GRU over the hours, and train for about 15 epochs with Adam.",
        "这个模式大约跨 6 个小时：叠两层宽度为 5 的 Conv1d（感受野 9 小时）并在时间上做全局最大汇聚，或者在小时序列上运行 GRU，用 Adam 训练约 15 个 epoch。",
    )


def _data(ctx):
    X, y = labdata.make_transactions(ctx.hidden_seed, N_TRAIN + N_HIDDEN)
    return X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]


def _predict(model, X, call=""):
    return kit.predict_labels(model, X, call=call, classes=CLASSES, unit=UNIT)


@check(
    points=1,
    title={
        "en": "predict before fit raises RuntimeError",
        "zh": "fit 之前调用 predict 会抛出 RuntimeError",
    },
)
def predict_before_fit(ctx):
    X, _, _, _ = _data(ctx)
    kit.expect_predict_before_fit_raises(
        ctx.learner.Model(), X[:5], call="Model().predict(X) before fit"
    )


@check(
    points=1,
    title={
        "en": "fit returns self; predict returns labels of shape (N,) that do not depend on the batch",
        "zh": "fit 返回 self；predict 返回形状为 (N,) 且不依赖于同批其他数据的标签",
    },
)
def contract(ctx):
    X, y, Xh, _ = _data(ctx)
    model = kit.fit_model(  # a short training run is enough to test the contract
        ctx.learner.Model(),
        X[:200],
        y[:200],
        returns_self=True,
        chain="Model().fit(X, y).predict(X)",
    )
    kit.expect_rows_independent(
        lambda A: _predict(model, A),
        Xh[:40],
        range(3),
        unit=UNIT,
        advice=(
            "Call model.eval() before predicting, and do not normalise with statistics of the batch being predicted.",
            "预测前请调用 model.eval()，也不要用正在预测的这批数据的统计量做归一化。",
        ),
    )


@check(
    points=4,
    title={
        "en": "Balanced accuracy of at least 0.90 on 300 hidden accounts",
        "zh": "在 300 个隐藏账户上平衡准确率至少 0.90",
    },
)
def hidden_accuracy(ctx):
    X, y, Xh, yh = _data(ctx)
    model = kit.fit_model(ctx.learner.Model(), X, y)
    pred = _predict(model, Xh)
    score = kit.balanced_accuracy(yh, pred)
    kit.quality_bar(
        kit.BALANCED_ACCURACY,
        score,
        BAR,
        where=kit.Noun(f"{len(Xh)} hidden accounts", f"{len(Xh)} 个隐藏账户上"),
        baselines=lambda: [_baseline(X, y, Xh, yh)],
        advice=lambda: _advice(score),
    )
