"""Hidden checks for pipeline/linear-regression/normal-equations.

The data always have an intercept far from 0, so a fit without a bias column is
visibly wrong, and the checks recognise the common ways of getting the bias wrong.
"""

import numpy as np

from lmschool.grading.checks import check, expect_array, expect_close, fail
from lmschool.grading.proxy import LearnerError, RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _data(rng, n, d, noise=0.3):
    X = rng.normal(loc=rng.uniform(1.0, 3.0, size=d), size=(n, d))  # columns not centred
    w = rng.normal(scale=2.0, size=d)
    b = float(rng.choice([-1.0, 1.0]) * rng.uniform(4.0, 8.0))
    y = X @ w + b + rng.normal(scale=noise, size=n)
    return X, y


def _lstsq(X, y, bias=True):
    A = np.column_stack([X, np.ones(len(X))]) if bias else X
    theta, *_ = np.linalg.lstsq(A, y, rcond=None)
    return theta


def _result(got, d):
    """(w, b) as a float array of shape (d,) and a float, or a failure saying what came back."""
    if not isinstance(got, tuple | list) or len(got) != 2:
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        _fail(
            f"fit_closed_form must return a pair (w, b); it returned a {kind}.",
            f"fit_closed_form 必须返回二元组 (w, b)；它返回的是 {kind}。",
        )
    w, b = got
    if isinstance(b, np.ndarray | list | tuple) and np.ndim(b) > 0:
        _fail(
            f"b must be a float, got an array of shape {np.shape(b)}: take the last entry of "
            "theta as a number, b = float(theta[-1]) (theta[-1:] is an array of shape (1,)).",
            f"b 必须是一个浮点数，得到的却是形状为 {np.shape(b)} 的数组：取出 theta 的最后一个元素作为数，"
            "b = float(theta[-1])（theta[-1:] 是形状为 (1,) 的数组）。",
        )
    if isinstance(w, RemoteObject) or isinstance(b, RemoteObject):
        _fail("w and b must be NumPy data, not objects.", "w 和 b 必须是 NumPy 数据，而不是对象。")
    try:
        w = np.asarray(w, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        _fail("w must be a float array and b a number.", "w 必须是浮点数组，b 必须是一个数。")
    if w.shape != (d,):
        extra_en = extra_zh = ""
        if w.shape == (d + 1,):
            extra_en = " It has D + 1 entries: split theta into w = theta[:-1] and b = theta[-1]."
            extra_zh = " 它有 D + 1 个元素：应把 theta 拆成 w = theta[:-1] 和 b = theta[-1]。"
        _fail(
            f"w has shape {w.shape}; expected ({d},), one weight per column of X.{extra_en}",
            f"w 的形状为 {w.shape}；期望为 ({d},)，X 的每一列对应一个权重。{extra_zh}",
        )
    if b.size != 1:
        _fail(
            f"b must be one number; got an array of shape {b.shape}.",
            f"b 必须是一个数；实际得到形状为 {b.shape} 的数组。",
        )
    return w, float(b.reshape(()))


def _diagnose_bias(X, y, w, b):
    no_bias = _lstsq(X, y, bias=False)
    if abs(b) < 1e-9 and np.allclose(w, no_bias, rtol=1e-5, atol=1e-8):
        _fail(
            "b is 0 and w is the fit without an intercept: the line is forced through the origin. Add a column of ones to X so that b is learned too.",
            "b 为 0，且 w 是不带截距的拟合结果：直线被强制穿过原点。请给 X 添加一列全 1，让 b 也被学习。",
        )
    if np.allclose(w, no_bias, rtol=1e-5, atol=1e-8) and np.isclose(b, y.mean()):
        _fail(
            "w comes from a fit without intercept and b is mean(y): the intercept must be fitted together with w (a column of ones in X), because X's columns are not centred.",
            "w 来自不带截距的拟合，b 取了 mean(y)：截距必须与 w 一起拟合（给 X 加一列全 1），因为 X 的各列并没有中心化。",
        )
    theta = _lstsq(X, y)
    if np.isclose(b, theta[0], rtol=1e-6) and not np.isclose(b, theta[-1], rtol=1e-6):
        _fail(
            "b equals the weight of X's first column: you read the bias from the wrong end of theta. With the ones appended as the LAST column, b = theta[-1] and w = theta[:-1].",
            "b 等于 X 第一列的权重：你从 theta 的错误一端取了偏置。全 1 列作为最后一列添加时，b = theta[-1]，w = theta[:-1]。",
        )


@check(points=3, title={"en": "w and b on noisy data", "zh": "含噪声数据上的 w 和 b"})
def noisy_data(ctx):
    n, d = int(ctx.rng.integers(30, 80)), int(ctx.rng.integers(2, 6))
    X, y = _data(ctx.rng, n, d)
    w, b = _result(ctx.learner.fit_closed_form(X, y), d)
    _diagnose_bias(X, y, w, b)
    theta = _lstsq(X, y)
    expect_array("w", w, theta[:-1], rtol=1e-6, atol=1e-8)
    expect_close("b", b, theta[-1], rtol=1e-6, atol=1e-8)


@check(points=1, title={"en": "Exact recovery without noise", "zh": "无噪声时精确还原参数"})
def exact_recovery(ctx):
    d = int(ctx.rng.integers(1, 5))
    X = ctx.rng.normal(size=(int(ctx.rng.integers(10, 30)), d))
    w_true = ctx.rng.normal(scale=3.0, size=d)
    b_true = float(ctx.rng.uniform(-10.0, 10.0))
    w, b = _result(ctx.learner.fit_closed_form(X, X @ w_true + b_true), d)
    _diagnose_bias(X, X @ w_true + b_true, w, b)
    expect_array("w for noise-free data", w, w_true, rtol=1e-8, atol=1e-8)
    expect_close("b for noise-free data", b, b_true, rtol=1e-8, atol=1e-8)


@check(points=1, title={"en": "One feature: slope and intercept", "zh": "单个特征：斜率与截距"})
def one_feature(ctx):
    x = ctx.rng.uniform(0.0, 10.0, size=int(ctx.rng.integers(8, 30)))
    y = ctx.rng.uniform(-3, 3) * x + ctx.rng.uniform(5, 20) + ctx.rng.normal(size=x.size)
    w, b = _result(ctx.learner.fit_closed_form(x.reshape(-1, 1), y), 1)
    slope = np.mean((x - x.mean()) * (y - y.mean())) / np.var(x)
    _diagnose_bias(x.reshape(-1, 1), y, w, b)
    expect_array("w (the slope cov(x, y) / var(x))", w, np.array([slope]), rtol=1e-6)
    expect_close(
        "b (the intercept mean(y) - slope * mean(x))", b, y.mean() - slope * x.mean(), rtol=1e-6
    )


@check(points=2, title={"en": "Two identical columns", "zh": "两列完全相同"})
def duplicated_column(ctx):
    n = int(ctx.rng.integers(20, 50))
    X, y = _data(ctx.rng, n, 2)
    X = np.column_stack([X, X[:, 0]])  # column 2 repeats column 0: Xt.T @ Xt is singular
    try:
        got = ctx.learner.fit_closed_form(X, y)
    except LearnerError as exc:
        _fail(
            f"With two identical columns your code raised {exc.type_name}: {exc.message}. Xt.T @ Xt is singular here and cannot be inverted: use np.linalg.lstsq (or np.linalg.pinv), which handles it.",
            f"当有两列完全相同时，你的代码抛出了 {exc.type_name}：{exc.message}。此时 Xt.T @ Xt 是奇异矩阵，不能求逆：请使用能处理这种情况的 np.linalg.lstsq（或 np.linalg.pinv）。",
        )
    w, b = _result(got, 3)
    _diagnose_bias(X, y, w, b)
    pred = X @ w + b
    theta = _lstsq(X, y)
    want = X @ theta[:-1] + theta[-1]
    if not np.all(np.isfinite(pred)) or not np.allclose(pred, want, rtol=1e-5, atol=1e-6):
        worst = float(np.max(np.abs(pred - want))) if np.all(np.isfinite(pred)) else float("nan")
        _fail(
            f"With two identical columns your predictions X @ w + b are off by up to {worst:.3g} from the least-squares fit. Xt.T @ Xt is singular here, so inverting it (np.linalg.inv or solve) gives garbage: use np.linalg.lstsq or np.linalg.pinv.",
            f"当有两列完全相同时，你的预测值 X @ w + b 与最小二乘拟合最多相差 {worst:.3g}。此时 Xt.T @ Xt 是奇异矩阵，对它求逆（np.linalg.inv 或 solve）会得到错误结果：请使用 np.linalg.lstsq 或 np.linalg.pinv。",
        )
