"""Hidden checks for deep/cnn/max-pool: the learner's max_pool2d against torch.nn.functional.max_pool2d."""

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


def _torch_pool(x, k, stride, reduce="max"):
    import torch
    import torch.nn.functional as F

    t = torch.from_numpy(x)
    if reduce == "avg":
        return F.avg_pool2d(t, k, stride).numpy()
    return F.max_pool2d(t, k, stride).numpy()


def _diagnose(got, x, k, stride):
    if (
        isinstance(got, RemoteObject)
        or not isinstance(got, np.ndarray)
        or got.dtype.kind not in "biuf"
    ):
        return
    g = got.astype(np.float64)
    want = _torch_pool(x, k, stride)
    s = k if stride is None else stride

    def same(candidate):
        return candidate.shape == g.shape and np.allclose(g, candidate, rtol=1e-6, atol=1e-9)

    if same(want):
        return
    if same(_torch_pool(x, k, stride, "avg")):
        _fail(
            "You averaged each window: that is average pooling. Max pooling keeps the largest value of each window.",
            "你对每个窗口求了平均值：那是平均汇聚。最大汇聚保留每个窗口中的最大值。",
        )
    if s != 1 and same(_torch_pool(x, k, 1)):
        _fail(
            f"Your windows start at every pixel (stride 1) instead of every {s} pixels. With stride=None the stride equals kernel_size ({k}); an explicit stride must be used both in the output size and in the window positions.",
            f"你的窗口在每个像素都开始一个（步幅 1），而不是每隔 {s} 个像素。stride=None 时步幅等于 kernel_size（{k}）；显式给出的步幅必须同时用于输出尺寸和窗口位置。",
        )
    if same(np.maximum(want, 0.0)):
        _fail(
            "Windows whose values are all negative give 0 instead of their maximum: you started the running maximum at 0 (np.zeros). Start at -np.inf, or take the window's .max().",
            "值全为负数的窗口得到了 0，而不是它们的最大值：你的累计最大值从 0（np.zeros）开始。请从 -np.inf 开始，或直接对窗口取 .max()。",
        )
    h, w = x.shape[2:]
    if g.ndim == 4 and g.shape[:2] == want.shape[:2] and g.shape[2:] != want.shape[2:]:
        _fail(
            f"Output shape {g.shape}, expected {want.shape} for H, W = {h}, {w}, kernel {k}, stride {s}. The output size is (H - kernel_size) // stride + 1: a last window that does not fit is dropped (PyTorch's default, ceil_mode=False).",
            f"输出形状为 {g.shape}，而对于 H, W = {h}, {w}、窗口 {k}、步幅 {s}，期望为 {want.shape}。输出尺寸是 (H - kernel_size) // stride + 1：放不下的最后一个窗口被丢掉（PyTorch 的默认行为，ceil_mode=False）。",
        )
    if g.ndim == 3 and g.shape[0] == x.shape[0]:
        _fail(
            f"Output shape {g.shape}: you took the maximum over the channels too. Pool every channel on its own; the result keeps the shape (N, C, H_out, W_out).",
            f"输出形状为 {g.shape}：你把通道也一起取了最大值。每个通道应各自单独汇聚；结果的形状是 (N, C, H_out, W_out)。",
        )


def _run(ctx, x, k, stride):
    if stride is None:
        call = f"max_pool2d(x {x.shape}, {k})"
        got = ctx.learner.max_pool2d(x, k)
    else:
        call = f"max_pool2d(x {x.shape}, {k}, stride={stride})"
        got = ctx.learner.max_pool2d(x, k, stride=stride)
    _diagnose(got, x, k, stride)
    expect_array(call, got, _torch_pool(x, k, stride), rtol=1e-6, atol=1e-9)


@check(
    points=1,
    title={
        "en": "Default stride: non-overlapping 2x2 windows",
        "zh": "默认步幅：互不重叠的 2x2 窗口",
    },
)
def default_stride(ctx):
    x = ctx.rng.normal(size=(2, 3, 6, 8))
    _run(ctx, x, 2, None)


@check(
    points=2,
    title={
        "en": "Overlapping windows, stride 1 included, and sizes the stride does not divide",
        "zh": "相互重叠的窗口（包括步幅为 1）以及步幅不能整除的尺寸",
    },
)
def overlapping(ctx):
    k = 3
    stride = 2
    x = ctx.rng.normal(
        size=(2, 2, 2 * int(ctx.rng.integers(3, 5)) + 2, 2 * int(ctx.rng.integers(3, 5)) + 2)
    )
    _run(ctx, x, k, stride)
    _run(ctx, x, 2, 1)  # every position: windows overlap by all but one row and column


@check(
    points=1,
    title={
        "en": "Default stride with a size the kernel does not divide",
        "zh": "默认步幅，尺寸不能被窗口整除",
    },
)
def uneven(ctx):
    k = int(ctx.rng.integers(2, 4))
    x = ctx.rng.normal(size=(1, 2, k * 3 + 1, k * 2 + k - 1))
    _run(ctx, x, k, None)


@check(points=1, title={"en": "Negative inputs", "zh": "负数输入"})
def negative(ctx):
    x = -np.abs(ctx.rng.normal(size=(2, 2, 4, 4))) - 0.5
    _run(ctx, x, 2, None)
