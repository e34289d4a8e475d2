"""Hidden checks for deep/capstone/lab-images: lesion types on synthetic 12x12 scans.

The scans come from ../../labdata.py (the lesson folder, which no learner sees): 900 to
train, 300 hidden whose labels stay here. Accuracy is balanced (the mean of the per-class
recalls). The bar is 0.90. Measured on 8 seeds (900 train / 300 test each): the
reference CNN (conv 3x3, conv 1x1, global max pooling; 0.4 to 1.2 s of CPU per training on
one thread) scored 0.973 to 0.993; an MLP on the flattened pixels (scikit-learn, 64 hidden
units) 0.348 to 0.478; logistic regression on the pixels 0.315 to 0.399 (chance is 0.333).
The wrong solution mlp_on_pixels (a torch MLP) scored 0.364 and 0.448 on two seeds.
The check computes the logistic-regression baseline on the learner's own split and
reports it.
"""

import sys
from pathlib import Path

from sklearn.linear_model import LogisticRegression

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import labdata  # noqa: E402

N_TRAIN, N_HIDDEN, BAR = 900, 300, 0.90
CLASSES = 3  # plus, cross, ring
UNIT = kit.Noun("scan", "张扫描图")


def _baseline(X, y, Xh, yh):
    """Logistic regression on the raw pixels: a model blind to the image's structure."""
    flat = LogisticRegression(max_iter=500).fit(X.reshape(len(X), -1), y)
    score = kit.balanced_accuracy(yh, flat.predict(Xh.reshape(len(Xh), -1)))
    return kit.Baseline(
        "logistic regression on the raw pixels (chance is 0.333)",
        "在原始像素上做逻辑回归（随机猜测为 0.333）",
        {kit.BALANCED_ACCURACY: score},
    )


def _advice(score):
    if score < 0.6:
        return (
            "Your model does no better than a model that ignores the image's structure. If it is a CNN, check that it trains (opt.zero_grad(), loss.backward(), opt.step() every batch) and that X is reshaped to (N, 1, 12, 12). If it is an MLP on the flattened pixels: it has to learn each lesion shape separately at each of the 100 positions; a convolution learns it once and a global max pooling finds it anywhere.",
            "你的模型并不比忽略图像结构的模型好。如果它是 CNN，请检查它确实在训练（每个批次都调用 opt.zero_grad()、loss.backward()、opt.step()），并且 X 被变形为 (N, 1, 12, 12)。如果它是在展平像素上的 MLP：它必须在 100 个位置中的每一个上分别学习每种病灶形状；卷积只需学一次，全局最大汇聚能在任何位置找到它。",
        )
    return (
        "Use 3x3 convolutions (the lesions are 3x3), a global max pooling over positions (nn.AdaptiveMaxPool2d(1)), and train for about 15 epochs with Adam.",
        "请使用 3x3 卷积（病灶是 3x3 的）、对位置做全局最大汇聚（nn.AdaptiveMaxPool2d(1)），并用 Adam 训练约 15 个 epoch。",
    )


def _data(ctx):
    X, y = labdata.make_scans(ctx.hidden_seed, N_TRAIN + N_HIDDEN)
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
        "en": "Balanced accuracy of at least 0.90 on 300 hidden scans",
        "zh": "在 300 张隐藏扫描图上平衡准确率至少 0.90",
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
        where=kit.Noun(f"{len(Xh)} hidden scans", f"{len(Xh)} 张隐藏扫描图上"),
        baselines=lambda: [_baseline(X, y, Xh, yh)],
        advice=lambda: _advice(score),
    )
