import numpy as np

from lmschool.grading.checks import check, expect, expect_close, expect_equal, expect_raises


def _batches(rng, count):
    # Batches of different lengths: averaging batch means without weights is wrong here.
    return [rng.normal(loc=rng.uniform(-5, 5), size=int(rng.integers(1, 30))) for _ in range(count)]


@check(
    points=1,
    title={
        "en": "mean_ before any update raises RuntimeError",
        "zh": "未 update 前读取 mean_ 会抛出 RuntimeError",
    },
)
def mean_before_update(ctx):
    rm = ctx.learner.RunningMean()
    with expect_raises("RunningMean().mean_ before update", "RuntimeError"):
        rm.mean_  # noqa: B018 (reading the attribute is the test)


@check(
    points=2, title={"en": "Mean and count over several batches", "zh": "多批数据后的均值和计数"}
)
def several_batches(ctx):
    rm = ctx.learner.RunningMean()
    batches = _batches(ctx.rng, int(ctx.rng.integers(3, 7)))
    for x in batches:
        rm.update(x)
    everything = np.concatenate(batches)
    expect_close(
        f"mean_ after {len(batches)} batches",
        rm.mean_,
        float(everything.mean()),
        rtol=1e-9,
        atol=1e-12,
    )
    expect_equal(f"count_ after {len(batches)} batches", rm.count_, int(everything.size))


@check(points=1, title={"en": "update returns self", "zh": "update 返回 self"})
def update_returns_self(ctx):
    rm = ctx.learner.RunningMean()
    a, b = _batches(ctx.rng, 2)
    out = rm.update(a)
    expect(
        out == rm,
        {
            "en": "update(x) must return self (the same object) so that calls chain: rm.update(a).update(b).",
            "zh": "update(x) 必须返回 self（同一个对象），这样才能链式调用：rm.update(a).update(b)。",
        },
    )
    out.update(b)
    expect_close(
        "mean_ after rm.update(a).update(b)",
        rm.mean_,
        float(np.concatenate([a, b]).mean()),
        rtol=1e-9,
        atol=1e-12,
    )


@check(points=1, title={"en": "reset() starts over", "zh": "reset() 重新开始"})
def reset_starts_over(ctx):
    rm = ctx.learner.RunningMean()
    old, new = _batches(ctx.rng, 2)
    rm.update(old)
    rm.reset()
    expect_equal("count_ after reset()", rm.count_, 0)
    with expect_raises("mean_ after reset()", "RuntimeError"):
        rm.mean_  # noqa: B018
    rm.update(new)
    expect_close(
        "mean_ after reset() and one update", rm.mean_, float(new.mean()), rtol=1e-9, atol=1e-12
    )
    expect_equal("count_ after reset() and one update", rm.count_, int(new.size))
