"""Hidden checks for deep/pytorch/early-stopping.

Every input is built so that the plausible mistakes give different answers: a global
argmin, patience off by one, ties counted as improvements, min_delta ignored, and
comparing with the previous epoch instead of the best so far. When the learner's answer
matches one of those replays, the message names the mistake.
"""

import numpy as np

from lmschool.grading.checks import check, expect_equal, expect_raises, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _replay(losses, patience, min_delta, mistake=None):
    """The reference rule, or the same rule with one named mistake."""
    if mistake == "argmin":
        return int(np.argmin(losses)), len(losses) - 1
    best, best_epoch, wait, prev = losses[0], 0, 0, losses[0]
    for epoch in range(1, len(losses)):
        x = losses[epoch]
        delta = 0.0 if mistake == "no_delta" else min_delta
        ref = prev if mistake == "previous" else best
        improved = x <= ref - delta if mistake == "ties" else x < ref - delta
        if improved:
            best, best_epoch, wait = x, epoch, 0
        else:
            wait += 1
            if wait == patience + (1 if mistake == "off_by_one" else 0):
                return best_epoch, epoch
        prev = x
    return best_epoch, len(losses) - 1


MISTAKES = {
    "off_by_one": (
        "You stop one epoch too late: training stops at the epoch where the count of epochs without improvement REACHES patience (wait == patience), not when it exceeds it.",
        "你晚了一轮才停止：训练应当在“无改进轮数”**达到** patience 的那一轮停止（wait == patience），而不是超过它的时候。",
    ),
    "ties": (
        "You count a loss equal to the best (or within min_delta of it) as an improvement. Improvement must be strict: loss < best - min_delta.",
        "你把等于最佳损失（或与之相差不到 min_delta）的损失算作了改进。改进必须是严格的：loss < best - min_delta。",
    ),
    "no_delta": (
        "You ignore min_delta: an epoch improves only when its loss is below best - min_delta; smaller gains count as no improvement.",
        "你忽略了 min_delta：只有损失低于 best - min_delta 时才算改进；更小的进步都算作没有改进。",
    ),
    "previous": (
        "You compare each loss with the PREVIOUS epoch's instead of the best so far: a small dip after a bad epoch is not an improvement if it is still worse than the best.",
        "你把每一轮的损失与**上一轮**比较，而不是与到目前为止的最佳比较：在一个糟糕的轮次之后略有下降，只要仍比最佳差，就不算改进。",
    ),
    "argmin": (
        "Your answer is the best epoch of the WHOLE list: early stopping never sees the epochs after it stops. Stop as soon as patience epochs in a row fail to improve, and choose the best epoch among those run.",
        "你的答案是**整个**列表中的最佳轮次：早停永远看不到停止之后的轮次。一旦连续 patience 轮没有改进就立即停止，并在已运行的轮次中选最佳的一轮。",
    ),
}


def _pair(got, call):
    if isinstance(got, RemoteObject) or not isinstance(got, (tuple, list)) or len(got) != 2:
        _fail(
            f"{call} must return a pair (best_epoch, stop_epoch).",
            f"{call} 必须返回一个二元组 (best_epoch, stop_epoch)。",
        )
    try:
        pair = tuple(int(v) for v in got)
    except (TypeError, ValueError):
        _fail(f"{call} must return two integers.", f"{call} 必须返回两个整数。")
    if any(float(v) != int(v) for v in got):
        _fail(
            f"{call} must return whole epoch numbers, got {got}.",
            f"{call} 必须返回整数轮次，实际得到 {got}。",
        )
    return pair


def _compare(ctx, losses, patience, min_delta):
    shown = "[" + ", ".join(f"{v:g}" for v in losses) + "]"
    call = f"early_stop_epoch({shown}, patience={patience}, min_delta={min_delta:g})"
    got = _pair(ctx.learner.early_stop_epoch(list(losses), patience, min_delta), call)
    want = _replay(losses, patience, min_delta)
    if got != want:
        for mistake, (en, zh) in MISTAKES.items():
            if _replay(losses, patience, min_delta, mistake) == got:
                _fail(
                    f"{call} returned {got}; expected {want}. {en}",
                    f"{call} 返回 {got}；期望为 {want}。{zh}",
                )
    expect_equal(f"{call} (best_epoch, stop_epoch)", got, want)


@check(
    points=2,
    title={
        "en": "A noisy validation curve that later improves again",
        "zh": "一条含噪声、之后又会再下降的验证曲线",
    },
)
def noisy_curve(ctx):
    # falls, plateaus past the patience, then falls again: only early stopping ignores the late dip
    patience = int(ctx.rng.integers(2, 5))
    fall = list(np.round(1.0 - 0.1 * np.arange(1, 5) + ctx.rng.uniform(0, 0.02, 4), 3))
    best = min(fall)
    plateau = list(np.round(best + ctx.rng.uniform(0.01, 0.05, patience + 1), 3))
    late = [round(best - 0.2, 3)]
    losses = [1.0] + fall + plateau + late
    _compare(ctx, [float(v) for v in losses], patience, 0.0)


@check(points=1, title={"en": "The loss never stops falling", "zh": "损失一直在下降"})
def never_stops(ctx):
    n = int(ctx.rng.integers(5, 12))
    losses = [round(float(v), 4) for v in np.sort(ctx.rng.uniform(0.1, 2.0, n))[::-1]]
    _compare(ctx, losses, int(ctx.rng.integers(1, 4)), 0.0)


@check(points=1, title={"en": "Patience is counted exactly", "zh": "耐心值要精确计数"})
def patience_exact(ctx):
    patience = int(ctx.rng.integers(1, 4))
    start = round(float(ctx.rng.uniform(0.5, 1.0)), 3)
    # `patience` bad epochs, then an improvement one epoch too late to count, then a plateau
    losses = [start] + [round(start + 0.1 * (k + 1), 3) for k in range(patience)]
    losses += [round(start - 0.2, 3)] + [round(start - 0.1, 3)] * (patience + 2)
    _compare(ctx, losses, patience, 0.0)


@check(
    points=1, title={"en": "A tie with the best is not an improvement", "zh": "与最佳持平不算改进"}
)
def ties(ctx):
    a = round(float(ctx.rng.uniform(0.3, 0.9)), 3)
    losses = [a + 0.2, a, a, a + 0.05, a + 0.06, a - 0.1]
    _compare(ctx, [round(v, 3) for v in losses], 2, 0.0)


@check(
    points=1,
    title={"en": "min_delta: small gains do not count", "zh": "min_delta：很小的进步不算数"},
)
def min_delta(ctx):
    a = round(float(ctx.rng.uniform(0.5, 0.9)), 3)
    losses = [round(v, 4) for v in (a, a - 0.003, a - 0.006, a - 0.2, a - 0.21)]
    _compare(ctx, losses, 2, 0.01)


@check(
    points=1,
    title={
        "en": "Compare with the best so far, not the previous epoch",
        "zh": "与到目前为止的最佳比较，而不是与上一轮比较",
    },
)
def best_not_previous(ctx):
    a = round(float(ctx.rng.uniform(0.3, 0.8)), 3)
    # dips below the previous epoch that stay above the best, then a late best after stopping
    steps = (0.3, 0.0, 0.2, 0.1, 0.15, 0.12, 0.25, 0.3, 0.35, -0.1)
    _compare(ctx, [round(a + d, 3) for d in steps], 3, 0.0)


@check(
    points=1,
    title={
        "en": "One epoch; an empty list and patience 0 raise ValueError",
        "zh": "只有一轮；空列表和 patience 为 0 时抛出 ValueError",
    },
)
def edge_cases(ctx):
    v = round(float(ctx.rng.uniform(0.1, 1.0)), 3)
    _compare(ctx, [v], 1, 0.0)
    with expect_raises("early_stop_epoch([], patience=2)", "ValueError"):
        ctx.learner.early_stop_epoch([], 2, 0.0)
    with expect_raises("early_stop_epoch([1.0, 0.5], patience=0)", "ValueError"):
        ctx.learner.early_stop_epoch([1.0, 0.5], 0, 0.0)
