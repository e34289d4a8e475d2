"""Hidden checks for pipeline/linear-regression/mse-gradient.

Each check draws its own data from ctx.rng, so every learner gets different numbers.
Before the generic comparison, the checks look for the usual mistakes (a wrong sign,
a missing factor 2, a sum instead of a mean, a forgotten bias, (N, N) broadcasting)
and name them.
"""

import numpy as np

from lmschool.grading.checks import check, expect_array, expect_close, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    # Messages are str.format templates: escape braces coming from values.
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _problem(rng, n=None, d=None):
    n = int(rng.integers(20, 60)) if n is None else n
    d = int(rng.integers(2, 6)) if d is None else d
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + rng.uniform(1.0, 4.0) + rng.normal(scale=0.5, size=n)
    w = rng.normal(size=d)
    b = float(rng.uniform(-2.0, -0.5))  # away from the best b, so db is clearly non-zero
    return X, y, w, b


def _number(got):
    """A learner value as a float, or None when it is not a single real number."""
    if isinstance(got, RemoteObject):
        return None
    if isinstance(got, np.ndarray) and got.ndim == 0 and got.dtype.kind in "biuf":
        return float(got.reshape(()))
    if isinstance(got, int | float | np.integer | np.floating) and not isinstance(got, bool):
        return float(got)
    return None


def _float_array(got):
    if isinstance(got, RemoteObject):
        return None
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr


def _gradient_pair(got):
    """(dw, db) from what mse_gradient returned, failing with a clear message otherwise."""
    if not isinstance(got, tuple | list) or len(got) != 2:
        kind = type(got).__name__ if not isinstance(got, RemoteObject) else got.type_name
        _fail(
            f"mse_gradient must return a pair (dw, db); it returned a {kind}.",
            f"mse_gradient 必须返回二元组 (dw, db)；它返回的是 {kind}。",
        )
    return got[0], got[1]


def _close(a, b, rtol=1e-6):
    return a is not None and a.shape == np.shape(b) and np.allclose(a, b, rtol=rtol, atol=1e-9)


@check(points=2, title={"en": "mse_loss on random data", "zh": "随机数据上的 mse_loss"})
def loss_values(ctx):
    X, y, w, b = _problem(ctx.rng)
    n = len(y)
    want = ctx.reference.mse_loss(X, y, w, b)
    got = _number(ctx.learner.mse_loss(X, y, w, b))
    if got is None:
        _fail(
            "mse_loss must return one number (a float, not an array such as one of shape (1,)).",
            "mse_loss 必须返回一个数（浮点数，而不是形状为 (1,) 之类的数组）。",
        )
    pred = X @ w + b
    if np.isclose(got, want * n, rtol=1e-6):
        _fail(
            f"mse_loss returned {got:.6g}, N = {n} times the expected {want:.6g}: you summed the squared errors; take their mean.",
            f"mse_loss 返回 {got:.6g}，是期望值 {want:.6g} 的 N = {n} 倍：你对平方误差求了和，应当取平均。",
        )
    if np.isclose(got, want / 2, rtol=1e-6):
        _fail(
            f"mse_loss returned {got:.6g}, half the expected {want:.6g}: this exercise uses (1/N) Σ r², not 1/(2N).",
            f"mse_loss 返回 {got:.6g}，是期望值 {want:.6g} 的一半：本练习使用 (1/N) Σ r²，而不是 1/(2N)。",
        )
    if np.isclose(got, np.mean((X @ w - y) ** 2), rtol=1e-6):
        _fail(
            "mse_loss ignores b: the prediction is X @ w + b.",
            "mse_loss 忽略了 b：预测值是 X @ w + b。",
        )
    if np.isclose(got, np.mean((y - pred.reshape(-1, 1)) ** 2), rtol=1e-6):
        _fail(
            "mse_loss averages over an (N, N) array: y of shape (N,) minus predictions of shape (N, 1) broadcasts to every pair (i, j). Keep both 1-D.",
            "mse_loss 在一个 (N, N) 数组上求了平均：形状为 (N,) 的 y 减去形状为 (N, 1) 的预测值会广播到所有 (i, j) 对。请让二者都保持一维。",
        )
    expect_close("mse_loss(X, y, w, b)", got, want, rtol=1e-9, atol=1e-12)


@check(points=3, title={"en": "mse_gradient on random data", "zh": "随机数据上的 mse_gradient"})
def gradient_values(ctx):
    X, y, w, b = _problem(ctx.rng)
    n = len(y)
    dw_want, db_want = ctx.reference.mse_gradient(X, y, w, b)
    dw_got, db_got = _gradient_pair(ctx.learner.mse_gradient(X, y, w, b))
    dw = _float_array(dw_got)
    if dw is None:
        _fail("dw must be a NumPy array of shape (D,).", "dw 必须是形状为 (D,) 的 NumPy 数组。")
    if dw.shape != dw_want.shape:
        hint_en, hint_zh = "", ""
        if dw.ndim == 2 and n in dw.shape:
            hint_en = " An N in the shape usually means y and the predictions broadcast to (N, N): keep both of shape (N,)."
            hint_zh = " 形状里出现 N，通常说明 y 与预测值广播成了 (N, N)：请让二者的形状都是 (N,)。"
        _fail(
            f"dw has shape {dw.shape}; expected {dw_want.shape}, one number per weight.{hint_en}",
            f"dw 的形状为 {dw.shape}；期望为 {dw_want.shape}，每个权重对应一个数。{hint_zh}",
        )
    if _close(dw, -dw_want):
        _fail(
            "dw has the right size but the wrong sign: the residual is prediction minus target, r = X @ w + b - y (with y - prediction the gradient flips sign and descent climbs).",
            "dw 的大小正确但符号相反：残差应为预测值减目标值，r = X @ w + b - y（用 y 减预测值会让梯度变号，梯度下降就变成了上升）。",
        )
    if _close(dw, dw_want / 2):
        _fail(
            "dw is half the expected gradient: the derivative of r² is 2r, so the factor is 2/N, not 1/N.",
            "dw 是期望梯度的一半：r² 的导数是 2r，所以系数是 2/N，而不是 1/N。",
        )
    if _close(dw, dw_want * n) or _close(dw, dw_want * n / 2):
        _fail(
            f"dw is about N = {n} times too large: divide by N, the loss is a mean over the examples.",
            f"dw 大约大了 N = {n} 倍：要除以 N，损失是对样本取平均。",
        )
    expect_array("dw", dw, dw_want, rtol=1e-7, atol=1e-10)
    db = _number(db_got)
    if db is None:
        _fail(
            "db must be one number (a float, not an array such as one of shape (1,)).",
            "db 必须是一个数（浮点数，而不是形状为 (1,) 之类的数组）。",
        )
    if db == 0.0:
        _fail(
            "db is 0: the bias has a gradient too, (2/N) Σ r_i, because every prediction moves with b.",
            "db 为 0：偏置也有梯度，(2/N) Σ r_i，因为每个预测值都随 b 变化。",
        )
    if np.isclose(db, -db_want, rtol=1e-6):
        _fail(
            "db has the wrong sign: use r = prediction - y.",
            "db 的符号相反：请使用 r = 预测值 - y。",
        )
    expect_close("db", db, db_want, rtol=1e-7, atol=1e-10)


@check(
    points=2,
    title={
        "en": "The gradient matches finite differences of your loss",
        "zh": "梯度与你的损失函数的有限差分一致",
    },
)
def finite_differences(ctx):
    X, y, w, b = _problem(ctx.rng, n=int(ctx.rng.integers(10, 30)), d=3)
    dw_got, db_got = _gradient_pair(ctx.learner.mse_gradient(X, y, w, b))
    dw, db = _float_array(dw_got), _number(db_got)
    if dw is None or dw.shape != (3,) or db is None:
        _fail(
            "mse_gradient must return dw of shape (D,) and db a number.",
            "mse_gradient 必须返回形状为 (D,) 的 dw 和一个数 db。",
        )
    eps = 1e-5
    numeric = []
    for j in range(4):  # three weights, then the bias
        plus, minus = w.copy(), w.copy()
        b_plus, b_minus = b, b
        if j < 3:
            plus[j] += eps
            minus[j] -= eps
        else:
            b_plus, b_minus = b + eps, b - eps
        hi = _number(ctx.learner.mse_loss(X, y, plus, b_plus))
        lo = _number(ctx.learner.mse_loss(X, y, minus, b_minus))
        if hi is None or lo is None:
            _fail(
                "mse_loss must return one number (a float).", "mse_loss 必须返回一个数（浮点数）。"
            )
        numeric.append((hi - lo) / (2 * eps))
    analytic = np.append(dw, db)
    names = ["dw[0]", "dw[1]", "dw[2]", "db"]
    for name, a, g in zip(names, analytic, numeric, strict=True):
        if not np.isclose(a, g, rtol=1e-4, atol=1e-6):
            _fail(
                f"{name} = {a:.6g}, but the slope of your mse_loss in that direction, measured as (L(θ+ε) - L(θ-ε)) / 2ε, is {g:.6g}: the gradient and the loss disagree.",
                f"{name} = {a:.6g}，但用 (L(θ+ε) - L(θ-ε)) / 2ε 测得你的 mse_loss 在该方向上的斜率是 {g:.6g}：梯度与损失不一致。",
            )


@check(
    points=1,
    title={"en": "At a perfect fit: loss 0, gradient 0", "zh": "完美拟合时：损失为 0，梯度为 0"},
)
def perfect_fit(ctx):
    X, _, w, b = _problem(ctx.rng)
    y = X @ w + b  # the targets are exactly the predictions
    expect_close("mse_loss at a perfect fit", ctx.learner.mse_loss(X, y, w, b), 0.0, atol=1e-12)
    dw, db = _gradient_pair(ctx.learner.mse_gradient(X, y, w, b))
    expect_array("dw at a perfect fit", dw, np.zeros_like(w), atol=1e-10)
    expect_close("db at a perfect fit", db, 0.0, atol=1e-10)


@check(points=1, title={"en": "One feature, one example", "zh": "一个特征、一个样本"})
def single_example(ctx):
    X = ctx.rng.normal(size=(1, 1))
    y = ctx.rng.normal(size=1) + 3.0
    w, b = ctx.rng.normal(size=1), float(ctx.rng.normal())
    expect_close(
        "mse_loss for one example",
        ctx.learner.mse_loss(X, y, w, b),
        ctx.reference.mse_loss(X, y, w, b),
        rtol=1e-9,
    )
    dw_want, db_want = ctx.reference.mse_gradient(X, y, w, b)
    dw, db = _gradient_pair(ctx.learner.mse_gradient(X, y, w, b))
    expect_array("dw for one feature (shape (1,))", dw, dw_want, rtol=1e-9)
    expect_close("db for one example", db, db_want, rtol=1e-9)
