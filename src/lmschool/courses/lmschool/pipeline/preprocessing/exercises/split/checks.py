"""Checks for split_and_scale: the split itself, X and y kept together, and no test-data
leakage into the scaler's statistics (diagnosed by name when it happens)."""

import math

import numpy as np

from lmschool.grading.checks import check, expect, expect_array, expect_equal, expect_raises, fail
from lmschool.grading.proxy import RemoteObject


def _problem(rng, n_min=30, n_max=70):
    """X (N, D) on different scales and unique float targets y, so rows can be traced.

    N and test_size are drawn so that test_size * N is not a whole number and its
    fractional part is below one half: ceil, round and floor then all disagree.
    """
    while True:
        test_size = float(rng.choice([0.2, 0.25, 0.3]))
        n = int(rng.integers(n_min, n_max))
        frac = test_size * n - math.floor(test_size * n)
        if 0.05 < frac < 0.45:
            break
    d = int(rng.integers(2, 5))
    X = rng.normal(rng.uniform(-20, 20, size=d), rng.uniform(0.5, 10, size=d), size=(n, d))
    X[:, 0] += np.linspace(0, 15, n)  # a drift along the rows: unshuffled splits differ a lot
    y = np.round(rng.permutation(n) + rng.uniform(0, 0.5, size=n), 4)
    return X, y, test_size, int(rng.integers(0, 10_000))


def _parts(got):
    """The learner's (X_train, X_test, y_train, y_test) as arrays, or a failure."""
    if isinstance(got, RemoteObject) or not isinstance(got, list | tuple) or len(got) != 4:
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        fail(
            {
                "en": f"split_and_scale must return a tuple (X_train, X_test, y_train, y_test), got {kind}"
                + (f" of length {len(got)}" if isinstance(got, list | tuple) else "")
                + ".",
                "zh": f"split_and_scale 必须返回元组 (X_train, X_test, y_train, y_test)，得到的是 {kind}"
                + (f"（长度为 {len(got)}）" if isinstance(got, list | tuple) else "")
                + "。",
            }
        )
    names = ("X_train", "X_test", "y_train", "y_test")
    out = []
    for name, value in zip(names, got, strict=True):
        if isinstance(value, RemoteObject) or value is None:
            kind = value.type_name if isinstance(value, RemoteObject) else "None"
            fail(
                {
                    "en": f"{name} must be a NumPy array, got {kind}.",
                    "zh": f"{name} 必须是 NumPy 数组，得到的是 {kind}。",
                }
            )
        try:
            out.append(np.asarray(value, dtype=np.float64))
        except (TypeError, ValueError):
            fail({"en": f"{name} must hold numbers.", "zh": f"{name} 必须由数字组成。"})
    return out


def _sizes(parts, X, test_size):
    X_train, X_test, y_train, y_test = parts
    n, d = X.shape
    n_test = math.ceil(test_size * n)
    if X_test.shape[:1] != (n_test,) or y_test.shape != (n_test,):
        fail(
            {
                "en": f"With N = {n} rows and test_size = {test_size}, the test set must have "
                f"ceil(test_size * N) = ceil({test_size * n:.2f}) = {n_test} rows; you returned "
                f"X_test of shape {X_test.shape} and y_test of shape {y_test.shape}.",
                "zh": f"N = {n} 行、test_size = {test_size} 时，测试集必须有 ceil(test_size * N) = "
                f"ceil({test_size * n:.2f}) = {n_test} 行；你返回的 X_test 形状为 {X_test.shape}，"
                f"y_test 形状为 {y_test.shape}。",
            }
        )
    expect_equal("X_train.shape", tuple(X_train.shape), (n - n_test, d))
    expect_equal("X_test.shape", tuple(X_test.shape), (n_test, d))
    expect_equal("y_train.shape", tuple(y_train.shape), (n - n_test,))


def _row_indices(values, y):
    """Where each value of a learner's y part sits in y (unique targets), or None."""
    where = {float(v): i for i, v in enumerate(y)}
    idx = [where.get(float(v)) for v in values]
    return None if any(i is None for i in idx) else np.array(idx)


def _standardised(X, rows, ddof=0):
    mean, std = X[rows].mean(axis=0), X[rows].std(axis=0, ddof=ddof)
    return lambda part: (part - mean) / np.where(std == 0, 1.0, std)


@check(points=1, title={"en": "Sizes of the four parts", "zh": "四个部分的大小"})
def sizes(ctx):
    X, y, test_size, seed = _problem(ctx.rng)
    parts = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed))
    _sizes(parts, X, test_size)


@check(
    points=2,
    title={"en": "The rows of the split: shuffled with the seed", "zh": "划分出的行：用种子打乱"},
)
def shuffled_rows(ctx):
    X, y, test_size, seed = _problem(ctx.rng)
    parts = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed))
    _sizes(parts, X, test_size)
    n, n_test = len(y), math.ceil(test_size * len(y))
    order = np.random.default_rng(seed).permutation(n)
    got_train, got_test = _row_indices(parts[2], y), _row_indices(parts[3], y)
    if got_train is None or got_test is None:
        fail(
            {
                "en": "y_train and y_test must hold values of y (the targets of the rows you picked), "
                "unchanged: do not scale y.",
                "zh": "y_train 和 y_test 必须是 y 中的原值（所选行的目标值），不要对 y 做缩放。",
            }
        )
    if sorted(np.concatenate([got_train, got_test]).tolist()) != list(range(n)):
        fail(
            {
                "en": "Every row must be in exactly one part: some rows are missing or appear twice.",
                "zh": "每一行必须恰好属于一个部分：有的行缺失了，或出现了两次。",
            }
        )
    if np.array_equal(got_test, np.arange(n_test)) or np.array_equal(
        got_test, np.arange(n - n_test, n)
    ):
        fail(
            {
                "en": "Your test set is the first or last rows of X, in their original order: the data "
                "was not shuffled. Rows are often sorted (by date, by class), so an unshuffled split "
                "tests on data unlike the training data. Shuffle with "
                "np.random.default_rng(seed).permutation(N).",
                "zh": "你的测试集是 X 的最前面或最后面的若干行，且保持原有顺序：数据没有打乱。数据常常是排好序的"
                "（按日期、按类别），不打乱就划分，测试数据会和训练数据很不一样。请用 "
                "np.random.default_rng(seed).permutation(N) 打乱。",
            }
        )
    if np.array_equal(got_test, order[n - n_test :]):
        fail(
            {
                "en": "Your test rows are the last indices of the permutation; the first "
                f"ceil(test_size * N) = {n_test} indices of order are the test rows.",
                "zh": f"你的测试行取的是排列中最后的那些下标；应该取 order 的前 ceil(test_size * N) = {n_test} 个下标作为测试行。",
            }
        )
    if not (np.array_equal(got_test, order[:n_test]) and np.array_equal(got_train, order[n_test:])):
        fail(
            {
                "en": "The rows are shuffled, but not the way the exercise asks, so your split cannot be "
                "reproduced: use order = np.random.default_rng(seed).permutation(N), test rows "
                "order[:n_test], training rows order[n_test:], in that order.",
                "zh": "行已经打乱，但打乱方式与题目要求不同，因此无法复现你的划分：请使用 "
                "order = np.random.default_rng(seed).permutation(N)，测试行为 order[:n_test]，"
                "训练行为 order[n_test:]，并保持这个顺序。",
            }
        )


def _misaligned(parts, X, y):
    """The first part ("X_train" or "X_test") whose rows do not belong to its targets, or None."""
    X_train, X_test, y_train, y_test = parts
    for name, Xp, yp in (("X_train", X_train, y_train), ("X_test", X_test, y_test)):
        rows = _row_indices(yp, y)
        if rows is None:
            continue  # the check on the rows says what is wrong with y
        # Standardising is affine per column: aligned rows fit a straight line exactly.
        for j in range(X.shape[1]):
            A = np.column_stack([X[rows, j], np.ones(len(rows))])
            coef, *_ = np.linalg.lstsq(A, Xp[:, j], rcond=None)
            if not np.allclose(A @ coef, Xp[:, j], rtol=1e-6, atol=1e-6):
                return name
    return None


def _fail_misaligned(name):
    fail(
        {
            "en": f"Row i of {name} is not the row whose target is row i of y_{name[2:]}: X and y were "
            "shuffled differently. Index both with the same array of row indices.",
            "zh": f"{name} 的第 i 行并不是目标值为 y_{name[2:]} 第 i 个值的那一行：X 和 y 的打乱方式不同。"
            "请用同一个行下标数组去索引二者。",
        }
    )


@check(points=1, title={"en": "X and y stay together", "zh": "X 和 y 保持对应"})
def rows_stay_together(ctx):
    X, y, test_size, seed = _problem(ctx.rng)
    parts = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed))
    _sizes(parts, X, test_size)
    name = _misaligned(parts, X, y)
    if name is not None:
        _fail_misaligned(name)


def _judge_scaling(parts, X, y, test_size, seed):
    """X_train and X_test must be standardised with the statistics of the training rows.

    The rows are those the learner picked (traced through y), so that this judges the
    scaling alone; a wrong split is reported by the check on the rows.
    """
    X_train, X_test = parts[0], parts[1]
    train, test = _row_indices(parts[2], y), _row_indices(parts[3], y)
    if train is None or test is None:
        order = np.random.default_rng(seed).permutation(len(y))
        n_test = math.ceil(test_size * len(y))
        test, train = order[:n_test], order[n_test:]

    def matches(fn_train, fn_test):
        return np.allclose(X_train, fn_train(X[train]), rtol=1e-6, atol=1e-9) and np.allclose(
            X_test, fn_test(X[test]), rtol=1e-6, atol=1e-9
        )

    right = _standardised(X, train)
    if matches(right, right):
        return
    name = _misaligned(parts, X, y)
    if name is not None:
        _fail_misaligned(name)
    everything = _standardised(X, np.arange(len(y)))
    if matches(everything, everything):
        fail(
            {
                "en": "Your scaler's mean and standard deviation are those of ALL the data (train + "
                "test). That leaks the test set into training: the model would be tuned with "
                "information it must not see. Split first, then compute the statistics on the "
                "training rows only and use them for both parts.",
                "zh": "你的 scaler 用的均值和标准差来自全部数据（训练 + 测试）。这会把测试集的信息泄露到训练中："
                "模型会用到它本不该看到的信息。先划分，再只用训练行计算统计量，并把它们同时用于两个部分。",
            }
        )
    if matches(right, _standardised(X, test)):
        fail(
            {
                "en": "X_test was standardised with its own mean and standard deviation. Use the "
                "training statistics for the test rows too: the test set must go through exactly the "
                "transformation the model was trained with.",
                "zh": "X_test 是用它自己的均值和标准差标准化的。测试行也要使用训练集的统计量："
                "测试集必须经过与训练时完全相同的变换。",
            }
        )
    sample = _standardised(X, train, ddof=1)
    if matches(sample, sample):
        fail(
            {
                "en": "You divided by the sample standard deviation (ddof=1). Standardising uses the "
                "population standard deviation of the training rows: np.std(..., axis=0) with its "
                "default ddof=0.",
                "zh": "你除以的是样本标准差（ddof=1）。标准化使用训练行的总体标准差："
                "np.std(..., axis=0)，默认 ddof=0。",
            }
        )
    if matches(lambda part: part, lambda part: part):
        fail(
            {
                "en": "X_train and X_test are not standardised: subtract the training mean and divide "
                "by the training standard deviation.",
                "zh": "X_train 和 X_test 没有标准化：请减去训练集的均值并除以训练集的标准差。",
            }
        )
    expect_array("X_train", X_train, right(X[train]), rtol=1e-6, atol=1e-9)
    expect_array("X_test", X_test, right(X[test]), rtol=1e-6, atol=1e-9)


@check(
    points=3,
    title={"en": "The scaler is fitted on the training rows only", "zh": "scaler 只在训练行上拟合"},
)
def no_leakage(ctx):
    X, y, test_size, seed = _problem(ctx.rng)
    parts = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed))
    _sizes(parts, X, test_size)
    _judge_scaling(parts, X, y, test_size, seed)


@check(
    points=1, title={"en": "The same seed gives the same split", "zh": "相同的种子得到相同的划分"}
)
def reproducible(ctx):
    X, _, test_size, seed = _problem(ctx.rng)
    y = ctx.rng.integers(0, 3, size=len(X))  # class labels this time
    first = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed))
    again = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed))
    other = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed + 1))
    expect(
        all(np.array_equal(a, b) for a, b in zip(first, again, strict=True)),
        {
            "en": "Two calls with the same seed gave different splits. Draw the permutation from "
            "np.random.default_rng(seed), not from the global np.random functions.",
            "zh": "使用相同种子的两次调用得到了不同的划分。请用 np.random.default_rng(seed) 生成排列，"
            "而不要用全局的 np.random 函数。",
        },
    )
    expect(
        not np.array_equal(first[1], other[1]),
        {
            "en": "seed and seed + 1 gave the same split: the seed must choose the permutation.",
            "zh": "seed 和 seed + 1 得到了相同的划分：排列必须由种子决定。",
        },
    )
    want = ctx.reference.split_and_scale(X, y, test_size=test_size, seed=seed)
    expect_array("y_test", first[3], want[3])
    # y is returned unchanged: class labels stay integers (not turned into floats).
    got = ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed)
    if isinstance(got, list | tuple) and len(got) == 4:
        for name, part in (("y_train", got[2]), ("y_test", got[3])):
            if isinstance(part, np.ndarray) and part.dtype.kind not in "iu":
                fail(
                    {
                        "en": f"With integer class labels y, {name} has dtype {part.dtype}: the parts "
                        "of y must come back unchanged, as values of y itself (index y, do not "
                        "convert it to float).",
                        "zh": f"y 是整数类别标签时，{name} 的 dtype 却是 {part.dtype}：y 的两个部分必须原样返回，"
                        "即 y 自身的值（对 y 做索引，不要把它转换成浮点数）。",
                    }
                )


@check(
    points=1,
    title={
        "en": "The defaults test_size=0.25 and seed=0, and positional arguments",
        "zh": "默认值 test_size=0.25、seed=0，以及按位置传参",
    },
)
def defaults(ctx):
    X, y, test_size, seed = _problem(ctx.rng)
    n = len(y)
    while math.ceil(0.25 * n) == math.floor(0.25 * n) or 0.25 * n % 1 > 0.5:
        X, y = X[:-1], y[:-1]  # a size where ceil, round and floor of 0.25 * N disagree
        n -= 1
    names = ("X_train", "X_test", "y_train", "y_test")
    got = _parts(ctx.learner.split_and_scale(X, y))
    want = ctx.reference.split_and_scale(X, y, 0.25, 0)
    for name, g, w in zip(names, got, want, strict=True):
        expect_array(f"{name} of split_and_scale(X, y) (defaults test_size=0.25, seed=0)", g, w)
    got = _parts(ctx.learner.split_and_scale(X, y, test_size, seed))
    want = ctx.reference.split_and_scale(X, y, test_size, seed)
    for name, g, w in zip(names, got, want, strict=True):
        expect_array(
            f"{name} of split_and_scale(X, y, {test_size}, {seed}) (arguments by position)", g, w
        )


@check(points=1, title={"en": "A constant column", "zh": "取值恒定的列"})
def constant_column(ctx):
    X, y, test_size, seed = _problem(ctx.rng)
    j = int(ctx.rng.integers(X.shape[1]))
    # A value whose mean over the rows is exact, so that its standard deviation is exactly 0.
    X[:, j] = float(ctx.rng.integers(-40, 40)) / 4
    parts = _parts(ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed))
    _sizes(parts, X, test_size)
    if not (np.isfinite(parts[0]).all() and np.isfinite(parts[1]).all()):
        fail(
            {
                "en": f"Column {j} is constant and became NaN: replace a standard deviation of 0 by 1.",
                "zh": f"第 {j} 列是常数，结果变成了 NaN：把为 0 的标准差替换为 1。",
            }
        )
    _judge_scaling(parts, X, y, test_size, seed)


@check(
    points=1,
    title={
        "en": "test_size outside (0, 1) raises ValueError",
        "zh": "test_size 不在 (0, 1) 内时抛出 ValueError",
    },
)
def bad_test_size(ctx):
    X, y, _, seed = _problem(ctx.rng)
    for test_size in (
        0.0,
        1.0,
        float(ctx.rng.uniform(1.1, 3.0)),
        -float(ctx.rng.uniform(0.1, 0.9)),
    ):
        with expect_raises(f"split_and_scale(X, y, test_size={test_size:g})", "ValueError"):
            ctx.learner.split_and_scale(X, y, test_size=test_size, seed=seed)
