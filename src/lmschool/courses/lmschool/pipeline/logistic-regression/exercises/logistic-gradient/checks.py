"""Hidden checks for pipeline/logistic-regression/logistic-gradient.

Reference values come from the closed form X^T (p - y) / N; one check instead compares
with central finite differences of the (stable) loss itself, so the learner sees that
the formula really is the derivative.
"""

import numpy as np

from lmschool.grading.checks import check, expect_array, expect_close, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _loss(X, y, w, b):
    z = X @ w + b
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _problem(rng, n=None, d=None, scale=1.0):
    n = int(rng.integers(20, 60)) if n is None else n
    d = int(rng.integers(2, 6)) if d is None else d
    X = rng.normal(size=(n, d)) * scale
    y = (rng.uniform(size=n) < 0.5).astype(np.float64)
    w = rng.normal(size=d)
    b = float(rng.uniform(0.5, 1.5))
    return X, y, w, b


def _pair(got, d):
    if not isinstance(got, tuple | list) or len(got) != 2:
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        _fail(
            f"logistic_gradient must return a pair (dw, db); it returned a {kind}.",
            f"logistic_gradient 必须返回二元组 (dw, db)；它返回的是 {kind}。",
        )
    dw, db = got
    if isinstance(dw, RemoteObject) or isinstance(db, RemoteObject):
        _fail(
            "dw and db must be NumPy data, not objects.", "dw 和 db 必须是 NumPy 数据，而不是对象。"
        )
    try:
        dw = np.asarray(dw, dtype=np.float64)
        db = np.asarray(db, dtype=np.float64)
    except (TypeError, ValueError):
        _fail("dw must be a float array and db a number.", "dw 必须是浮点数组，db 必须是一个数。")
    if dw.shape != (d,):
        _fail(
            f"dw has shape {dw.shape}; expected ({d},), one number per weight.",
            f"dw 的形状为 {dw.shape}；期望为 ({d},)，每个权重对应一个数。",
        )
    if db.size == 1 and db.ndim > 0:
        _fail(
            f"db must be a float, got an array of shape {db.shape}: return the mean of p − y as a "
            "number, e.g. float(np.mean(p - y)) (g[-1:] of a stacked gradient is an array).",
            f"db 必须是一个浮点数，得到的却是形状为 {db.shape} 的数组：请把 p − y 的平均值作为一个数返回，"
            "例如 float(np.mean(p - y))（拼接后的梯度取 g[-1:] 得到的是数组）。",
        )
    if db.size != 1:
        _fail(
            f"db must be one number; it has shape {db.shape}.",
            f"db 必须是一个数；它的形状为 {db.shape}。",
        )
    return dw, float(db.reshape(()))


def _close(a, b):
    return np.allclose(a, b, rtol=1e-6, atol=1e-10)


@check(points=3, title={"en": "dw and db on random data", "zh": "随机数据上的 dw 和 db"})
def gradient_values(ctx):
    X, y, w, b = _problem(ctx.rng)
    n, d = X.shape
    dw, db = _pair(ctx.learner.logistic_gradient(X, y, w, b), d)
    dw_want, db_want = ctx.reference.logistic_gradient(X, y, w, b)
    p = 1.0 / (1.0 + np.exp(-(X @ w + b)))
    if _close(dw, -dw_want):
        _fail(
            "dw has the right size but the wrong sign: the derivative of the loss with respect to the logit is p − y, not y − p.",
            "dw 的大小正确但符号相反：损失对 logit 的导数是 p − y，而不是 y − p。",
        )
    if _close(dw, dw_want * n):
        _fail(
            f"dw is N = {n} times too large: divide by N, the loss is a mean.",
            f"dw 大了 N = {n} 倍：要除以 N，损失是平均值。",
        )
    if _close(dw, X.T @ ((p - y) * p * (1 - p)) / n):
        _fail(
            "dw has an extra factor p(1 − p): that is the gradient of the squared error through a sigmoid. For the cross-entropy, σ'(z) = p(1 − p) cancels against the 1/p and 1/(1 − p) of the logs, leaving p − y.",
            "dw 多了一个因子 p(1 − p)：那是经过 sigmoid 的平方误差的梯度。对交叉熵而言，σ'(z) = p(1 − p) 与对数求导产生的 1/p、1/(1 − p) 相互抵消，只剩下 p − y。",
        )
    if _close(dw, 2 * dw_want):
        _fail(
            "dw is twice the expected gradient: the factor 2 belongs to the squared error, not to the cross-entropy, whose per-example derivative is p − y.",
            "dw 是期望梯度的两倍：系数 2 属于平方误差，而交叉熵对每个样本的导数就是 p − y。",
        )
    expect_array("dw", dw, dw_want, rtol=1e-8, atol=1e-12)
    if db == 0.0:
        _fail(
            "db is 0: the bias has a gradient too, the mean of p − y.",
            "db 为 0：偏置也有梯度，即 p − y 的平均值。",
        )
    expect_close("db", db, db_want, rtol=1e-8, atol=1e-12)


@check(
    points=2,
    title={"en": "Agrees with finite differences of the loss", "zh": "与损失函数的有限差分一致"},
)
def finite_differences(ctx):
    X, y, w, b = _problem(ctx.rng, n=int(ctx.rng.integers(8, 20)), d=2)
    dw, db = _pair(ctx.learner.logistic_gradient(X, y, w, b), 2)
    eps = 1e-6
    numeric = [
        (_loss(X, y, w + eps * np.eye(2)[0], b) - _loss(X, y, w - eps * np.eye(2)[0], b))
        / (2 * eps),
        (_loss(X, y, w + eps * np.eye(2)[1], b) - _loss(X, y, w - eps * np.eye(2)[1], b))
        / (2 * eps),
        (_loss(X, y, w, b + eps) - _loss(X, y, w, b - eps)) / (2 * eps),
    ]
    for name, got, want in zip(["dw[0]", "dw[1]", "db"], [dw[0], dw[1], db], numeric, strict=True):
        if not np.isclose(got, want, rtol=1e-5, atol=1e-8):
            _fail(
                f"{name} = {got:.6g}, but the slope of the loss measured by central differences (L(θ+ε) − L(θ−ε)) / 2ε is {want:.6g}.",
                f"{name} = {got:.6g}，但用中心差分 (L(θ+ε) − L(θ−ε)) / 2ε 测得的损失斜率是 {want:.6g}。",
            )


@check(points=1, title={"en": "Finite at logits near ±1000", "zh": "logit 接近 ±1000 时仍是有限值"})
def extreme_logits(ctx):
    X, y, w, b = _problem(ctx.rng, scale=400.0)  # logits of several hundreds, some beyond ±709
    X[0] = 1000.0 / np.abs(w).sum() * np.sign(w)  # one logit of about +1000 + b
    X[1] = -X[0]  # and one of about -1000 + b
    dw, db = _pair(ctx.learner.logistic_gradient(X, y, w, b), X.shape[1])
    if not (np.all(np.isfinite(dw)) and np.isfinite(db)):
        _fail(
            "The gradient contains NaN or inf at logits near ±1000: exp of a large number overflows. Compute the sigmoid stably (only exp of non-positive numbers, or np.exp(-np.logaddexp(0, -z))).",
            "logit 接近 ±1000 时梯度中出现了 NaN 或 inf：对大数取 exp 会溢出。请以稳定的方式计算 sigmoid（只对非正数取 exp，或用 np.exp(-np.logaddexp(0, -z))）。",
        )
    dw_want, db_want = ctx.reference.logistic_gradient(X, y, w, b)
    expect_array("dw at extreme logits", dw, dw_want, rtol=1e-8, atol=1e-9)
    expect_close("db at extreme logits", db, db_want, rtol=1e-8, atol=1e-12)


@check(points=1, title={"en": "One feature, one example", "zh": "一个特征、一个样本"})
def single_example(ctx):
    X = ctx.rng.normal(size=(1, 1))
    y = np.array([float(ctx.rng.integers(0, 2))])
    w, b = ctx.rng.normal(size=1), float(ctx.rng.normal())
    dw, db = _pair(ctx.learner.logistic_gradient(X, y, w, b), 1)
    dw_want, db_want = ctx.reference.logistic_gradient(X, y, w, b)
    expect_array("dw for one example", dw, dw_want, rtol=1e-9, atol=1e-12)
    expect_close("db for one example", db, db_want, rtol=1e-9, atol=1e-12)
