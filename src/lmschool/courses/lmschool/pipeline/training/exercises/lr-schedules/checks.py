"""Checks for the four schedules, against torch.optim.lr_scheduler computed here (trusted side)."""

import math

import numpy as np
import torch

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import RemoteObject


def _torch_lrs(make_scheduler, lr0, n_steps):
    """The lr torch uses for each of n_steps updates: read before each scheduler.step()."""
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=lr0)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for _ in range(n_steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return np.array(lrs)


def _learner_lrs(ctx, name, steps, *args):
    """The learner's rates for the given steps (an int n means steps 0..n-1), checked to be numbers."""
    steps = range(steps) if isinstance(steps, int) else steps
    fn = getattr(ctx.learner, name)
    got = [fn(step, *args) for step in steps]
    for step, value in zip(steps, got, strict=True):
        if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
            kind = value.type_name if isinstance(value, RemoteObject) else type(value).__name__
            fail(
                {
                    "en": f"{name}({step}, ...) returned {kind}; it must return a number (a Python float).",
                    "zh": f"{name}({step}, ...) 返回了 {kind}；它必须返回一个数（Python 浮点数）。",
                }
            )
    return np.array([float(v) for v in got])


def _close(a, b):
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-12))


def _compare(label, got, want, mistakes=()):
    """Pass when close; otherwise name a known mistake, an off-by-one, or the first wrong step."""
    if _close(got, want):
        return
    for values, message in mistakes:
        if _close(got, np.asarray(values, dtype=np.float64)):
            fail(message)
    if _close(got[1:], want[:-1]):
        fail(
            {
                "en": f"{label} is one step late: your value at step t is the correct value for step t - 1. Remember that step 0 is the first update (torch: the lr before any scheduler.step()).",
                "zh": f"{label} 晚了一步：你在第 t 步的值是第 t - 1 步的正确值。注意第 0 步就是第一次更新（torch：还没有调用任何 scheduler.step() 时的学习率）。",
            }
        )
    if _close(got[:-1], want[1:]):
        fail(
            {
                "en": f"{label} is one step early: your value at step t is the correct value for step t + 1. Step 0 must use lr0 itself.",
                "zh": f"{label} 早了一步：你在第 t 步的值是第 t + 1 步的正确值。第 0 步必须使用 lr0 本身。",
            }
        )
    expect_array(label, got, want, rtol=1e-6, atol=1e-12)


def _lr0(rng):
    return round(float(rng.uniform(0.01, 1.0)), 3)


@check(points=2, title={"en": "step_lr matches StepLR", "zh": "step_lr 与 StepLR 一致"})
def step_schedule(ctx):
    lr0, step_size = _lr0(ctx.rng), int(ctx.rng.integers(2, 7))
    gamma = round(float(ctx.rng.uniform(0.2, 0.9)), 2)
    n = 4 * step_size + 2  # several boundaries, where off-by-one mistakes show
    want = _torch_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size, gamma), lr0, n)
    got = _learner_lrs(ctx, "step_lr", n, lr0, step_size, gamma)
    label = f"step_lr(step, {lr0}, {step_size}, {gamma}) for step = 0..{n - 1}"
    smooth = [lr0 * gamma ** (t / step_size) for t in range(n)]
    _compare(
        label,
        got,
        want,
        [
            (
                smooth,
                {
                    "en": f"{label} decays smoothly: the exponent must be the integer step // step_size, so the rate stays at lr0 for steps 0..{step_size - 1} and drops to lr0 * gamma at step {step_size}.",
                    "zh": f"{label} 是平滑衰减的：指数必须是整数 step // step_size，所以第 0..{step_size - 1} 步学习率保持 lr0，到第 {step_size} 步才降为 lr0 * gamma。",
                },
            )
        ],
    )


@check(
    points=1,
    title={
        "en": "exponential_lr matches ExponentialLR",
        "zh": "exponential_lr 与 ExponentialLR 一致",
    },
)
def exponential_schedule(ctx):
    lr0, gamma = _lr0(ctx.rng), round(float(ctx.rng.uniform(0.8, 0.99)), 3)
    n = int(ctx.rng.integers(15, 30))
    want = _torch_lrs(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma), lr0, n)
    got = _learner_lrs(ctx, "exponential_lr", n, lr0, gamma)
    _compare(f"exponential_lr(step, {lr0}, {gamma}) for step = 0..{n - 1}", got, want)


def _cosine_setup(rng):
    lr0, total = _lr0(rng), int(rng.integers(10, 40))
    min_lr = round(lr0 * float(rng.uniform(0.05, 0.3)), 4)
    return lr0, total, min_lr


@check(
    points=2,
    title={
        "en": "cosine_lr matches CosineAnnealingLR",
        "zh": "cosine_lr 与 CosineAnnealingLR 一致",
    },
)
def cosine_schedule(ctx):
    lr0, total, min_lr = _cosine_setup(ctx.rng)
    n = total + 1  # steps 0..total, both ends included
    want = _torch_lrs(
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total, eta_min=min_lr), lr0, n
    )
    got = _learner_lrs(ctx, "cosine_lr", n, lr0, total, min_lr)
    label = f"cosine_lr(step, {lr0}, {total}, {min_lr}) for step = 0..{total}"
    t = np.arange(n)
    no_floor = lr0 * (1 + np.cos(np.pi * t / total)) / 2
    no_half = min_lr + (lr0 - min_lr) * np.cos(np.pi * t / total)
    _compare(
        label,
        got,
        want,
        [
            (
                no_floor,
                {
                    "en": f"{label} ignores min_lr: it ends at 0 instead of {min_lr}. The cosine moves between lr0 and min_lr: min_lr + (lr0 - min_lr) * (1 + cos(pi * t / T)) / 2.",
                    "zh": f"{label} 忽略了 min_lr：它最后降到 0，而不是 {min_lr}。余弦应在 lr0 与 min_lr 之间变化：min_lr + (lr0 - min_lr) * (1 + cos(pi * t / T)) / 2。",
                },
            ),
            (
                no_half,
                {
                    "en": f"{label} uses cos(pi * t / T) directly, which goes from +1 to -1 and makes the rate negative at the end. Map it to [0, 1] with (1 + cos(pi * t / T)) / 2.",
                    "zh": f"{label} 直接使用了 cos(pi * t / T)，它从 +1 变到 -1，最后会让学习率变成负数。请用 (1 + cos(pi * t / T)) / 2 把它映射到 [0, 1]。",
                },
            ),
        ],
    )


@check(
    points=1,
    title={
        "en": "cosine_lr stays at min_lr after total_steps",
        "zh": "cosine_lr 在 total_steps 之后保持 min_lr",
    },
)
def cosine_after_total(ctx):
    lr0, total, min_lr = _cosine_setup(ctx.rng)
    steps = [total + int(k) for k in ctx.rng.integers(1, 2 * total, size=5)]
    got = _learner_lrs(ctx, "cosine_lr", steps, lr0, total, min_lr)
    if not _close(got, np.full(len(steps), min_lr)):
        bad = int(np.flatnonzero(~np.isclose(got, min_lr, rtol=1e-6, atol=1e-12))[0])
        fail(
            {
                "en": f"cosine_lr({steps[bad]}, {lr0}, {total}, {min_lr}) = {got[bad]:.6g}, but after total_steps the rate must stay at min_lr = {min_lr}. A cosine is periodic and climbs back up: clamp the progress with min(step, total_steps).",
                "zh": f"cosine_lr({steps[bad]}, {lr0}, {total}, {min_lr}) = {got[bad]:.6g}，但在 total_steps 之后学习率必须保持为 min_lr = {min_lr}。余弦是周期函数，会重新上升：请用 min(step, total_steps) 截断进度。",
            }
        )


@check(
    points=2,
    title={
        "en": "warmup_cosine_lr matches LinearLR + CosineAnnealingLR",
        "zh": "warmup_cosine_lr 与 LinearLR + CosineAnnealingLR 一致",
    },
)
def warmup_schedule(ctx):
    lr0, warmup = _lr0(ctx.rng), int(ctx.rng.integers(2, 9))
    total = warmup + int(ctx.rng.integers(8, 30))
    min_lr = round(lr0 * float(ctx.rng.uniform(0.0, 0.2)), 4)

    def make(o):
        warm = torch.optim.lr_scheduler.LinearLR(
            o, start_factor=1 / warmup, end_factor=1.0, total_iters=warmup - 1
        )
        cos = torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=total - warmup, eta_min=min_lr)
        return torch.optim.lr_scheduler.SequentialLR(o, [warm, cos], milestones=[warmup])

    n = total + 1
    want = _torch_lrs(make, lr0, n)
    got = _learner_lrs(ctx, "warmup_cosine_lr", n, lr0, warmup, total, min_lr)
    label = f"warmup_cosine_lr(step, {lr0}, {warmup}, {total}, {min_lr}) for step = 0..{total}"

    def cosine(t, length):
        p = min(t, length) / length
        return min_lr + (lr0 - min_lr) * (1 + math.cos(math.pi * p)) / 2

    from_zero = [lr0 * t / warmup if t < warmup else want[t] for t in range(n)]
    not_shifted = [lr0 * (t + 1) / warmup if t < warmup else cosine(t, total) for t in range(n)]
    _compare(
        label,
        got,
        want,
        [
            (
                from_zero,
                {
                    "en": f"{label} starts the warm-up at 0 (lr0 * step / warmup_steps): the first update is then wasted with a rate of 0. Use lr0 * (step + 1) / warmup_steps.",
                    "zh": f"{label} 的预热从 0 开始（lr0 * step / warmup_steps）：这样第一次更新的学习率为 0，白白浪费了。请使用 lr0 * (step + 1) / warmup_steps。",
                },
            ),
            (
                not_shifted,
                {
                    "en": f"{label}: after the warm-up your cosine is measured from step 0 over total_steps, so it starts below lr0. Start the cosine when the warm-up ends: cosine_lr(step - warmup_steps, lr0, total_steps - warmup_steps, min_lr).",
                    "zh": f"{label}：预热之后，你的余弦是从第 0 步开始、以 total_steps 为长度计算的，因此起点低于 lr0。余弦应从预热结束时开始：cosine_lr(step - warmup_steps, lr0, total_steps - warmup_steps, min_lr)。",
                },
            ),
        ],
    )
