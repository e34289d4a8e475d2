"""Checks for StandardScaler: the fit/transform contract, and the statistics it uses."""

import numpy as np

from lmschool.grading.checks import (
    check,
    expect,
    expect_array,
    expect_equal,
    expect_inputs_unchanged,
    expect_raises,
    fail,
)
from lmschool.grading.proxy import LearnerError, RemoteObject


def _data(rng, n=None, d=None, shift=0.0):
    """Columns on very different scales; ``shift`` moves every column's mean."""
    n = n or int(rng.integers(15, 40))
    d = d or int(rng.integers(2, 6))
    loc = rng.uniform(-50, 50, size=d) + shift
    scale = rng.uniform(0.5, 30, size=d)
    return rng.normal(loc, scale, size=(n, d))


def _standardised_by_itself(X):
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std == 0, 1.0, std)


def _array(name, value):
    """Learner data as a float array, or a failure that says what came back."""
    if isinstance(value, RemoteObject) or value is None:
        kind = value.type_name if isinstance(value, RemoteObject) else "None"
        fail(
            {
                "en": f"{name} must be a NumPy array, got {kind}.",
                "zh": f"{name} 必须是 NumPy 数组，得到的是 {kind}。",
            }
        )
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail({"en": f"{name} must hold numbers.", "zh": f"{name} 必须由数字组成。"})


def _fitted(ctx, X):
    """A learner scaler fitted on X; fails (with a message) if fit does not return self."""
    scaler = ctx.learner.StandardScaler()
    out = scaler.fit(X)
    expect(
        out == scaler,
        {
            "en": "fit(X) must return self (the same scaler), so that "
            "StandardScaler().fit(X_train).transform(X_test) works.",
            "zh": "fit(X) 必须返回 self（同一个 scaler 对象），这样 "
            "StandardScaler().fit(X_train).transform(X_test) 才能工作。",
        },
    )
    return scaler


@check(
    points=1,
    title={"en": "A new scaler has learned nothing", "zh": "新建的 scaler 还没有学到任何东西"},
)
def nothing_before_fit(ctx):
    scaler = ctx.learner.StandardScaler()
    try:
        value = scaler.mean_
    except LearnerError as exc:
        if "AttributeError" not in exc.mro:
            fail(
                {
                    "en": f"Reading mean_ before fit raised {exc.type_name}; it should simply not exist yet "
                    "(AttributeError).",
                    "zh": f"在 fit 之前读取 mean_ 抛出了 {exc.type_name}；此时它应该根本不存在（AttributeError）。",
                }
            )
    else:
        fail(
            {
                "en": f"A new StandardScaler() already has mean_ = {value!r}. __init__ must learn nothing: "
                "learned attributes (ending in _) are created by fit.",
                "zh": f"新建的 StandardScaler() 已经有 mean_ = {value!r}。__init__ 不应学习任何东西："
                "以 _ 结尾的学习所得属性由 fit 创建。",
            }
        )


@check(
    points=1,
    title={
        "en": "transform before fit raises RuntimeError",
        "zh": "fit 之前调用 transform 会抛出 RuntimeError",
    },
)
def transform_before_fit(ctx):
    scaler = ctx.learner.StandardScaler()
    with expect_raises("StandardScaler().transform(X) before fit", "RuntimeError"):
        scaler.transform(_data(ctx.rng))


@check(
    points=2,
    title={
        "en": "fit learns mean_ and scale_, and returns self",
        "zh": "fit 学到 mean_ 和 scale_，并返回 self",
    },
)
def fit_learns(ctx):
    X = _data(ctx.rng)
    scaler = _fitted(ctx, X)
    mean = _array("mean_", scaler.mean_)
    scale = _array("scale_", scaler.scale_)
    expect_array("mean_", mean, X.mean(axis=0), rtol=1e-9, atol=1e-9)
    if scale.shape == (X.shape[1],) and np.allclose(scale, X.std(axis=0, ddof=1), rtol=1e-9):
        fail(
            {
                "en": "scale_ is the sample standard deviation (ddof=1). A scaler uses the population "
                "standard deviation, np.std(X, axis=0) with its default ddof=0.",
                "zh": "scale_ 是样本标准差（ddof=1）。标准化使用总体标准差，即 np.std(X, axis=0)，默认 ddof=0。",
            }
        )
    expect_array("scale_", scale, X.std(axis=0), rtol=1e-9, atol=1e-9)
    try:
        n_features = scaler.n_features_in_
    except LearnerError:
        fail(
            {
                "en": "After fit(X) the scaler has no n_features_in_: fit must store the number "
                "of columns D of X in it (transform checks its input against it).",
                "zh": "fit(X) 之后 scaler 没有 n_features_in_：fit 必须把 X 的列数 D 存进去"
                "（transform 用它检查输入）。",
            }
        )
    expect_equal("n_features_in_ after fit(X) with X.shape[1] columns", n_features, X.shape[1])


@check(
    points=3,
    title={
        "en": "transform uses the statistics learned in fit",
        "zh": "transform 使用 fit 时学到的统计量",
    },
)
def transform_uses_fitted(ctx):
    X_train = _data(ctx.rng)
    X_test = _data(ctx.rng, n=int(ctx.rng.integers(5, 12)), d=X_train.shape[1], shift=20.0)
    scaler = _fitted(ctx, X_train)
    got = _array("transform(X_test)", scaler.transform(X_test))
    want = ctx.reference.StandardScaler().fit(X_train).transform(X_test)
    if got.shape == want.shape and np.allclose(
        got, _standardised_by_itself(X_test), rtol=1e-6, atol=1e-9
    ):
        fail(
            {
                "en": "transform(X_test) standardised X_test with its own mean and standard deviation. "
                "transform must use mean_ and scale_ learned in fit (from the training data): the test "
                "data is scaled with the training statistics, so the same raw value always maps to the "
                "same number.",
                "zh": "transform(X_test) 用 X_test 自己的均值和标准差做了标准化。transform 必须使用 fit 时"
                "（从训练数据）学到的 mean_ 和 scale_：测试数据要用训练数据的统计量来缩放，"
                "这样同一个原始值总是映射到同一个数。",
            }
        )
    expect_array("transform(X_test) after fit(X_train)", got, want, rtol=1e-6, atol=1e-9)


@check(points=1, title={"en": "A constant column", "zh": "取值恒定的列"})
def constant_column(ctx):
    X = _data(ctx.rng)
    j = int(ctx.rng.integers(X.shape[1]))
    # A value whose mean over the rows is exact, so that its standard deviation is exactly 0.
    X[:, j] = float(ctx.rng.integers(-40, 40)) / 4
    scaler = _fitted(ctx, X)
    got = _array("transform(X)", scaler.transform(X))
    if got.shape == X.shape and not np.isfinite(got[:, j]).all():
        fail(
            {
                "en": f"Column {j} is constant (its standard deviation is 0) and became NaN. Store 1 in "
                "scale_ for such a column: it is 0 after centring, and 0 / 1 stays 0.",
                "zh": f"第 {j} 列是常数（标准差为 0），结果变成了 NaN。对这样的列在 scale_ 中存 1："
                "中心化之后它是 0，0 / 1 仍然是 0。",
            }
        )
    expect_array(
        "scale_ with a constant column", scaler.scale_, ctx.reference.StandardScaler().fit(X).scale_
    )
    expect_array(
        "transform(X) with a constant column",
        got,
        ctx.reference.StandardScaler().fit_transform(X),
        rtol=1e-6,
        atol=1e-9,
    )


@check(
    points=1,
    title={
        "en": "fit_transform is fit, then transform",
        "zh": "fit_transform 等于先 fit 再 transform",
    },
)
def fit_transform(ctx):
    X = _data(ctx.rng)
    scaler = ctx.learner.StandardScaler()
    got = _array("fit_transform(X)", scaler.fit_transform(X))
    expect_array(
        "fit_transform(X)",
        got,
        ctx.reference.StandardScaler().fit_transform(X),
        rtol=1e-6,
        atol=1e-9,
    )
    expect_array("mean_ after fit_transform(X)", scaler.mean_, X.mean(axis=0), rtol=1e-9, atol=1e-9)


@check(
    points=1, title={"en": "Fitting again replaces the statistics", "zh": "再次 fit 会替换统计量"}
)
def refit(ctx):
    first, second = _data(ctx.rng, d=3), _data(ctx.rng, d=3, shift=40.0)
    scaler = _fitted(ctx, first)
    scaler.fit(second)
    expect_array(
        "mean_ after fit(A) then fit(B)", scaler.mean_, second.mean(axis=0), rtol=1e-9, atol=1e-9
    )
    expect_array(
        "scale_ after fit(A) then fit(B)", scaler.scale_, second.std(axis=0), rtol=1e-9, atol=1e-9
    )
    wider = _data(ctx.rng, d=5)  # a new width replaces n_features_in_ too
    scaler.fit(wider)
    expect_equal("n_features_in_ after fit on 3 columns, then on 5", scaler.n_features_in_, 5)
    expect_array(
        "transform(X) after fit on 3 columns, then on 5 (X with 5 columns)",
        _array("transform(X)", scaler.transform(wider)),
        ctx.reference.StandardScaler().fit_transform(wider),
        rtol=1e-6,
        atol=1e-9,
    )


@check(
    points=1,
    title={
        "en": "The wrong number of columns raises ValueError",
        "zh": "列数不对时抛出 ValueError",
    },
)
def wrong_columns(ctx):
    X = _data(ctx.rng, d=3)
    scaler = _fitted(ctx, X)
    with expect_raises("transform(X) with 4 columns after fit on 3", "ValueError"):
        scaler.transform(ctx.rng.normal(size=(5, 4)))
    # One column broadcasts against 3 means without a NumPy error: only a shape test stops it.
    with expect_raises("transform(X) with 1 column after fit on 3", "ValueError"):
        scaler.transform(ctx.rng.normal(size=(5, 1)))


@check(
    points=1,
    title={
        "en": "transform returns a new float array and leaves X alone",
        "zh": "transform 返回新的浮点数组，不改动 X",
    },
)
def new_array(ctx):
    X_train = _data(ctx.rng)
    X_test = _data(ctx.rng, n=int(ctx.rng.integers(5, 12)), d=X_train.shape[1], shift=20.0)
    scaler = _fitted(ctx, X_train)
    got = expect_inputs_unchanged("transform(X_test)", scaler.transform, X_test)
    want = ctx.reference.StandardScaler().fit(X_train).transform(X_test)
    expect_array("transform(X_test)", _array("transform(X_test)", got), want, rtol=1e-6, atol=1e-9)
    got = expect_inputs_unchanged(
        "fit_transform(X)", ctx.learner.StandardScaler().fit_transform, X_test
    )
    want = ctx.reference.StandardScaler().fit_transform(X_test)
    expect_array("fit_transform(X)", _array("fit_transform(X)", got), want, rtol=1e-6, atol=1e-9)
    # Integer data (counts, years): the standardised values are fractions all the same.
    counts = ctx.rng.integers(0, 50, size=X_train.shape)
    got = scaler.transform(counts)
    want = ctx.reference.StandardScaler().fit(X_train).transform(counts)
    expect_array(
        "transform(X) of an integer array", got, want, rtol=1e-6, atol=1e-9, dtype_kind="f"
    )
