"""Hidden checks for deep/cnn/batch-norm: the learner's NumPy batch_norm against torch.nn.BatchNorm.

Every input is drawn from ctx.rng, with a different mean and scale per channel, so that
statistics over the wrong axes give other numbers. torch.nn.BatchNorm1d / BatchNorm2d, in
float64 with the same weights, running statistics, momentum and eps, give the expected
output and running statistics. A result that equals a known mistake (biased running
variance, batch statistics in evaluation mode, wrong axes, momentum the other way round,
eps outside the square root...) is named before the values are compared.
"""

import numpy as np
import torch

from lmschool.grading.checks import (
    as_array,
    as_tuple,
    check,
    expect_array,
    expect_inputs_unchanged,
    fail,
    matches,
    set_torch_parameters,
)

RTOL, ATOL = 1e-6, 1e-8
FIELDS = ("y", "running_mean", "running_var")


def _unpack(got):
    parts = as_tuple("batch_norm", got, FIELDS)
    return tuple(as_array(name, part) for name, part in zip(FIELDS, parts, strict=True))


def _torch_bn(x, gamma, beta, rm, rv, training, momentum, eps):
    """What nn.BatchNorm1d (2-D or 3-D x) or nn.BatchNorm2d (4-D x) returns and stores."""
    layer = torch.nn.BatchNorm2d if x.ndim == 4 else torch.nn.BatchNorm1d
    bn = layer(x.shape[1], momentum=momentum, eps=eps).double()
    set_torch_parameters(bn, weight=gamma, bias=beta, running_mean=rm, running_var=rv)
    bn.train(training)
    with torch.no_grad():
        y = bn(torch.from_numpy(x)).numpy()
    return y, bn.running_mean.numpy().copy(), bn.running_var.numpy().copy()


def _with_mistake(mistake, x, gamma, beta, rm, rv, training, momentum, eps):
    """The result of batch normalisation written with one known mistake."""
    c = x.shape[1]
    axes = (0,) + tuple(range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if mistake == "channels_last" and x.ndim > 2:
        flat = x.reshape(-1, c)  # (N, C, H, W) read as rows of C values: channels mixed
        y, m, v = _with_mistake(None, flat, gamma, beta, rm, rv, training, momentum, eps)
        return y.reshape(x.shape), m, v
    use_batch = training or mistake in ("eval_batch", "eval_batch_updates")
    mean, var = x.mean(axis=axes), x.var(axis=axes)
    n = x.size // c
    unbiased = var * n / (n - 1)
    if mistake == "unbiased_norm":
        var = unbiased
    m, v = rm.copy(), rv.copy()
    if training or mistake in ("eval_batch_updates", "eval_updates"):
        running = var if mistake == "biased_running" else unbiased
        if mistake == "momentum_swapped":
            m = momentum * rm + (1 - momentum) * mean
            v = momentum * rv + (1 - momentum) * running
        elif mistake != "not_updated":
            m = (1 - momentum) * rm + momentum * mean
            v = (1 - momentum) * rv + momentum * running
    mu, s2 = (mean, var) if use_batch else (rm, rv)
    scale = np.sqrt(s2) + eps if mistake == "eps_outside" else np.sqrt(s2 + eps)
    x_hat = (x - mu.reshape(shape)) / scale.reshape(shape)
    if mistake == "no_affine":
        return x_hat, m, v
    return gamma.reshape(shape) * x_hat + beta.reshape(shape), m, v


MESSAGES = {
    "biased_running": (
        "Your running_var is updated with the biased batch variance (divided by n). PyTorch normalises the batch with the biased variance, but updates running_var with the unbiased one: var * n / (n - 1), where n is the number of values per channel (N, or N*L, or N*H*W).",
        "你的 running_var 是用有偏的批量方差（除以 n）更新的。PyTorch 用有偏方差规范化这一批，但更新 running_var 时用的是无偏方差：var * n / (n - 1)，其中 n 是每个通道的取值个数（N、N*L 或 N*H*W）。",
    ),
    "unbiased_norm": (
        "You normalise the batch with the unbiased variance (divided by n - 1). In training mode the batch is normalised with the biased variance (divided by n, np.var's default); only the running_var update uses n / (n - 1).",
        "你用无偏方差（除以 n - 1）规范化这一批。训练模式下这一批是用有偏方差（除以 n，也就是 np.var 的默认做法）规范化的；只有更新 running_var 时才乘以 n / (n - 1)。",
    ),
    "eval_batch": (
        "In evaluation mode (training=False) you normalise with the statistics of the batch. Evaluation must use running_mean and running_var, so that a prediction does not depend on the other examples in the batch (and a batch of one example works).",
        "评估模式下（training=False）你用的是这一批的统计量。评估时必须用 running_mean 和 running_var，这样一个预测才不依赖于同一批中的其他样本（只有一个样本的批次也能用）。",
    ),
    "eval_batch_updates": (
        "training=False is ignored: in evaluation mode you normalise with the batch's statistics and update the running statistics. Evaluation uses running_mean and running_var and returns them unchanged.",
        "你忽略了 training=False：评估模式下你仍用这一批的统计量规范化，并且更新了滑动统计量。评估时应使用 running_mean 和 running_var，并原样返回它们。",
    ),
    "eval_updates": (
        "In evaluation mode (training=False) you normalise with the running statistics, which is right, but you also update them with the batch's statistics. Evaluation must return running_mean and running_var unchanged: only training batches move them.",
        "评估模式下（training=False）你用滑动统计量做规范化，这是对的，但你还用这一批的统计量更新了它们。评估时必须原样返回 running_mean 和 running_var：只有训练批次才会改变它们。",
    ),
    "no_affine": (
        "y is the normalised x_hat without the affine part: multiply by gamma and add beta, y = gamma * x_hat + beta, each reshaped per channel.",
        "y 是规范化后的 x_hat，少了仿射变换：要乘以 gamma 再加上 beta，即 y = gamma * x_hat + beta，两者都按通道变形。",
    ),
    "momentum_swapped": (
        "Your momentum works the other way round: PyTorch's convention is new = (1 - momentum) * old + momentum * batch_statistic, so momentum=0.1 moves the running statistics 10% of the way towards the batch.",
        "你的 momentum 用反了：PyTorch 的约定是 新值 = (1 - momentum) * 旧值 + momentum * 这一批的统计量，所以 momentum=0.1 让滑动统计量向这一批的统计量移动 10%。",
    ),
    "not_updated": (
        "In training mode the running statistics must be updated: return (1 - momentum) * running_mean + momentum * batch_mean, and the same for the variance (unbiased), not the old values.",
        "训练模式下必须更新滑动统计量：返回 (1 - momentum) * running_mean + momentum * 批量均值，方差也一样（用无偏方差），而不是原来的值。",
    ),
    "eps_outside": (
        "eps is added outside the square root: (x - mean) / (sqrt(var) + eps). PyTorch divides by sqrt(var + eps).",
        "eps 被加在了平方根外面：(x - mean) / (sqrt(var) + eps)。PyTorch 除以的是 sqrt(var + eps)。",
    ),
    "channels_last": (
        "Your statistics mix the channels: x.reshape(-1, C) does not put the channels in columns when x is (N, C, H, W) or (N, C, L), because the channel axis is axis 1, not the last one. Take the mean and variance over axes (0, 2, 3) (or (0, 2)), keeping axis 1.",
        "你的统计量把不同通道混在了一起：当 x 的形状为 (N, C, H, W) 或 (N, C, L) 时，x.reshape(-1, C) 并不会把各通道放到各列上，因为通道轴是第 1 轴，不是最后一轴。请在轴 (0, 2, 3)（或 (0, 2)）上求均值和方差，保留第 1 轴。",
    ),
}


def _same(a, b):
    return matches(a, b, rtol=RTOL, atol=ATOL)


def _diagnose(got, want, args, momentum_default=False):
    """Name a known mistake when the learner's result equals it; otherwise return quietly."""
    x = args[0]
    if _same(got, want):
        return
    c = x.shape[1]
    if x.ndim > 2 and got[1].shape in (x.shape[1:], (1,) + x.shape[1:]):
        fail(
            {
                "en": f"running_mean has shape {got[1].shape}, one value per position: you averaged over axis 0 only. Batch normalisation keeps one statistic per channel, over the batch AND every position: axes (0, 2, 3) for (N, C, H, W), (0, 2) for (N, C, L); the result has shape ({c},).",
                "zh": f"running_mean 的形状为 {got[1].shape}，每个位置一个值：你只在第 0 轴上求了平均。批量规范化为每个通道保留一个统计量，在整批样本和所有位置上统计：(N, C, H, W) 用轴 (0, 2, 3)，(N, C, L) 用轴 (0, 2)；结果的形状为 ({c},)。",
            }
        )
    for mistake, (en, zh) in MESSAGES.items():
        if mistake == "momentum_swapped" and momentum_default:
            continue  # with momentum=0.1 it equals a default of 0.9: _diagnose_defaults says both
        variant = _with_mistake(mistake, *args)
        if _same(got, variant):
            fail({"en": en, "zh": zh})


def _diagnose_defaults(got, args, momentum_default, eps_default):
    """Name a wrong default of momentum or eps, for a call that relied on the defaults."""
    x, gamma, beta, rm, rv, training, momentum, eps = args
    if eps_default:
        for other in (1e-3, 1e-8, 0.0):  # Keras's default, other libraries', none at all
            variant = _with_mistake(None, x, gamma, beta, rm, rv, training, momentum, other)
            if _same(got, variant):
                fail(
                    {
                        "en": f"Called without eps, your batch_norm uses eps = {other:g}, not the signature's default eps=1e-5 (PyTorch's). Keep the default of the signature: batch_norm(..., momentum=0.1, eps=1e-5).",
                        "zh": f"不传 eps 时，你的 batch_norm 用的是 eps = {other:g}，而不是签名中的默认值 eps=1e-5（PyTorch 的默认值）。请保留签名中的默认值：batch_norm(..., momentum=0.1, eps=1e-5)。",
                    }
                )
    if momentum_default and training:
        axes = (0,) + tuple(range(2, x.ndim))
        step = x.mean(axis=axes) - rm
        moved = (got[1] - rm) / step  # the fraction of the way towards the batch mean
        if got[1].shape == rm.shape and np.ptp(moved) < 1e-6 and abs(moved[0] - 0.1) > 1e-6:
            m = float(moved[0])
            en = zh = ""
            if abs(m - 0.9) < 1e-6:
                en = " Either your default is momentum=0.9, or your update uses momentum the other way round: momentum is the weight of the NEW value."
                zh = "要么你的默认值是 momentum=0.9，要么你的更新把 momentum 用反了：momentum 是新值的权重。"
            fail(
                {
                    "en": f"Called without momentum, your running_mean moves {m:.4g} of the way towards the batch mean; the signature's default momentum=0.1 (PyTorch's) moves it 0.1 of the way: new = 0.9 * old + 0.1 * batch_mean.{en}",
                    "zh": f"不传 momentum 时，你的 running_mean 向这一批的均值移动了 {m:.4g}；签名中的默认值 momentum=0.1（PyTorch 的默认值）只移动 0.1：新值 = 0.9 * 旧值 + 0.1 * 批量均值。{zh}",
                }
            )


def _problem(rng, shape, spread=3.0):
    """x with its own mean and scale per channel; parameters and running statistics for it."""
    c = shape[1]
    loc = rng.uniform(-spread, spread, size=c).reshape((1, c) + (1,) * (len(shape) - 2))
    scale = rng.uniform(0.3, 3.0, size=c).reshape(loc.shape)
    x = rng.normal(size=shape) * scale + loc
    gamma = rng.uniform(0.5, 2.0, size=c)
    beta = rng.normal(size=c)
    rm = rng.normal(size=c)
    rv = rng.uniform(0.5, 4.0, size=c)
    return x, gamma, beta, rm, rv


def _run(ctx, label, x, gamma, beta, rm, rv, training, momentum=None, eps=None):
    """Call the learner (with the defaults when momentum and eps are None), compare, return torch's stats."""
    kwargs = {}
    if momentum is not None:
        kwargs["momentum"] = momentum
    if eps is not None:
        kwargs["eps"] = eps
    args = (x, gamma, beta, rm, rv, training, 0.1 if momentum is None else momentum)
    args += (1e-5 if eps is None else eps,)
    got = _unpack(ctx.learner.batch_norm(x, gamma, beta, rm, rv, training, **kwargs))
    want = _torch_bn(*args)
    _diagnose(got, want, args, momentum_default=momentum is None)
    if not _same(got, want):
        _diagnose_defaults(got, args, momentum is None, eps is None)
    expect_array(f"y {label}", got[0], want[0], rtol=RTOL, atol=ATOL)
    expect_array(f"running_mean {label}", got[1], want[1], rtol=RTOL, atol=ATOL)
    expect_array(f"running_var {label}", got[2], want[2], rtol=RTOL, atol=ATOL)
    return want[1], want[2]


@check(
    points=2,
    title={
        "en": "Training mode on (N, C), default momentum and eps, against nn.BatchNorm1d",
        "zh": "训练模式、输入 (N, C)、默认 momentum 和 eps，与 nn.BatchNorm1d 对照",
    },
)
def train_1d(ctx):
    n, c = int(ctx.rng.integers(5, 12)), int(ctx.rng.integers(3, 7))
    x, gamma, beta, rm, rv = _problem(ctx.rng, (n, c))
    _run(ctx, f"for x {x.shape}, training=True (defaults)", x, gamma, beta, rm, rv, True)


@check(
    points=3,
    title={
        "en": "Training mode on (N, C, H, W), against nn.BatchNorm2d",
        "zh": "训练模式、输入 (N, C, H, W)，与 nn.BatchNorm2d 对照",
    },
)
def train_2d(ctx):
    shape = (
        int(ctx.rng.integers(2, 5)),
        int(ctx.rng.integers(2, 5)),
        int(ctx.rng.integers(3, 6)),
        int(ctx.rng.integers(3, 6)),
    )
    x, gamma, beta, rm, rv = _problem(ctx.rng, shape)
    momentum = float(ctx.rng.uniform(0.05, 0.3))
    eps = float(ctx.rng.uniform(0.02, 0.2))
    label = f"for x {x.shape}, training=True, momentum={momentum:.3f}, eps={eps:.3f}"
    _run(ctx, label, x, gamma, beta, rm, rv, True, momentum, eps)


@check(
    points=1,
    title={
        "en": "Training mode on a sequence batch (N, C, L), against nn.BatchNorm1d",
        "zh": "训练模式、序列批量 (N, C, L)，与 nn.BatchNorm1d 对照",
    },
)
def train_sequences(ctx):
    shape = (int(ctx.rng.integers(2, 5)), int(ctx.rng.integers(2, 5)), int(ctx.rng.integers(4, 9)))
    x, gamma, beta, rm, rv = _problem(ctx.rng, shape)
    momentum = float(ctx.rng.uniform(0.05, 0.3))
    label = f"for x {x.shape}, training=True, momentum={momentum:.3f}"
    _run(ctx, label, x, gamma, beta, rm, rv, True, momentum)


@check(
    points=2,
    title={
        "en": "Evaluation mode uses and keeps the running statistics",
        "zh": "评估模式使用并保留滑动统计量",
    },
)
def eval_mode(ctx):
    for shape in [
        (int(ctx.rng.integers(4, 9)), int(ctx.rng.integers(2, 6))),
        (1, int(ctx.rng.integers(2, 5)), 3, 4),  # one example: only running statistics make sense
        (int(ctx.rng.integers(2, 4)), int(ctx.rng.integers(2, 5)), 4, 3),
    ]:
        x, gamma, beta, rm, rv = _problem(ctx.rng, shape)
        eps = float(ctx.rng.uniform(0.02, 0.2))
        _run(
            ctx,
            f"for x {x.shape}, training=False, eps={eps:.3f}",
            x,
            gamma,
            beta,
            rm,
            rv,
            False,
            0.1,
            eps,
        )


@check(
    points=2,
    title={
        "en": "Several training batches, then evaluation, as one nn.BatchNorm2d",
        "zh": "先训练若干批，再评估，与同一个 nn.BatchNorm2d 一致",
    },
)
def several_steps(ctx):
    c = int(ctx.rng.integers(2, 5))
    momentum = float(ctx.rng.uniform(0.1, 0.4))
    _, gamma, beta, rm, rv = _problem(ctx.rng, (2, c, 3, 3))
    rm, rv = np.zeros(c), np.ones(c)  # a fresh layer: running_mean 0, running_var 1
    steps = int(ctx.rng.integers(3, 6))
    for step in range(steps):
        n = int(ctx.rng.integers(2, 6))  # batches of different sizes
        x = _problem(ctx.rng, (n, c, 4, 5))[0]
        label = f"after training batch {step + 1} of {steps} (x {x.shape}, momentum={momentum:.3f})"
        rm, rv = _run(ctx, label, x, gamma, beta, rm, rv, True, momentum)
    x = _problem(ctx.rng, (3, c, 4, 5))[0]
    _run(
        ctx,
        f"in evaluation after {steps} training batches",
        x,
        gamma,
        beta,
        rm,
        rv,
        False,
        momentum,
    )


@check(
    points=1,
    title={
        "en": "Returns new arrays and leaves its arguments unchanged",
        "zh": "返回新的数组，不修改传入的参数",
    },
)
def arguments_unchanged(ctx):
    shape = (int(ctx.rng.integers(2, 5)), int(ctx.rng.integers(2, 5)), 3, 4)
    x, gamma, beta, rm, rv = _problem(ctx.rng, shape)
    for training in (True, False):
        got = expect_inputs_unchanged(
            f"batch_norm(x, gamma, beta, running_mean, running_var, training={training})",
            ctx.learner.batch_norm,
            x,
            gamma,
            beta,
            rm,
            rv,
            training,
        )
        _unpack(got)
