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

import numpy as np
import torch
from sklearn.linear_model import LogisticRegression

from lmschool.grading.checks import check, expect, expect_raises, fail
from lmschool.grading.proxy import RemoteObject

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import labdata  # noqa: E402

N_TRAIN, N_HIDDEN, BAR = 900, 300, 0.90


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _data(ctx):
    X, y = labdata.make_scans(ctx.hidden_seed, N_TRAIN + N_HIDDEN)
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
            f"{call} must return an array of labels 0..2.",
            f"{call} 必须返回由标签 0..2 组成的数组。",
        )
    if pred.shape == (n, 3):
        _fail(
            f"{call} returned shape {pred.shape}: one score per class (logits or probabilities). Return the labels: logits.argmax(dim=1), shape ({n},).",
            f"{call} 返回的形状为 {pred.shape}：这是每个类别一个分数（logits 或概率）。请返回标签：logits.argmax(dim=1)，形状为 ({n},)。",
        )
    if pred.shape != (n,):
        _fail(
            f"{call} returned shape {pred.shape}; expected ({n},), one label per scan.",
            f"{call} 返回的形状为 {pred.shape}；期望为 ({n},)，每张扫描图一个标签。",
        )
    if (
        not np.all(np.isfinite(pred))
        or not np.all(pred == np.round(pred))
        or pred.min() < 0
        or pred.max() > 2
    ):
        _fail(
            f"{call} returned values such as {pred[0]:.4g}; predict must return integer labels 0, 1 or 2.",
            f"{call} 返回了 {pred[0]:.4g} 这样的值；predict 必须返回整数标签 0、1 或 2。",
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
    batch = _labels(model.predict(Xh[:40]), 40, "predict(X) for 40 scans")
    for k in range(3):
        alone = _labels(model.predict(Xh[k : k + 1]), 1, "predict(X) for a single scan")
        if alone[0] != batch[k]:
            _fail(
                "A scan gets a different label when it is predicted alone than inside a batch. Call model.eval() before predicting, and do not normalise with statistics of the batch being predicted.",
                "同一张扫描图单独预测与放在一批中预测得到的标签不同。预测前请调用 model.eval()，也不要用正在预测的这批数据的统计量做归一化。",
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
    model = ctx.learner.Model()
    model.fit(X, y)
    pred = _labels(model.predict(Xh), len(Xh), f"predict(X) for {len(Xh)} hidden scans")
    score = _balanced_accuracy(yh, pred)
    if score >= BAR:
        return
    flat = LogisticRegression(max_iter=500).fit(X.reshape(len(X), -1), y)
    baseline = _balanced_accuracy(yh, flat.predict(Xh.reshape(len(Xh), -1)))
    if score < 0.6:
        _fail(
            f"Balanced accuracy on the hidden scans is {score:.3f}; the bar is {BAR:.2f}, and logistic regression on the raw pixels scores {baseline:.3f} here (chance is 0.333). Your model does no better than a model that ignores the image's structure. If it is a CNN, check that it trains (opt.zero_grad(), loss.backward(), opt.step() every batch) and that X is reshaped to (N, 1, 12, 12). If it is an MLP on the flattened pixels: it has to learn each lesion shape separately at each of the 100 positions; a convolution learns it once and a global max pooling finds it anywhere.",
            f"在隐藏扫描图上的平衡准确率为 {score:.3f}；要求为 {BAR:.2f}，而在原始像素上做逻辑回归在这里得到 {baseline:.3f}（随机猜测为 0.333）。你的模型并不比忽略图像结构的模型好。如果它是 CNN，请检查它确实在训练（每个批次都调用 opt.zero_grad()、loss.backward()、opt.step()），并且 X 被变形为 (N, 1, 12, 12)。如果它是在展平像素上的 MLP：它必须在 100 个位置中的每一个上分别学习每种病灶形状；卷积只需学一次，全局最大汇聚能在任何位置找到它。",
        )
    _fail(
        f"Balanced accuracy on the hidden scans is {score:.3f}; the bar is {BAR:.2f} (logistic regression on the raw pixels scores {baseline:.3f}). Use 3x3 convolutions (the lesions are 3x3), a global max pooling over positions (nn.AdaptiveMaxPool2d(1)), and train for about 15 epochs with Adam.",
        f"在隐藏扫描图上的平衡准确率为 {score:.3f}；要求为 {BAR:.2f}（在原始像素上做逻辑回归得到 {baseline:.3f}）。请使用 3x3 卷积（病灶是 3x3 的）、对位置做全局最大汇聚（nn.AdaptiveMaxPool2d(1)），并用 Adam 训练约 15 个 epoch。",
    )
