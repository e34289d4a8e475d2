"""Hidden checks for deep/cnn/conv2d: the learner's NumPy conv2d against torch.nn.functional.conv2d.

Every input is drawn from ctx.rng. Before comparing values, a result that matches a known
mistake (flipped kernel, one-sided padding, missing or misplaced bias, wrong output size)
is named.
"""

import numpy as np

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _torch_conv(x, w, b, stride, padding):
    import torch
    import torch.nn.functional as F

    out = F.conv2d(
        torch.from_numpy(x),
        torch.from_numpy(w),
        torch.from_numpy(b),
        stride=stride,
        padding=padding,
    )
    return out.numpy()


def _one_side(x, padding):
    """x padded with 2 * padding zeros at the bottom and right only (and with padding only)."""
    both = np.pad(x, ((0, 0), (0, 0), (0, 2 * padding), (0, 2 * padding)))
    once = np.pad(x, ((0, 0), (0, 0), (padding, 0), (padding, 0)))
    return both, once


def _as_float_array(got):
    if (
        isinstance(got, RemoteObject)
        or not isinstance(got, np.ndarray)
        or got.dtype.kind not in "biuf"
    ):
        return None
    return got.astype(np.float64)


def _diagnose(got, x, w, b, stride, padding):
    """Name a known mistake when the learner's result equals it; otherwise return quietly."""
    g = _as_float_array(got)
    if g is None:
        return
    want = _torch_conv(x, w, b, stride, padding)
    n, _, h, wd = x.shape
    c_out, _, kh, kw = w.shape

    def same(candidate):
        return candidate.shape == g.shape and np.allclose(g, candidate, rtol=1e-6, atol=1e-8)

    if same(want):
        return
    if same(_torch_conv(x, w[:, :, ::-1, ::-1].copy(), b, stride, padding)):
        _fail(
            "Your kernel is flipped: you computed the mathematical convolution (w[o, c, kH-1-u, kW-1-v]). Deep-learning libraries compute cross-correlation: out[n, o, i, j] = sum x[n, c, i*stride + u, j*stride + v] * w[o, c, u, v], with u and v running forwards.",
            "你的卷积核被翻转了：你计算的是数学意义上的卷积（w[o, c, kH-1-u, kW-1-v]）。深度学习框架计算的是互相关：out[n, o, i, j] = sum x[n, c, i*stride + u, j*stride + v] * w[o, c, u, v]，u 和 v 正向遍历。",
        )
    if same(want - b[None, :, None, None]):
        _fail(
            "The bias is missing: every value is off by b[o] of its output channel. Add b[None, :, None, None] to the result.",
            "缺少偏置：每个值都与正确值相差其输出通道的 b[o]。请给结果加上 b[None, :, None, None]。",
        )
    # out + b with b of shape (C_out,) broadcasts over the LAST axis (columns)
    if (
        g.shape == want.shape
        and want.shape[3] == c_out
        and same(want - b[None, :, None, None] + b[None, None, None, :])
    ):
        _fail(
            "The bias is added along the columns (the last axis) instead of along the output channels: out + b broadcasts b over the LAST axis. Add b[None, :, None, None], so that channel o gets b[o] at every position.",
            "偏置被加在了列（最后一个轴）上，而不是输出通道上：out + b 会把 b 沿最后一个轴广播。请加 b[None, :, None, None]，使通道 o 在每个位置都加上 b[o]。",
        )
    if stride > 1 and g.shape == want.shape:
        slid_by_one = _torch_conv(x, w, b, 1, padding)[:, :, : want.shape[2], : want.shape[3]]
        if same(slid_by_one):
            _fail(
                f"The output size is right, but your windows move by 1 pixel instead of by the stride ({stride}): the window of output (i, j) starts at row i * stride and column j * stride of the padded input.",
                f"输出尺寸是对的，但你的窗口每次只移动 1 个像素，而不是步幅（{stride}）：输出 (i, j) 的窗口从补零后输入的第 i * stride 行、第 j * stride 列开始。",
            )
    if padding > 0:
        both, once = _one_side(x, padding)
        for padded in (both, once):
            if same(_torch_conv(padded, w, b, stride, 0)):
                _fail(
                    f"You padded on one side only (zeros at the bottom/right or at the top/left alone). padding={padding} means {padding} row(s) of zeros on top AND at the bottom, and {padding} column(s) on the left AND on the right: np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))).",
                    f"你只在一侧补了零（只在下方/右侧，或只在上方/左侧）。padding={padding} 表示上下各补 {padding} 行零、左右各补 {padding} 列零：np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))。",
                )
    if g.ndim == 4 and g.shape[:2] == want.shape[:2] and g.shape[2:] != want.shape[2:]:
        _fail(
            f"Output shape {g.shape}, expected {want.shape} for H, W = {h}, {wd}, kernel {kh}x{kw}, stride {stride}, padding {padding}. The output size is (H + 2*padding - kH) // stride + 1: floor division (a window that does not fit is dropped), plus 1 for the first window.",
            f"输出形状为 {g.shape}，而对于 H, W = {h}, {wd}、卷积核 {kh}x{kw}、步幅 {stride}、填充 {padding}，期望为 {want.shape}。输出尺寸是 (H + 2*padding - kH) // stride + 1：向下取整（放不下的窗口被丢掉），再加上第一个窗口的 1。",
        )


def _run(ctx, x, w, b, stride, padding):
    call = f"conv2d(x {x.shape}, w {w.shape}, b, stride={stride}, padding={padding})"
    got = ctx.learner.conv2d(x, w, b, stride=stride, padding=padding)
    _diagnose(got, x, w, b, stride, padding)
    expect_array(call, got, _torch_conv(x, w, b, stride, padding), rtol=1e-6, atol=1e-8)


@check(
    points=1,
    title={
        "en": "One channel, an asymmetric kernel, no padding",
        "zh": "单通道、非对称卷积核、不填充",
    },
)
def single_channel(ctx):
    x = ctx.rng.integers(-3, 4, size=(1, 1, 5, 6)).astype(np.float64)
    w = ctx.rng.integers(-2, 3, size=(1, 1, 3, 3)).astype(np.float64)
    w[0, 0, 0, 0], w[0, 0, 2, 2] = 3.0, -3.0  # asymmetric: a flipped kernel gives other numbers
    b = np.array([float(ctx.rng.integers(1, 5))])
    _run(ctx, x, w, b, 1, 0)


@check(
    points=2,
    title={
        "en": "Several input and output channels, a non-square kernel",
        "zh": "多个输入和输出通道、非正方形卷积核",
    },
)
def multi_channel(ctx):
    n, c_in, c_out = (
        int(ctx.rng.integers(2, 4)),
        int(ctx.rng.integers(2, 4)),
        int(ctx.rng.integers(2, 5)),
    )
    kh, kw = 2, 3
    h = int(ctx.rng.integers(6, 10))
    x = ctx.rng.normal(
        size=(n, c_in, h, c_out + kw - 1)
    )  # W_out = C_out: a misplaced bias still broadcasts
    w = ctx.rng.normal(size=(c_out, c_in, kh, kw))
    b = ctx.rng.normal(size=c_out) + 2.0
    _run(ctx, x, w, b, 1, 0)


@check(points=2, title={"en": "Padding", "zh": "填充"})
def with_padding(ctx):
    padding = int(ctx.rng.integers(1, 3))
    x = ctx.rng.normal(size=(2, 2, int(ctx.rng.integers(5, 8)), int(ctx.rng.integers(5, 8))))
    w = ctx.rng.normal(size=(3, 2, 3, 3))
    b = ctx.rng.normal(size=3)
    _run(ctx, x, w, b, 1, padding)


@check(
    points=2,
    title={"en": "Stride > 1 with sizes it does not divide", "zh": "步幅大于 1 且尺寸不能被整除"},
)
def with_stride(ctx):
    stride = int(ctx.rng.integers(2, 4))
    padding = int(ctx.rng.integers(0, 2))
    kh, kw = 3, 2
    # H + 2p - kH is not a multiple of the stride: the last partial window must be dropped
    h = stride * int(ctx.rng.integers(2, 4)) + kh - 2 * padding + 1
    wd = stride * int(ctx.rng.integers(2, 4)) + kw - 2 * padding + stride - 1
    x = ctx.rng.normal(size=(2, 3, h, wd))
    w = ctx.rng.normal(size=(4, 3, kh, kw))
    b = ctx.rng.normal(size=4)
    _run(ctx, x, w, b, stride, padding)


@check(points=1, title={"en": "Random shapes, strides and paddings", "zh": "随机形状、步幅和填充"})
def random_shapes(ctx):
    for _ in range(4):
        kh, kw = int(ctx.rng.integers(1, 5)), int(ctx.rng.integers(1, 5))
        stride, padding = int(ctx.rng.integers(1, 4)), int(ctx.rng.integers(0, 3))
        h = int(ctx.rng.integers(kh, kh + 7))
        wd = int(ctx.rng.integers(kw, kw + 7))
        c_in, c_out = int(ctx.rng.integers(1, 4)), int(ctx.rng.integers(1, 4))
        x = ctx.rng.normal(size=(int(ctx.rng.integers(1, 3)), c_in, h, wd))
        w = ctx.rng.normal(size=(c_out, c_in, kh, kw))
        b = ctx.rng.normal(size=c_out)
        _run(ctx, x, w, b, stride, padding)
