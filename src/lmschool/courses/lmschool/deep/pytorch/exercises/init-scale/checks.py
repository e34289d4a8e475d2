"""Hidden checks for deep/pytorch/init-scale.

Statistics on large draws (>= 32k entries): the sample variance is within 4% of the
target (its relative standard error is under 0.8%), the mean within 4 standard errors
of 0, and about 4.6% of the entries lie beyond two standard deviations (a uniform
distribution has none). A variance that matches a plausible mistake names it.
"""

import math

import numpy as np

from lmschool.grading.checks import check, expect, expect_equal, expect_raises, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _tensor(got, shape, call):
    """The learner's tensor as a float64 array of the expected shape, or a failure."""
    if isinstance(got, RemoteObject):
        _fail(
            f"{call} must return a tensor, not a {got.type_name}.",
            f"{call} 必须返回张量，而不是 {got.type_name}。",
        )
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{call} must return a tensor of numbers.", f"{call} 必须返回由数字组成的张量。")
    if arr.shape != shape:
        if arr.shape == shape[::-1]:
            _fail(
                f"{call} returned shape {arr.shape}: transposed. nn.Linear(fan_in, fan_out).weight has shape (fan_out, fan_in) = {shape}: one row per output unit.",
                f"{call} 返回的形状为 {arr.shape}：转置了。nn.Linear(fan_in, fan_out).weight 的形状是 (fan_out, fan_in) = {shape}：每个输出单元一行。",
            )
        _fail(
            f"{call} returned shape {arr.shape}; expected {shape}.",
            f"{call} 返回的形状为 {arr.shape}；期望为 {shape}。",
        )
    if not np.all(np.isfinite(arr)):
        _fail(f"{call} returned NaN or inf values.", f"{call} 返回了 NaN 或 inf。")
    return arr


def _check_stats(arr, fan_in, fan_out, scheme, call):
    target = 2.0 / fan_in if scheme == "he" else 2.0 / (fan_in + fan_out)
    mean, var = float(arr.mean()), float(arr.var())
    if abs(mean) > 4 * math.sqrt(target / arr.size) + 1e-12:
        _fail(
            f"{call}: the entries have mean {mean:.4g}; it should be 0 (up to sampling noise). A uniform draw on [0, a) is not centred: use torch.randn, or shift a uniform draw to [-a, a).",
            f"{call}：元素的均值为 {mean:.4g}；它应当为 0（允许抽样误差）。[0, a) 上的均匀分布不是以 0 为中心的：请使用 torch.randn，或把均匀分布平移到 [-a, a)。",
        )
    ratio = var / target
    if abs(ratio - 1) > 0.04:
        alternatives = [
            (
                2.0 / fan_out,
                "he",
                "2 / fan_out: the wrong fan. He initialisation divides by fan_in, the number of inputs each unit sums over.",
                "2 / fan_out：用错了 fan。He 初始化除以 fan_in，即每个单元求和的输入个数。",
            ),
            (
                1.0 / fan_in,
                "any",
                "1 / fan_in: that is LeCun initialisation (or a missing factor 2). The factor 2 compensates for ReLU zeroing half of the inputs.",
                "1 / fan_in：这是 LeCun 初始化（或漏了因子 2）。因子 2 用来补偿 ReLU 把一半输入置零。",
            ),
            (
                2.0 / fan_in,
                "xavier",
                "2 / fan_in: that is He initialisation. Xavier divides by the average of the two fans: 2 / (fan_in + fan_out).",
                "2 / fan_in：这是 He 初始化。Xavier 除以两个 fan 的平均值：2 / (fan_in + fan_out)。",
            ),
            (
                target**2,
                "any",
                "the square of the target: you passed the VARIANCE where a standard deviation is expected. Multiply by math.sqrt(variance).",
                "目标值的平方：你把**方差**当成了标准差。请乘以 math.sqrt(variance)。",
            ),
            (
                target / 3,
                "any",
                "a third of the target: a uniform distribution on [-s, s] with s equal to the standard deviation has variance s²/3. Draw from a normal distribution with torch.randn.",
                "目标值的三分之一：区间 [-s, s] 上的均匀分布（s 等于标准差）方差为 s²/3。请用 torch.randn 从正态分布抽样。",
            ),
            (
                1.0,
                "any",
                "1: the standard normal, never scaled. Multiply by the standard deviation.",
                "1：标准正态分布，从未缩放。请乘以标准差。",
            ),
        ]
        for value, where, en, zh in alternatives:
            if where in ("any", scheme) and value != target and abs(var / value - 1) < 0.04:
                _fail(
                    f"{call}: the variance of the entries is {var:.4g}, but {scheme} needs {target:.4g}. It matches {en}",
                    f"{call}：元素的方差为 {var:.4g}，而 {scheme} 需要 {target:.4g}。它对应于 {zh}",
                )
        _fail(
            f"{call}: the variance of the entries is {var:.4g}; {scheme} initialisation needs {target:.4g} (within 4%).",
            f"{call}：元素的方差为 {var:.4g}；{scheme} 初始化需要 {target:.4g}（误差 4% 以内）。",
        )
    beyond = float(np.mean(np.abs(arr - mean) > 2 * math.sqrt(var)))
    if not 0.035 < beyond < 0.058:
        _fail(
            f"{call}: {beyond:.2%} of the entries lie beyond two standard deviations; a normal distribution has 4.55%. {'None at all means a UNIFORM distribution (torch.rand): use torch.randn.' if beyond < 0.005 else ''}",
            f"{call}：有 {beyond:.2%} 的元素落在两个标准差之外；正态分布应为 4.55%。{'一个都没有说明这是**均匀**分布（torch.rand）：请使用 torch.randn。' if beyond < 0.005 else ''}",
        )


def _fans(rng):
    fan_in = int(rng.choice([256, 300, 384, 512, 640]))
    fan_out = int(rng.choice([128, 160, 200, 240]))
    return fan_in, fan_out


@check(
    points=2,
    title={
        "en": "He initialisation: shape, mean, variance, normal shape",
        "zh": "He 初始化：形状、均值、方差、正态分布的形状",
    },
)
def he_statistics(ctx):
    fan_in, fan_out = _fans(ctx.rng)
    call = f"init_weights({fan_in}, {fan_out}, 'he', seed)"
    arr = _tensor(
        ctx.learner.init_weights(fan_in, fan_out, "he", int(ctx.rng.integers(10_000))),
        (fan_out, fan_in),
        call,
    )
    _check_stats(arr, fan_in, fan_out, "he", call)


@check(
    points=2,
    title={
        "en": "Xavier initialisation: shape, mean, variance, normal shape",
        "zh": "Xavier 初始化：形状、均值、方差、正态分布的形状",
    },
)
def xavier_statistics(ctx):
    fan_in, fan_out = _fans(ctx.rng)
    fan_in, fan_out = (
        fan_out,
        fan_in,
    )  # more outputs than inputs here: the two fans differ the other way
    call = f"init_weights({fan_in}, {fan_out}, 'xavier', seed)"
    arr = _tensor(
        ctx.learner.init_weights(fan_in, fan_out, "xavier", int(ctx.rng.integers(10_000))),
        (fan_out, fan_in),
        call,
    )
    _check_stats(arr, fan_in, fan_out, "xavier", call)


@check(
    points=1,
    title={
        "en": "The same seed gives the same weights, another seed other weights",
        "zh": "相同的种子给出相同的权重，不同的种子给出不同的权重",
    },
)
def seeding(ctx):
    fan_in, fan_out = int(ctx.rng.integers(5, 40)), int(ctx.rng.integers(5, 40))
    seed = int(ctx.rng.integers(10_000))
    call = f"init_weights({fan_in}, {fan_out}, 'he', {seed})"
    a = _tensor(ctx.learner.init_weights(fan_in, fan_out, "he", seed), (fan_out, fan_in), call)
    b = _tensor(ctx.learner.init_weights(fan_in, fan_out, "he", seed), (fan_out, fan_in), call)
    expect(
        np.array_equal(a, b),
        {
            "en": f"Two calls of {call} returned different weights: the seed is not used. Draw with torch.Generator().manual_seed(seed).",
            "zh": f"两次调用 {call} 返回了不同的权重：种子没有被使用。请用 torch.Generator().manual_seed(seed) 抽样。",
        },
    )
    c = _tensor(ctx.learner.init_weights(fan_in, fan_out, "he", seed + 1), (fan_out, fan_in), call)
    expect(
        not np.array_equal(a, c),
        {
            "en": "Seeds {seed} and {seed} + 1 gave identical weights: the seed must select the random stream.".replace(
                "{seed}", str(seed)
            ),
            "zh": "种子 {seed} 和 {seed} + 1 给出了相同的权重：种子必须决定随机序列。".replace(
                "{seed}", str(seed)
            ),
        },
    )


@check(
    points=1, title={"en": "Small layers and an unknown scheme", "zh": "很小的层，以及未知的方案"}
)
def edge_cases(ctx):
    arr = _tensor(
        ctx.learner.init_weights(1, 3, "he", int(ctx.rng.integers(100))),
        (3, 1),
        "init_weights(1, 3, 'he', seed)",
    )
    expect_equal("init_weights(1, 3, 'he', seed).shape", arr.shape, (3, 1))
    with expect_raises("init_weights(4, 4, 'orthogonal', 0)", "ValueError"):
        ctx.learner.init_weights(4, 4, "orthogonal", 0)
