import numpy as np

from lmschool.grading.checks import check, expect_array


@check(points=2, title={"en": "Values on a random matrix", "zh": "随机矩阵上的结果"})
def random_matrix(ctx):
    n, d = int(ctx.rng.integers(8, 40)), int(ctx.rng.integers(2, 6))
    X = ctx.rng.normal(
        loc=ctx.rng.uniform(-50, 50, size=d), scale=ctx.rng.uniform(0.5, 20, size=d), size=(n, d)
    )
    expect_array(
        "standardize(X)",
        ctx.learner.standardize(X),
        ctx.reference.standardize(X),
        rtol=1e-6,
        atol=1e-9,
    )


@check(points=1, title={"en": "Columns on very different scales", "zh": "尺度差别很大的列"})
def different_scales(ctx):
    # More rows than columns, and scales that differ by orders of magnitude: a
    # row-wise (axis=1) or whole-matrix standardisation gives different values here.
    n = int(ctx.rng.integers(5, 12))
    X = ctx.rng.normal(size=(n, 3)) * np.array([0.01, 1.0, 1000.0]) + np.array([5.0, -3.0, 20000.0])
    expect_array(
        "standardize(X)",
        ctx.learner.standardize(X),
        ctx.reference.standardize(X),
        rtol=1e-6,
        atol=1e-9,
    )


@check(points=1, title={"en": "A column with zero standard deviation", "zh": "标准差为 0 的列"})
def constant_column(ctx):
    X = ctx.rng.normal(size=(int(ctx.rng.integers(6, 20)), 4))
    X[:, 1] = ctx.rng.uniform(-10, 10)  # one constant column: it must become zeros, not NaN
    expect_array(
        "standardize(X)",
        ctx.learner.standardize(X),
        ctx.reference.standardize(X),
        rtol=1e-6,
        atol=1e-9,
    )


@check(points=1, title={"en": "A single row", "zh": "只有一行"})
def single_row(ctx):
    X = ctx.rng.normal(size=(1, int(ctx.rng.integers(2, 6))))  # every column is constant
    expect_array(
        "standardize(X) for one row", ctx.learner.standardize(X), np.zeros_like(X), atol=1e-12
    )


@check(points=1, title={"en": "Integer input", "zh": "整数输入"})
def integer_input(ctx):
    X = ctx.rng.integers(-20, 20, size=(int(ctx.rng.integers(5, 15)), 3))
    got = ctx.learner.standardize(X)
    expect_array(
        "standardize(X) for an integer X",
        got,
        ctx.reference.standardize(X),
        rtol=1e-6,
        atol=1e-9,
        dtype_kind="f",
    )
