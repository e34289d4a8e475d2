"""Hidden checks for pipeline/logistic-regression/breast-cancer (a lab graded on held-out data).

The data set is split per learner into two stratified halves. The learner's class is
trained in the sandbox on one half (features and labels) and predicts the other half
(features only: the held-out labels stay here); then the halves swap. The pooled
accuracy over all 569 tumours must reach 0.95: over 600 random halvings the reference
solution (standardised logistic regression) scored 0.975 on average and 0.954 at worst.
Pooling both halves halves the variance of a single 50/50 split.

Accuracy alone lets a predict that forgets the bias, or thresholds the logit at 1, pass:
on the whole data the bias is small next to the weights. The prompt states the model
(mean cross-entropy + l2 / 2 * ||w||^2 on standardised features, bias not penalised),
so penalty_and_bias trains it with l2 = 0.3 on a half with two thirds of the malignant
tumours left out: the weights are small, the bias is large (about 2.4), and the model
that minimises that objective is unique, so every correct solver gives the reference's
labels wherever its logit is clearly away from 0.
"""

import functools

import numpy as np
from sklearn.datasets import load_breast_cancer

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check
from lmschool.grading.proxy import LearnerError

THRESHOLD = 0.95
STRONG_L2 = 0.3  # weights small, bias large: a missing bias or a shifted threshold shows
MARGIN = 0.25  # rows whose reference logit is within this of 0 may flip between solvers
ALLOWED = 2  # disagreements tolerated on the clear rows (an inexact solver's few)
TUMOUR = kit.Noun("tumour", "个肿瘤")
PROBA_HINT = (
    "Return labels: 1 where the probability is above 0.5 (the logit above 0), else 0.",
    "请返回标签：概率大于 0.5（logit 大于 0）时为 1，否则为 0。",
)


@functools.cache
def _data():
    X, y = load_breast_cancer(return_X_y=True)
    return X.astype(np.float64), y.astype(np.int64)


def _predict(model, X, call=""):
    return kit.predict_labels(model, X, call=call, unit=TUMOUR, proba_hint=PROBA_HINT)


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
        ctx.learner.BreastCancerClassifier(),
        X[:5],
        call="BreastCancerClassifier().predict(X) before fit",
    )


@check(
    points=1,
    title={
        "en": "fit returns self; predict returns 0/1 labels of shape (N,)",
        "zh": "fit 返回 self；predict 返回形状为 (N,) 的 0/1 标签",
    },
)
def contract(ctx):
    X, y = _data()
    train, test = kit.stratified_halves(ctx.hidden_rng, y)
    model = kit.fit_model(
        ctx.learner.BreastCancerClassifier(),
        X[train],
        y[train],
        returns_self=True,
        chain="BreastCancerClassifier().fit(X, y).predict(X)",
    )
    _predict(model, X[test[:25]])


@check(
    points=4,
    title={
        "en": "Accuracy of at least 0.95 on held-out tumours",
        "zh": "在留出的肿瘤数据上准确率至少 0.95",
    },
)
def held_out_accuracy(ctx):
    X, y = _data()
    first, second = kit.stratified_halves(ctx.hidden_rng, y)
    correct = 0
    per_half = []
    for train, test in ((first, second), (second, first)):
        model = ctx.learner.BreastCancerClassifier()  # a fresh model for each half
        kit.fit_model(model, X[train], y[train])
        pred = _predict(model, X[test])
        hits = int(np.sum(pred == y[test]))
        correct += hits
        per_half.append(hits / len(test))
    accuracy = correct / len(y)
    halves = ", ".join(f"{a:.3f}" for a in per_half)
    if accuracy < 0.1:
        advice = (
            f"Almost every prediction is the opposite label (halves: {halves}). In this data set 1 means benign and 0 malignant: predict 1 where the model's probability of label 1 is above 0.5.",
            f"几乎每个预测都与真实标签相反（两半分别为：{halves}）。在这个数据集中 1 表示良性、0 表示恶性：当模型给出标签 1 的概率大于 0.5 时预测 1。",
        )
    else:
        advice = (
            f"Halves: {halves}. Standardise the features with the training mean and standard deviation, train long enough that the training loss stops falling, and threshold the logit at 0.",
            f"两半分别为：{halves}。请用训练数据的均值和标准差对特征做标准化，训练到训练损失不再下降为止，并以 logit 为 0 作为阈值。",
        )
    benign = float(np.mean(y))
    kit.quality_bar(
        kit.ACCURACY,
        accuracy,
        THRESHOLD,
        where=kit.Noun(
            f"all {len(y)} tumours (each predicted while held out)",
            f"全部 {len(y)} 个肿瘤（每个都在留出时预测）上",
        ),
        baselines=[
            kit.Baseline("always predicting benign", "总是预测良性", {kit.ACCURACY: benign})
        ],
        advice=advice,
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
    train, test = kit.stratified_halves(ctx.hidden_rng, y)
    model = kit.fit_model(ctx.learner.BreastCancerClassifier(), X[train], y[train])
    # three benign and three malignant held-out rows: a constant prediction cannot match all six
    rows = np.concatenate(
        [
            ctx.rng.choice(np.flatnonzero(y[test] == 0), 3, replace=False),
            ctx.rng.choice(np.flatnonzero(y[test] == 1), 3, replace=False),
        ]
    )
    kit.expect_rows_independent(
        lambda A: _predict(model, A),
        X[test],
        rows,
        unit=TUMOUR,
        advice=(
            "predict standardises with the statistics of the batch it is given: store the mean and standard deviation in fit and reuse them in predict.",
            "predict 用传入的这批数据自己的统计量做了标准化：请在 fit 中保存均值和标准差，并在 predict 中复用它们。",
        ),
    )


@check(
    points=2,
    title={
        "en": "With l2=0.3 and few malignant training tumours, the labels match the model the prompt defines",
        "zh": "在 l2=0.3、训练数据中恶性肿瘤很少时，标签与题目规定的模型一致",
    },
)
def penalty_and_bias(ctx):
    X, y = _data()
    train, test = kit.stratified_halves(ctx.hidden_rng, y)
    malignant = train[y[train] == 0]
    train = np.concatenate([train[y[train] == 1], malignant[: len(malignant) // 3]])
    try:
        model = ctx.learner.BreastCancerClassifier(l2=STRONG_L2)
    except LearnerError as exc:
        if exc.type_name != "TypeError":
            raise
        kit.fail_text(
            f"BreastCancerClassifier(l2={STRONG_L2}) raised TypeError ({exc.message}): the prompt asks for an l2 hyperparameter, the strength of the L2 penalty on the weights.",
            f"BreastCancerClassifier(l2={STRONG_L2}) 抛出了 TypeError（{exc.message}）：题目要求有超参数 l2，即权重上 L2 惩罚的强度。",
        )
    kit.fit_model(
        model, X[train], y[train], call=f"BreastCancerClassifier(l2={STRONG_L2}).fit(X, y)"
    )
    got = _predict(model, X[test])
    ref = ctx.reference.BreastCancerClassifier(l2=STRONG_L2).fit(X[train], y[train])
    logit = (X[test] - ref.mean_) / ref.std_ @ ref.coef_ + ref.intercept_
    want = (logit > 0).astype(np.int64)
    clear = np.abs(logit) > MARGIN
    to_malignant = int(np.sum(clear & (want == 1) & (got == 0)))
    to_benign = int(np.sum(clear & (want == 0) & (got == 1)))
    if to_malignant + to_benign <= ALLOWED:
        return
    n_mal = int(np.sum(y[train] == 0))
    en = (
        f"Trained with l2={STRONG_L2} on {len(train)} tumours of which only {n_mal} are malignant, your classifier disagrees with the model the prompt defines (mean cross-entropy + l2 / 2 * ||w||^2 on features standardised with the training mean and standard deviation, bias not penalised) on {to_malignant + to_benign} of the {int(clear.sum())} held-out tumours whose logit under that model is clearly away from 0: "
        f"it says malignant (0) for {to_malignant} that model calls benign, and benign (1) for {to_benign} it calls malignant."
    )
    zh = (
        f"用 l2={STRONG_L2} 在 {len(train)} 个肿瘤（其中只有 {n_mal} 个恶性）上训练后，在 {int(clear.sum())} 个 logit 明显不为 0 的留出肿瘤中，你的分类器有 {to_malignant + to_benign} 个与题目规定的模型（用训练数据的均值和标准差标准化特征，最小化平均交叉熵 + l2 / 2 * ||w||^2，偏置不受惩罚）不一致："
        f"那个模型判为良性而你判为恶性（0）的有 {to_malignant} 个，反过来判为良性（1）的有 {to_benign} 个。"
    )
    weights_en = " the gradient of the penalty is l2 * w (not l2), added to the gradient of the MEAN cross-entropy (Z.T @ (p - y) / N), the bias is not penalised, and training must run until the loss stops falling."
    weights_zh = "惩罚项的梯度是 l2 * w（不是 l2），加在平均交叉熵的梯度（Z.T @ (p - y) / N）上，偏置不受惩罚，并且要训练到损失不再下降为止。"
    if to_benign == 0:  # every disagreement leans one way: the boundary moved
        en += (
            " Your decision boundary is shifted towards benign: predict must add the bias (z @ w + b, not z @ w or z @ w - b) and threshold the logit at 0 (a probability of 0.5). If it does both, the weights are off:"
            + weights_en
        )
        zh += (
            "你的决策边界整体偏向了良性一侧：predict 必须加上偏置（z @ w + b，而不是 z @ w 或 z @ w - b），并以 logit 为 0（概率 0.5）作为阈值。如果这两点都做到了，那就是权重不对："
            + weights_zh
        )
    else:
        en += " The weights differ:" + weights_en
        zh += "权重不一样：" + weights_zh
    kit.fail_text(en, zh)
