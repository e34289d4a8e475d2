"""Hidden checks for lm/gpt/warmup-cosine: the schedule step by step, and its edges as separate checks."""

import math

import numpy as np

from lmschool.grading.checks import check, expect_close, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


def _lr(ctx, step, a):
    got = ctx.learner.lr_at(step, a["max_lr"], a["min_lr"], a["warmup"], a["total"])
    if isinstance(got, (RemoteObject, list, tuple, str)) or got is None:
        _fail(
            f"lr_at({step}, ...) must return one number, not {type(got).__name__}.",
            f"lr_at({step}, ...) 必须返回一个数，而不是 {type(got).__name__}。",
        )
    return float(np.asarray(got, dtype=np.float64).reshape(-1)[0])


def _setting(rng):
    warmup = int(rng.integers(5, 40))
    total = warmup + int(rng.integers(60, 400))
    max_lr = float(rng.choice([3e-4, 6e-4, 1e-3, 3e-3]))
    return {
        "max_lr": max_lr,
        "min_lr": max_lr * float(rng.uniform(0.05, 0.2)),
        "warmup": warmup,
        "total": total,
    }


def _call(a, step):
    return f"lr_at({step}, max_lr={a['max_lr']:g}, min_lr={a['min_lr']:.4g}, warmup={a['warmup']}, total={a['total']})"


@check(points=1, title={"en": "Step 0 already moves a little", "zh": "第 0 步已经有一个小的学习率"})
def first_step(ctx):
    a = _setting(ctx.rng)
    got = _lr(ctx, 0, a)
    want = a["max_lr"] / (a["warmup"] + 1)
    if got == 0:
        _fail(
            f"{_call(a, 0)} is 0: the first update would do nothing. The warm-up is max_lr * (step + 1) / (warmup + 1), which is max_lr / (warmup + 1) at step 0.",
            f"{_call(a, 0)} 为 0：第一次更新什么也不做。预热阶段是 max_lr * (step + 1) / (warmup + 1)，第 0 步为 max_lr / (warmup + 1)。",
        )
    expect_close(_call(a, 0), got, want, rtol=1e-9)


@check(
    points=2,
    title={"en": "The warm-up is linear and reaches max_lr", "zh": "预热是线性的，并升到 max_lr"},
)
def warmup(ctx):
    a = _setting(ctx.rng)
    w = a["warmup"]
    for step in sorted({1, w // 2, w - 1}):
        expect_close(
            _call(a, step), _lr(ctx, step, a), a["max_lr"] * (step + 1) / (w + 1), rtol=1e-9
        )
    got = _lr(ctx, w, a)
    if got > a["max_lr"] * (1 + 1e-9):
        _fail(
            f"{_call(a, w)} is {got:.6g}, above max_lr: at the end of the warm-up the rate must be exactly max_lr, where the cosine starts. The warm-up covers steps 0 .. warmup - 1 only.",
            f"{_call(a, w)} 为 {got:.6g}，超过了 max_lr：预热结束时学习率必须恰好是 max_lr，余弦从这里开始。预热只覆盖第 0 .. warmup - 1 步。",
        )
    expect_close(f"{_call(a, w)} (the end of the warm-up)", got, a["max_lr"], rtol=1e-9)


@check(points=3, title={"en": "The cosine decay, step by step", "zh": "余弦退火，逐步比较"})
def decay(ctx):
    a = _setting(ctx.rng)
    w, T = a["warmup"], a["total"]
    steps = sorted({w, w + 1, (w + T) // 2, T - 1, T, *ctx.rng.integers(w, T, size=8).tolist()})
    mid = _lr(ctx, (w + T) // 2, a) if (T - w) % 2 == 0 else None
    if mid is not None and math.isclose(mid, 0.5 * a["max_lr"], rel_tol=1e-6):
        _fail(
            f"Half-way through the decay you give max_lr / 2 = {mid:.6g}: the cosine must end at min_lr, not 0, so half-way is (max_lr + min_lr) / 2. The formula is min_lr + 0.5 * (1 + cos(pi * r)) * (max_lr - min_lr).",
            f"衰减到一半时你给出的是 max_lr / 2 = {mid:.6g}：余弦应当降到 min_lr 而不是 0，所以一半处是 (max_lr + min_lr) / 2。公式为 min_lr + 0.5 * (1 + cos(pi * r)) * (max_lr - min_lr)。",
        )
    for step in steps:
        r = (step - w) / (T - w)
        want = a["min_lr"] + 0.5 * (1 + math.cos(math.pi * r)) * (a["max_lr"] - a["min_lr"])
        got = _lr(ctx, step, a)
        if not math.isclose(got, want, rel_tol=1e-9):
            r_total = step / T
            if math.isclose(
                got,
                a["min_lr"] + 0.5 * (1 + math.cos(math.pi * r_total)) * (a["max_lr"] - a["min_lr"]),
                rel_tol=1e-9,
            ):
                _fail(
                    f"{_call(a, step)}: the cosine runs over step / total; it must run over the steps AFTER the warm-up, r = (step - warmup) / (total - warmup), so that it starts at max_lr when the warm-up ends.",
                    f"{_call(a, step)}：你的余弦按 step / total 计算；它应当只覆盖预热“之后”的步数，r = (step - warmup) / (total - warmup)，这样预热结束时正好从 max_lr 开始。",
                )
        expect_close(_call(a, step), got, want, rtol=1e-9)


@check(points=1, title={"en": "After the last step: min_lr", "zh": "最后一步之后：min_lr"})
def after_end(ctx):
    a = _setting(ctx.rng)
    for step in (a["total"], a["total"] + 1, a["total"] + int(ctx.rng.integers(50, 500))):
        got = _lr(ctx, step, a)
        if step > a["total"] and got > a["min_lr"] * (1 + 1e-9):
            _fail(
                f"{_call(a, step)} is {got:.6g}: past `total` the cosine climbs back up. After the decay the rate stays at min_lr.",
                f"{_call(a, step)} 为 {got:.6g}：超过 total 之后余弦又升回去了。衰减结束后学习率应一直保持 min_lr。",
            )
        expect_close(_call(a, step), got, a["min_lr"], rtol=1e-9)


@check(points=1, title={"en": "No warm-up (warmup = 0)", "zh": "没有预热（warmup = 0）"})
def no_warmup(ctx):
    a = _setting(ctx.rng)
    a["warmup"] = 0
    expect_close(_call(a, 0), _lr(ctx, 0, a), a["max_lr"], rtol=1e-9)
    step = int(ctx.rng.integers(1, a["total"]))
    want = a["min_lr"] + 0.5 * (1 + math.cos(math.pi * step / a["total"])) * (
        a["max_lr"] - a["min_lr"]
    )
    expect_close(_call(a, step), _lr(ctx, step, a), want, rtol=1e-9)
