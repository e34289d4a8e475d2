"""Hidden checks for pipeline/linear-regression/gd-regressor.

The main check fits on seeded, standardised data and compares coef_ and intercept_
with scikit-learn's LinearRegression (the trusted runner has scikit-learn). Others
pin down the contract: hyperparameters stored, fit returns self, predict before fit
raises, predict's shape, a 1-D X refused, the exact update rule and the stopping rule.
"""

import numpy as np
from sklearn.linear_model import LinearRegression

from lmschool.grading.checks import (
    check,
    expect,
    expect_array,
    expect_close,
    expect_equal,
    expect_raises,
    fail,
)
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _standardised_data(rng, n=None, d=None):
    n = int(rng.integers(100, 200)) if n is None else n
    d = int(rng.integers(2, 6)) if d is None else d
    X = rng.normal(size=(n, d))
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # standardised: gradient descent converges fast
    w = rng.normal(scale=3.0, size=d)
    b = float(
        rng.choice([-1.0, 1.0]) * rng.uniform(5.0, 50.0)
    )  # far from 0: a missing intercept shows
    y = X @ w + b + rng.normal(scale=0.5, size=n)
    return X, y


def _array(name, got):
    if isinstance(got, RemoteObject):
        _fail(
            f"{name} must be a NumPy array, not a {got.type_name}.",
            f"{name} 必须是 NumPy 数组，而不是 {got.type_name}。",
        )
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} must be a NumPy array of numbers.", f"{name} 必须是数值型 NumPy 数组。")


def _coefficients(model, d):
    coef = _array("coef_", model.coef_)
    intercept = _array("intercept_", model.intercept_)
    if coef.shape != (d,):
        _fail(
            f"coef_ has shape {coef.shape}; expected ({d},), one weight per feature.",
            f"coef_ 的形状为 {coef.shape}；期望为 ({d},)，每个特征一个权重。",
        )
    if intercept.ndim > 0 and intercept.size == 1:
        _fail(
            f"intercept_ must be a float, got an array of shape {intercept.shape}: start from "
            "b = 0.0 (a number, not np.zeros(1)) or store float(b).",
            f"intercept_ 必须是一个浮点数，得到的却是形状为 {intercept.shape} 的数组：请从 b = 0.0"
            "（一个数，而不是 np.zeros(1)）开始，或者存入 float(b)。",
        )
    if intercept.size != 1:
        _fail(
            f"intercept_ must be one number; it has shape {intercept.shape}.",
            f"intercept_ 必须是一个数；它的形状为 {intercept.shape}。",
        )
    if (
        not np.all(np.isfinite(coef))
        or not np.isfinite(intercept).all()
        or np.abs(coef).max(initial=0) > 1e6
    ):
        _fail(
            "coef_ contains inf, NaN or huge values: gradient descent diverged. Check the sign of the update (w ← w − lr·dw, with r = prediction − y) and the factor 2/N in the gradient.",
            "coef_ 中含有 inf、NaN 或极大的值：梯度下降发散了。请检查更新的符号（w ← w − lr·dw，其中 r = 预测值 − y）以及梯度中的系数 2/N。",
        )
    return coef, float(intercept.reshape(()))


@check(
    points=1,
    title={"en": "Hyperparameters stored; fit returns self", "zh": "保存超参数；fit 返回 self"},
)
def contract(ctx):
    lr, n_iter, tol = float(ctx.rng.uniform(0.01, 0.2)), int(ctx.rng.integers(50, 500)), 1e-7
    model = ctx.learner.GDLinearRegression(lr=lr, n_iter=n_iter, tol=tol)
    expect_close("GDLinearRegression(lr=...).lr", model.lr, lr)
    expect_equal("GDLinearRegression(n_iter=...).n_iter", model.n_iter, n_iter)
    expect_close("GDLinearRegression(tol=...).tol", model.tol, tol)
    X, y = _standardised_data(ctx.rng, n=40, d=2)
    out = model.fit(X, y)
    expect(
        out == model,
        {
            "en": "fit(X, y) must return self (the same object), so that GDLinearRegression().fit(X, y).predict(X) works.",
            "zh": "fit(X, y) 必须返回 self（同一个对象），这样 GDLinearRegression().fit(X, y).predict(X) 才能工作。",
        },
    )


@check(
    points=1,
    title={
        "en": "The defaults lr=0.1, n_iter=1000, tol=1e-6",
        "zh": "默认值 lr=0.1、n_iter=1000、tol=1e-6",
    },
)
def defaults(ctx):
    model = ctx.learner.GDLinearRegression()
    expect_close("GDLinearRegression().lr", model.lr, 0.1)
    expect_equal("GDLinearRegression().n_iter", model.n_iter, 1000)
    expect_close("GDLinearRegression().tol", model.tol, 1e-6, rtol=1e-9, atol=0.0)
    # Positional arguments in the order of the prompt: lr, n_iter, tol.
    model = ctx.learner.GDLinearRegression(0.05, 200, 1e-4)
    expect_close("GDLinearRegression(0.05, 200, 1e-4).lr", model.lr, 0.05)
    expect_equal("GDLinearRegression(0.05, 200, 1e-4).n_iter", model.n_iter, 200)
    expect_close("GDLinearRegression(0.05, 200, 1e-4).tol", model.tol, 1e-4, rtol=1e-9, atol=0.0)


@check(
    points=1,
    title={
        "en": "predict before fit raises RuntimeError",
        "zh": "fit 之前调用 predict 会抛出 RuntimeError",
    },
)
def predict_before_fit(ctx):
    model = ctx.learner.GDLinearRegression()
    X = ctx.rng.normal(size=(5, 3))
    with expect_raises("GDLinearRegression().predict(X) before fit", "RuntimeError"):
        model.predict(X)


@check(
    points=3, title={"en": "Same coefficients as scikit-learn", "zh": "系数与 scikit-learn 相同"}
)
def matches_sklearn(ctx):
    X, y = _standardised_data(ctx.rng)
    d = X.shape[1]
    sk = LinearRegression().fit(X, y)
    model = ctx.learner.GDLinearRegression(lr=0.1, n_iter=3000, tol=1e-10)
    model.fit(X, y)
    coef, intercept = _coefficients(model, d)
    if abs(intercept) < 1e-9 and abs(sk.intercept_) > 1.0:
        _fail(
            f"intercept_ is 0 but scikit-learn finds {sk.intercept_:.4g}: your model has no bias. Learn b with its own gradient db = (2/N) Σ r_i.",
            f"intercept_ 为 0，而 scikit-learn 得到 {sk.intercept_:.4g}：你的模型没有偏置。请用它自己的梯度 db = (2/N) Σ r_i 学习 b。",
        )
    expect_array(
        "coef_ (compared with scikit-learn's LinearRegression().coef_)",
        coef,
        sk.coef_,
        rtol=1e-5,
        atol=1e-6,
    )
    expect_close(
        "intercept_ (compared with scikit-learn's LinearRegression().intercept_)",
        intercept,
        sk.intercept_,
        rtol=1e-5,
        atol=1e-6,
    )


@check(
    points=2,
    title={
        "en": "Exactly n_iter updates of the rule, from zero",
        "zh": "从零开始、按规则恰好更新 n_iter 次",
    },
)
def exact_steps(ctx):
    X, y = _standardised_data(ctx.rng, n=int(ctx.rng.integers(20, 50)), d=3)
    n_iter = int(ctx.rng.integers(2, 6))
    lr = float(ctx.rng.uniform(0.02, 0.1))
    model = ctx.learner.GDLinearRegression(
        lr=lr, n_iter=n_iter, tol=0.0
    )  # tol 0: never stops early
    model.fit(X, y)
    ref = ctx.reference.GDLinearRegression(lr=lr, n_iter=n_iter, tol=0.0).fit(X, y)
    coef, intercept = _coefficients(model, 3)
    expect_equal(f"n_iter_ with n_iter={n_iter} and tol=0", model.n_iter_, n_iter)
    if not (
        np.allclose(coef, ref.coef_, rtol=1e-8, atol=1e-10)
        and np.isclose(intercept, ref.intercept_, rtol=1e-8, atol=1e-10)
    ):
        _fail(
            f"After exactly {n_iter} updates with lr={lr:.4g}, coef_ should be {np.array2string(ref.coef_, precision=6)} and intercept_ {ref.intercept_:.6g}; yours are {np.array2string(coef, precision=6)} and {intercept:.6g}. Start from w = 0, b = 0 and use dw = (2/N) Xᵀr, db = (2/N) Σ r with r = X @ w + b − y, then w ← w − lr·dw.",
            f"用 lr={lr:.4g} 恰好更新 {n_iter} 次后，coef_ 应为 {np.array2string(ref.coef_, precision=6)}，intercept_ 应为 {ref.intercept_:.6g}；你的结果是 {np.array2string(coef, precision=6)} 和 {intercept:.6g}。请从 w = 0、b = 0 开始，使用 dw = (2/N) Xᵀr、db = (2/N) Σ r（r = X @ w + b − y），再做 w ← w − lr·dw。",
        )


@check(points=1, title={"en": "tol stops gradient descent early", "zh": "tol 使梯度下降提前停止"})
def stops_early(ctx):
    X, y = _standardised_data(ctx.rng)
    model = ctx.learner.GDLinearRegression(lr=0.1, n_iter=100_000, tol=1e-6)
    model.fit(X, y)
    steps = model.n_iter_
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
        _fail(
            "n_iter_ must be an int, the number of updates made.",
            "n_iter_ 必须是整数：实际更新的次数。",
        )
    if steps >= 100_000:
        _fail(
            "With tol=1e-6, fit ran all 100000 iterations: stop as soon as the norm of the gradient sqrt(‖dw‖² + db²) is below tol.",
            "当 tol=1e-6 时，fit 跑满了全部 100000 次迭代：梯度范数 sqrt(‖dw‖² + db²) 一旦小于 tol 就应停止。",
        )
    coef, intercept = _coefficients(model, X.shape[1])
    sk = LinearRegression().fit(X, y)
    expect_array("coef_ after stopping early", coef, sk.coef_, rtol=1e-4, atol=1e-5)
    expect_close("intercept_ after stopping early", intercept, sk.intercept_, rtol=1e-4, atol=1e-5)


@check(
    points=1,
    title={
        "en": "tol tests the norm of the whole gradient, dw and db",
        "zh": "tol 判断的是整个梯度（dw 和 db）的范数",
    },
)
def stopping_rule(ctx):
    X, y = _standardised_data(ctx.rng)
    # Features scaled up, the weights' gradient shrinks faster than the intercept's; scaled
    # down, slower. A norm that leaves out db or dw, or squares one wrongly, stops elsewhere.
    for scale in (1.5, 0.6):
        model = ctx.learner.GDLinearRegression(lr=0.1, n_iter=5000, tol=1e-6)
        model.fit(X * scale, y)
        steps = model.n_iter_
        want = ctx.reference.GDLinearRegression(lr=0.1, n_iter=5000, tol=1e-6).fit(X * scale, y)
        if steps != want.n_iter_:
            _fail(
                f"With standardised features times {scale} (lr=0.1, tol=1e-6), fit made {steps} updates; the stopping rule makes {want.n_iter_}. Before each update, stop when np.sqrt(dw @ dw + db ** 2) < tol: the norm of the whole gradient, the weights' and the intercept's together.",
                f"把标准化后的特征乘以 {scale}（lr=0.1，tol=1e-6）时，fit 更新了 {steps} 次；按停止规则应更新 {want.n_iter_} 次。每次更新之前，当 np.sqrt(dw @ dw + db ** 2) < tol 时停止：这是整个梯度的范数，权重和截距的梯度都要算在内。",
            )


@check(points=1, title={"en": "predict returns shape (N,)", "zh": "predict 返回形状 (N,)"})
def predict_shape(ctx):
    X, y = _standardised_data(ctx.rng, n=60, d=int(ctx.rng.integers(1, 4)))
    model = ctx.learner.GDLinearRegression(lr=0.1, n_iter=500, tol=1e-8)
    model.fit(
        X, y
    )  # not chained: a fit that forgets `return self` fails the contract check instead
    X_new = ctx.rng.normal(size=(int(ctx.rng.integers(3, 15)), X.shape[1]))
    got = _array("predict(X_new)", model.predict(X_new))
    coef, intercept = _coefficients(model, X.shape[1])
    if got.shape == (len(X_new), 1):
        _fail(
            f"predict returned shape {got.shape}, a column: return a 1-D array of shape ({len(X_new)},), the same shape as y, or a loss like (y - pred) ** 2 broadcasts to (N, N).",
            f"predict 返回的形状是 {got.shape}，是一列：请返回形状为 ({len(X_new)},) 的一维数组，与 y 的形状相同，否则 (y - pred) ** 2 这样的损失会广播成 (N, N)。",
        )
    if got.shape == (len(X_new),) and np.allclose(got, X_new @ coef, rtol=1e-9, atol=1e-9):
        _fail(
            "predict(X_new) returned X_new @ coef_ without the intercept: the model is "
            "X @ coef_ + intercept_, in predict as in fit.",
            "predict(X_new) 返回的是不含截距的 X_new @ coef_：模型是 X @ coef_ + intercept_，"
            "predict 中与 fit 中一样。",
        )
    expect_array("predict(X_new)", got, X_new @ coef + intercept, rtol=1e-9, atol=1e-9)


@check(points=1, title={"en": "fit refuses a 1-D X", "zh": "fit 拒绝一维的 X"})
def refuses_1d(ctx):
    x = ctx.rng.normal(size=30)
    y = 2 * x + ctx.rng.normal(size=30)
    model = ctx.learner.GDLinearRegression()
    with expect_raises("GDLinearRegression().fit(x, y) with x of shape (30,)", "ValueError"):
        model.fit(x, y)
