"""Checks for choose_regularization and fit_final.

Data are synthetic and seeded per learner (heavy-tailed features on very different
scales, so that where the scaler is fitted changes the scores). The trusted side keeps a
test set that the learner's functions never receive and measures the final model on it.
"""

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from lmschool.grading.checks import check, expect, expect_array, fail
from lmschool.grading.proxy import RemoteObject

GRID = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 0.7, 2.5, 10.0]  # no value equals an index 0..6


def _problem(rng, n_dev=120, n_test=300):
    """A development set for the learner and a test set that stays on this side."""
    d = int(rng.integers(8, 14))
    Z = rng.standard_t(df=2.0, size=(n_dev + n_test, d))  # heavy tails: fold statistics differ
    w = np.zeros(d)
    w[:4] = rng.normal(size=4) * 1.5  # four informative features, the rest noise
    y = (Z @ w + rng.logistic(size=len(Z)) > 0).astype(np.int64)
    X = Z * rng.uniform(0.1, 100, size=d) + rng.uniform(-50, 50, size=d)  # very different scales
    return X[:n_dev], y[:n_dev], X[n_dev:], y[n_dev:]


def _grid(rng, size=7):
    return sorted(float(c) for c in rng.choice(GRID, size=size, replace=False))


def _cv(X, y, Cs, k, seed, mode="right"):
    """Mean validation accuracy per C; `mode` switches on a known mistake."""
    if mode == "kfold":
        folds = list(KFold(n_splits=k, shuffle=True, random_state=seed).split(X))
    else:
        folds = list(StratifiedKFold(n_splits=k, shuffle=True, random_state=seed).split(X, y))
    leaked = StandardScaler().fit(X)  # mode "leak": statistics of ALL rows
    scores = []
    for C in Cs:
        accuracies = []
        for train, val in folds:
            if mode == "raw":
                A, B = X[train], X[val]
            else:
                scaler = leaked if mode == "leak" else StandardScaler().fit(X[train])
                A, B = scaler.transform(X[train]), scaler.transform(X[val])
            model = LogisticRegression(C=C, max_iter=1000).fit(A, y[train])
            accuracies.append(
                model.score(A, y[train]) if mode == "train" else model.score(B, y[val])
            )
        scores.append(np.mean(accuracies))
    return np.array(scores)


MISTAKES = [
    (
        "leak",
        {
            "en": "Your scores are what you get when the StandardScaler is fitted on ALL of X before the folds are cut. The validation rows then shape the statistics used to train: fit the scaler inside each fold, on X[train] only, and use it to transform both parts.",
            "zh": "你的得分相当于在切分各折之前就在**全部** X 上拟合了 StandardScaler。这样验证行会影响训练所用的统计量：应在每一折内部只用 X[train] 拟合 scaler，再用它变换训练和验证两部分。",
        },
    ),
    (
        "raw",
        {
            "en": "Your scores are those of a logistic regression on unscaled features. The L2 penalty of C treats all weights alike, so features must be standardised (a StandardScaler fitted on each fold's training part).",
            "zh": "你的得分相当于在未标准化的特征上训练逻辑回归。C 对应的 L2 惩罚对所有权重一视同仁，所以特征必须先标准化（在每一折的训练部分上拟合 StandardScaler）。",
        },
    ),
    (
        "kfold",
        {
            "en": "Your scores come from KFold, not StratifiedKFold(n_splits=k, shuffle=True, random_state=seed). Stratified folds keep the class proportions of y in every fold.",
            "zh": "你的得分来自 KFold，而不是 StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)。分层划分能让每一折都保持 y 中各类别的比例。",
        },
    ),
    (
        "train",
        {
            "en": "Your scores are accuracies on the TRAINING part of each fold. They reward the least regularised model; measure the accuracy on the validation part, which the model did not see.",
            "zh": "你的得分是每一折**训练**部分上的准确率。它会偏爱正则化最弱的模型；应在模型没有见过的验证部分上计算准确率。",
        },
    ),
]


def _result(call, out, n_cs):
    """(best_C, scores) from the learner, validated, or a failure saying what came back."""
    if isinstance(out, RemoteObject) or not isinstance(out, list | tuple) or len(out) != 2:
        kind = out.type_name if isinstance(out, RemoteObject) else type(out).__name__
        fail(
            {
                "en": f"{call} returned {kind}; it must return a pair (best_C, scores).",
                "zh": f"{call} 返回了 {kind}；它必须返回二元组 (best_C, scores)。",
            }
        )
    best, scores = out
    try:
        arr = None if isinstance(scores, RemoteObject) else np.asarray(scores, dtype=np.float64)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape != (n_cs,):
        fail(
            {
                "en": f"the scores returned by {call} must be a 1-D array with one mean accuracy per C ({n_cs} values).",
                "zh": f"{call} 返回的 scores 必须是一维数组，每个 C 对应一个平均准确率（共 {n_cs} 个值）。",
            }
        )
    if isinstance(best, bool) or not isinstance(best, int | float | np.integer | np.floating):
        kind = best.type_name if isinstance(best, RemoteObject) else type(best).__name__
        fail(
            {
                "en": f"best_C returned by {call} is {kind}; it must be a number taken from Cs.",
                "zh": f"{call} 返回的 best_C 是 {kind}；它必须是取自 Cs 的一个数。",
            }
        )
    return float(best), arr


def _compare_scores(X, y, Cs, k, seed, got, label):
    want = _cv(X, y, Cs, k, seed)
    if np.allclose(got, want, rtol=0, atol=1e-9):
        return want
    for mode, message in MISTAKES:
        if np.allclose(got, _cv(X, y, Cs, k, seed, mode), rtol=0, atol=1e-9):
            fail(message)
    expect_array(f"scores of {label}", got, want, rtol=0, atol=1e-9)
    return want


@check(points=3, title={"en": "Cross-validation scores for every C", "zh": "每个 C 的交叉验证得分"})
def cv_scores(ctx):
    X, y, _, _ = _problem(ctx.rng)
    Cs, seed = _grid(ctx.rng), int(ctx.rng.integers(0, 1000))
    call = f"choose_regularization(X, y, Cs={Cs}, k=5, seed={seed})"
    _, got = _result(call, ctx.learner.choose_regularization(X, y, Cs, k=5, seed=seed), len(Cs))
    _compare_scores(X, y, Cs, 5, seed, got, call)


@check(
    points=2,
    title={
        "en": "best_C is the C with the best mean accuracy",
        "zh": "best_C 是平均准确率最高的 C",
    },
)
def best_c(ctx):
    X, y, _, _ = _problem(ctx.rng)
    Cs, seed = _grid(ctx.rng), int(ctx.rng.integers(0, 1000))
    call = f"choose_regularization(X, y, Cs={Cs}, k=5, seed={seed})"
    best, got_scores = _result(
        call, ctx.learner.choose_regularization(X, y, Cs, k=5, seed=seed), len(Cs)
    )
    want = _cv(X, y, Cs, 5, seed)
    winners = [c for c, s in zip(Cs, want, strict=True) if s >= want.max() - 1e-9]
    if any(np.isclose(best, c, rtol=1e-12) for c in winners):
        return
    if (
        best not in Cs
        and float(best).is_integer()
        and 0 <= int(best) < len(Cs)
        and Cs[int(best)] in winners
    ):
        fail(
            {
                "en": f"{call} returned best_C = {best:g}, the INDEX of the best C; return the value itself, Cs[index] = {Cs[int(best)]:g}.",
                "zh": f"{call} 返回的 best_C = {best:g} 是最佳 C 的**下标**；应当返回这个值本身，即 Cs[index] = {Cs[int(best)]:g}。",
            }
        )
    if np.isclose(best, Cs[int(np.argmin(want))], rtol=1e-12):
        fail(
            {
                "en": f"{call} returned the C with the LOWEST mean accuracy ({best:g}). Accuracy is better when higher: take the argmax, here {winners[0]:g}.",
                "zh": f"{call} 返回的是平均准确率**最低**的 C（{best:g}）。准确率越高越好：应取 argmax，这里是 {winners[0]:g}。",
            }
        )
    own = [c for c, s in zip(Cs, got_scores, strict=True) if s >= got_scores.max() - 1e-9]
    if any(np.isclose(best, c, rtol=1e-12) for c in own):
        fail(
            {
                "en": f"{call}: best_C = {best:g} is the best of your own scores, but your scores differ from the correct cross-validation (see the check of the scores), where the best C is {winners[0]:g}.",
                "zh": f"{call}：best_C = {best:g} 在你自己的得分中是最好的，但你的得分与正确的交叉验证结果不同（见得分那一项检查），正确结果中最好的 C 是 {winners[0]:g}。",
            }
        )
    fail(
        {
            "en": f"{call} returned best_C = {best:g}; the C with the best mean validation accuracy is {winners[0]:g} (mean accuracies {np.round(want, 4).tolist()}).",
            "zh": f"{call} 返回的 best_C = {best:g}；平均验证准确率最高的 C 是 {winners[0]:g}（各平均准确率为 {np.round(want, 4).tolist()}）。",
        }
    )


@check(
    points=1, title={"en": "Other k, seed and order of Cs", "zh": "其他的 k、seed 以及 Cs 的顺序"}
)
def other_k_and_order(ctx):
    rng = ctx.rng
    X, y, _, _ = _problem(rng)
    Cs = [float(c) for c in rng.permutation(_grid(rng, size=5))]  # not sorted
    k, seed = int(rng.integers(3, 5)), int(rng.integers(0, 1000))
    call = f"choose_regularization(X, y, Cs={Cs}, k={k}, seed={seed})"
    _, got = _result(call, ctx.learner.choose_regularization(X, y, Cs, k=k, seed=seed), len(Cs))
    if np.allclose(got, _cv(X, y, Cs, 5, seed), rtol=0, atol=1e-9) and not np.allclose(
        got, _cv(X, y, Cs, k, seed), rtol=0, atol=1e-9
    ):
        fail(
            {
                "en": f"{call} used 5 folds: use the k you are given (n_splits=k).",
                "zh": f"{call} 用了 5 折：请使用传入的 k（n_splits=k）。",
            }
        )
    order = np.argsort(Cs)
    if np.allclose(got, _cv(X, y, sorted(Cs), k, seed), rtol=0, atol=1e-9) and not np.array_equal(
        order, np.arange(len(Cs))
    ):
        fail(
            {
                "en": f"{call}: your scores follow the sorted C values; they must follow the order of Cs as given.",
                "zh": f"{call}：你的得分是按 C 从小到大的顺序排列的；它们必须按传入的 Cs 的顺序排列。",
            }
        )
    _compare_scores(X, y, Cs, k, seed, got, call)


@check(
    points=2,
    title={"en": "The final model on the hidden test set", "zh": "最终模型在隐藏测试集上的表现"},
)
def final_model(ctx):
    X, y, X_test, y_test = _problem(ctx.rng)
    Cs, seed = _grid(ctx.rng), int(ctx.rng.integers(0, 1000))
    C = Cs[int(np.argmax(_cv(X, y, Cs, 5, seed)))]
    model = ctx.learner.fit_final(X, y, C)
    if not isinstance(model, RemoteObject):
        fail(
            {
                "en": f"fit_final(X, y, C={C:g}) returned {type(model).__name__}; it must return the fitted model (an object with a predict method).",
                "zh": f"fit_final(X, y, C={C:g}) 返回了 {type(model).__name__}；它必须返回拟合好的模型（一个带 predict 方法的对象）。",
            }
        )
    predicted = model.predict(X_test)
    try:
        got = None if isinstance(predicted, RemoteObject) else np.asarray(predicted)
    except (TypeError, ValueError):
        got = None
    if got is None or got.shape != y_test.shape or got.dtype.kind not in "biuf":
        fail(
            {
                "en": f"model.predict(X_test) of the model from fit_final must return one label per row ({len(y_test)} labels).",
                "zh": f"fit_final 返回的模型，其 model.predict(X_test) 必须为每一行返回一个标签（共 {len(y_test)} 个）。",
            }
        )
    reference = make_pipeline(StandardScaler(), LogisticRegression(C=C, max_iter=1000)).fit(X, y)
    want = reference.predict(X_test)
    got_acc, want_acc = float(np.mean(got == y_test)), float(np.mean(want == y_test))
    raw = LogisticRegression(C=C, max_iter=1000).fit(X, y).predict(X_test)
    if np.mean(got == raw) > np.mean(got == want) and np.mean(got == raw) >= 0.98:
        fail(
            {
                "en": f"fit_final(X, y, C={C:g}) predicts like a logistic regression on unscaled features (hidden test accuracy {got_acc:.3f}, reference {want_acc:.3f}). C was chosen by cross-validation for standardised features; on raw features the same C is a different penalty. Standardise inside the final model too: make_pipeline(StandardScaler(), LogisticRegression(...)).",
                "zh": f"fit_final(X, y, C={C:g}) 的预测相当于在未标准化的特征上训练的逻辑回归（隐藏测试集准确率 {got_acc:.3f}，参考值 {want_acc:.3f}）。C 是通过交叉验证针对标准化后的特征选出来的；在原始特征上，同一个 C 代表的是另一种惩罚强度。最终模型里也要做标准化：make_pipeline(StandardScaler(), LogisticRegression(...))。",
            }
        )
    expect(
        np.mean(got == want) >= 0.98 and got_acc >= want_acc - 0.02,
        {
            "en": f"On the {len(y_test)} held-out test rows (never given to your functions) the model from fit_final(X, y, C={C:g}) reaches an accuracy of {got_acc:.3f} and agrees with the reference on {np.mean(got == want):.1%} of the rows; a StandardScaler + LogisticRegression(C, max_iter=1000) fitted on ALL of X, y reaches {want_acc:.3f}.",
            "zh": f"在 {len(y_test)} 行留出的测试数据上（从未交给你的函数），fit_final(X, y, C={C:g}) 返回的模型准确率为 {got_acc:.3f}，与参考模型的预测在 {np.mean(got == want):.1%} 的行上一致；在**全部** X, y 上拟合的 StandardScaler + LogisticRegression(C, max_iter=1000) 准确率为 {want_acc:.3f}。",
        },
    )
