"""Hidden checks for pipeline/logistic-regression/softmax-regression.

Logit matrices are never square, so a softmax over the wrong axis has the wrong
normalisation visibly; labels cover every class, so a one-hot shifted by one class
is recognised; one check compares the gradient with central differences of the loss.
"""

import numpy as np

from lmschool.grading.checks import as_array, as_tuple, check, expect_array, expect_close, fail


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})  # author text without fields: shown as written, braces included


def _softmax(Z, axis=1):
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))
    return E / E.sum(axis=axis, keepdims=True)


def _loss(Z, y):
    S = Z - Z.max(axis=1, keepdims=True)
    log_p = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
    return float(-np.mean(log_p[np.arange(len(Z)), y]))


def _gradient(X, y, W, b, *, labels=None, scale=None):
    labels = y if labels is None else labels
    P = _softmax(X @ W + b)
    Y = np.zeros_like(P)
    Y[np.arange(len(X)), labels] = 1.0
    G = (P - Y) / (len(X) if scale is None else scale)
    return X.T @ G, G.sum(axis=0)


def _array(got, shape, name):
    return as_array(name, got, shape)


def _logits(rng, scale=3.0):
    n = int(rng.integers(5, 12))
    k = int(rng.integers(3, 7))
    while k == n:
        k = int(rng.integers(3, 7))
    return rng.normal(scale=scale, size=(n, k))


@check(points=2, title={"en": "softmax on random logits", "zh": "随机 logit 上的 softmax"})
def softmax_values(ctx):
    Z = _logits(ctx.rng)
    P = _array(ctx.learner.softmax(Z), Z.shape, "softmax(Z)")
    if np.allclose(P, _softmax(Z, axis=0), rtol=1e-6):
        _fail(
            "Your softmax normalises each COLUMN (axis=0): the columns add up to 1, the rows do not. Every row is one example's distribution over the K classes: take max and sum with axis=1, keepdims=True.",
            "你的 softmax 对每一**列**（axis=0）做了归一化：各列之和为 1，各行却不是。每一行是一个样本在 K 个类别上的分布：求最大值和求和时请用 axis=1, keepdims=True。",
        )
    sums = P.sum(axis=1)
    if not np.allclose(sums, 1.0, atol=1e-9):
        _fail(
            f"The rows of softmax(Z) must each add up to 1; yours add up to {np.round(sums, 4).tolist()}.",
            f"softmax(Z) 的每一行之和都必须为 1；你的各行之和为 {np.round(sums, 4).tolist()}。",
        )
    expect_array("softmax(Z)", P, _softmax(Z), rtol=1e-9, atol=1e-12)


@check(
    points=1, title={"en": "softmax at logits near ±1000", "zh": "logit 接近 ±1000 时的 softmax"}
)
def softmax_large(ctx):
    Z = _logits(ctx.rng, scale=400.0)
    Z[0] = 1000.0 + ctx.rng.normal(size=Z.shape[1])  # one row entirely near +1000
    P = _array(ctx.learner.softmax(Z), Z.shape, "softmax(Z)")
    if not np.all(np.isfinite(P)):
        _fail(
            "softmax returns NaN or inf at logits near 1000: np.exp(1000) overflows to inf, and inf / inf is nan. Subtract each row's maximum before exponentiating; the softmax does not change, and no exponent is positive any more.",
            "logit 接近 1000 时 softmax 返回了 NaN 或 inf：np.exp(1000) 溢出为 inf，而 inf / inf 是 nan。取指数之前先减去每一行的最大值；softmax 的结果不变，而且不再有正的指数。",
        )
    expect_array("softmax(Z) at large logits", P, _softmax(Z), rtol=1e-9, atol=1e-12)


@check(
    points=2, title={"en": "cross_entropy on random logits", "zh": "随机 logit 上的 cross_entropy"}
)
def loss_values(ctx):
    Z = _logits(ctx.rng)
    y = ctx.rng.permutation(np.resize(np.arange(Z.shape[1]), len(Z)))
    got = ctx.learner.cross_entropy(Z, y)
    want = _loss(Z, y)
    n = len(Z)
    if isinstance(got, np.ndarray) and got.shape == (n,):
        _fail(
            f"cross_entropy returned an array of {n} values, one loss per row: return their mean, a single float.",
            f"cross_entropy 返回了含 {n} 个值的数组，每行一个损失：应返回它们的平均值，即一个浮点数。",
        )
    if isinstance(got, int | float | np.floating) and np.isclose(got, want * n, rtol=1e-6):
        _fail(
            f"Your loss is N = {n} times too large: it is a sum over the rows. Take the mean.",
            f"你的损失大了 N = {n} 倍：它是对各行的求和。应取平均值。",
        )
    expect_close("cross_entropy(Z, y)", got, want, rtol=1e-9, atol=1e-12)


@check(
    points=1,
    title={"en": "cross_entropy at logits near ±1000", "zh": "logit 接近 ±1000 时的 cross_entropy"},
)
def loss_large(ctx):
    Z = _logits(ctx.rng, scale=400.0)
    y = ctx.rng.integers(0, Z.shape[1], size=len(Z))
    Z[0] = -5.0
    Z[0, y[0]] = -1000.0  # the true class of row 0 is 995 below the others: loss about 995
    got = ctx.learner.cross_entropy(Z, y)
    want = _loss(Z, y)
    if isinstance(got, int | float | np.floating) and not np.isfinite(got):
        _fail(
            f"cross_entropy is {got} at logits near ±1000: the softmax of a very unlikely class rounds to 0, and log(0) is -inf. Compute log P directly from the shifted logits, S - log(sum(exp(S))), instead of np.log(softmax(Z)).",
            f"logit 接近 ±1000 时 cross_entropy 为 {got}：极不可能的类别的 softmax 值舍入成了 0，而 log(0) 是 -inf。请直接由平移后的 logit 计算 log P，即 S - log(sum(exp(S)))，而不是 np.log(softmax(Z))。",
        )
    if isinstance(got, int | float | np.floating) and got < want - 1.0:
        _fail(
            f"cross_entropy is {got:.6g} at logits near ±1000, but the exact loss is {want:.6g}: the true class of row 0 lies 995 below the others. Clipping the probabilities (np.log(P + eps), np.clip) keeps the loss finite but caps it. Compute log P directly from the shifted logits, S - log(sum(exp(S))).",
            f"logit 接近 ±1000 时 cross_entropy 为 {got:.6g}，而精确的损失是 {want:.6g}：第 0 行的真实类别比其他类别低 995。截断概率（np.log(P + eps)、np.clip）能让损失保持有限，却也给它设了上限。请直接由平移后的 logit 计算 log P，即 S - log(sum(exp(S)))。",
        )
    expect_close("cross_entropy(Z, y) at large logits", got, want, rtol=1e-9, atol=1e-9)


def _problem(rng):
    n, d, k = int(rng.integers(8, 20)), int(rng.integers(2, 5)), int(rng.integers(3, 6))
    X = rng.normal(size=(n, d))
    y = rng.permutation(np.resize(np.arange(k), n))  # every class occurs
    W, b = rng.normal(size=(d, k)), rng.normal(size=k)
    return X, y, W, b


def _pair(got, d, k):
    dW, db = as_tuple("softmax_gradient", got, ("dW", "db"))
    return as_array("dW of softmax_gradient", dW, (d, k)), as_array(
        "db of softmax_gradient", db, (k,)
    )


def _diagnose_gradient(X, y, W, b, dW, db):
    k = W.shape[1]

    def close(a, c):
        return np.allclose(a, c[0], rtol=1e-6, atol=1e-10) and np.allclose(
            db, c[1], rtol=1e-6, atol=1e-10
        )

    ref = _gradient(X, y, W, b)
    if close(dW, (-ref[0], -ref[1])):
        _fail(
            "dW and db have the right size but the wrong sign: the derivative of the loss with respect to the logits is P - Y, not Y - P.",
            "dW 和 db 大小正确但符号相反：损失对 logit 的导数是 P - Y，而不是 Y - P。",
        )
    if close(dW, _gradient(X, y, W, b, scale=1.0)):
        _fail(
            f"dW and db are N = {len(X)} times too large: the loss is a mean over the rows, so divide P - Y by N.",
            f"dW 和 db 大了 N = {len(X)} 倍：损失是对各行的平均，所以 P - Y 要除以 N。",
        )
    for shift in (1, -1):
        if close(dW, _gradient(X, y, W, b, labels=(y + shift) % k)):
            _fail(
                f"Your one-hot labels are shifted by {shift:+d} class: the 1 of row i must sit in column y[i] (classes are numbered from 0), e.g. Y[np.arange(N), y] = 1.",
                f"你的独热编码标签错位了 {shift:+d} 个类别：第 i 行的 1 必须在第 y[i] 列（类别从 0 开始编号），例如 Y[np.arange(N), y] = 1。",
            )
    P0 = _softmax(X @ W + b, axis=0)
    Y = np.zeros_like(P0)
    Y[np.arange(len(X)), y] = 1.0
    if close(dW, (X.T @ (P0 - Y) / len(X), ((P0 - Y) / len(X)).sum(axis=0))):
        _fail(
            "Your gradient uses a softmax over the wrong axis (columns): every row of P must add up to 1.",
            "你的梯度用了沿错误方向（按列）计算的 softmax：P 的每一行之和都必须为 1。",
        )


@check(points=3, title={"en": "dW and db on random data", "zh": "随机数据上的 dW 和 db"})
def gradient_values(ctx):
    X, y, W, b = _problem(ctx.rng)
    dW, db = _pair(ctx.learner.softmax_gradient(X, y, W, b), *W.shape)
    _diagnose_gradient(X, y, W, b, dW, db)
    want = _gradient(X, y, W, b)
    expect_array("dW", dW, want[0], rtol=1e-8, atol=1e-12)
    expect_array("db", db, want[1], rtol=1e-8, atol=1e-12)


@check(
    points=2,
    title={"en": "Agrees with finite differences of the loss", "zh": "与损失函数的有限差分一致"},
)
def finite_differences(ctx):
    X, y, W, b = _problem(ctx.rng)
    dW, db = _pair(ctx.learner.softmax_gradient(X, y, W, b), *W.shape)
    eps = 1e-6
    for _ in range(3):
        i, j = int(ctx.rng.integers(W.shape[0])), int(ctx.rng.integers(W.shape[1]))
        E = np.zeros_like(W)
        E[i, j] = eps
        numeric = (_loss(X @ (W + E) + b, y) - _loss(X @ (W - E) + b, y)) / (2 * eps)
        if not np.isclose(dW[i, j], numeric, rtol=1e-5, atol=1e-8):
            _fail(
                f"dW[{i}, {j}] = {dW[i, j]:.6g}, but the slope of the loss measured by central differences (L(W+ε) − L(W−ε)) / 2ε is {numeric:.6g}.",
                f"dW[{i}, {j}] = {dW[i, j]:.6g}，但用中心差分 (L(W+ε) − L(W−ε)) / 2ε 测得的损失斜率是 {numeric:.6g}。",
            )
    j = int(ctx.rng.integers(W.shape[1]))
    e = np.zeros_like(b)
    e[j] = eps
    numeric = (_loss(X @ W + b + e, y) - _loss(X @ W + b - e, y)) / (2 * eps)
    if not np.isclose(db[j], numeric, rtol=1e-5, atol=1e-8):
        _fail(
            f"db[{j}] = {db[j]:.6g}, but central differences of the loss give {numeric:.6g}.",
            f"db[{j}] = {db[j]:.6g}，但损失的中心差分给出 {numeric:.6g}。",
        )


@check(points=1, title={"en": "Gradient at logits near ±1000", "zh": "logit 接近 ±1000 时的梯度"})
def gradient_large(ctx):
    X, y, W, b = _problem(ctx.rng)
    W = W * 300.0  # logits of several hundreds, some beyond ±709
    dW, db = _pair(ctx.learner.softmax_gradient(X, y, W, b), *W.shape)
    if not (np.all(np.isfinite(dW)) and np.all(np.isfinite(db))):
        _fail(
            "The gradient contains NaN or inf at large logits: compute P with the stable softmax (subtract each row's maximum first).",
            "logit 很大时梯度中出现了 NaN 或 inf：请用稳定的 softmax 计算 P（先减去每一行的最大值）。",
        )
    want = _gradient(X, y, W, b)
    expect_array("dW at large logits", dW, want[0], rtol=1e-8, atol=1e-10)
    expect_array("db at large logits", db, want[1], rtol=1e-8, atol=1e-10)
