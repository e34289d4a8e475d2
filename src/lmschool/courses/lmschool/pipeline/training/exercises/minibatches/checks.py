"""Checks for minibatches(n, batch_size, seed): one shuffled epoch, last partial batch kept."""

import numpy as np

from lmschool.grading.checks import check, expect, expect_equal, expect_raises, fail
from lmschool.grading.proxy import LearnerError, RemoteObject


def _epoch(ctx, n, batch_size, seed):
    """The batches the learner yields for one epoch, as a list of 1-D integer arrays.

    A generator comes back as a handle: we advance it with ``send(None)`` until it
    raises StopIteration. A list or tuple of batches is accepted here (another check
    asks for a real generator). A wrong solution may loop forever: stop after more
    batches than any correct epoch has.
    """
    call = f"minibatches({n}, {batch_size}, seed={seed})"
    out = ctx.learner.minibatches(n, batch_size, seed)
    if isinstance(out, list | tuple):
        raw = list(out)
    elif isinstance(out, RemoteObject):
        try:
            advance = out.send
        except LearnerError:
            fail(
                {
                    "en": f"{call} returned a {out.type_name} object that is not a generator: write the function with `yield`.",
                    "zh": f"{call} 返回了一个 {out.type_name} 对象，它不是生成器：请用 `yield` 编写这个函数。",
                }
            )
        raw = []
        while True:
            try:
                raw.append(advance(None))
            except LearnerError as exc:
                if "StopIteration" in exc.mro:
                    break
                raise
            if len(raw) > n + 2:
                fail(
                    {
                        "en": f"{call} yields more than {n + 2} batches: the loop over start positions must stop at n.",
                        "zh": f"{call} 产出了超过 {n + 2} 个批次：遍历起始位置的循环必须在 n 处停止。",
                    }
                )
    else:
        fail(
            {
                "en": f"{call} returned {type(out).__name__}; it must yield arrays of indices.",
                "zh": f"{call} 返回了 {type(out).__name__}；它应当逐个产出下标数组。",
            }
        )
    batches = []
    for i, item in enumerate(raw):
        arr = None if isinstance(item, RemoteObject) else np.asarray(item)
        if arr is None or arr.ndim != 1 or arr.dtype.kind not in "iu":
            what = getattr(item, "type_name", None) or (
                f"array of {arr.dtype} with shape {arr.shape}" if arr is not None else "?"
            )
            fail(
                {
                    "en": f"batch {i} of {call} is {what}: every batch must be a 1-D array of integer row indices.",
                    "zh": f"{call} 的第 {i} 个批次是 {what}：每个批次都必须是一维的整数行下标数组。",
                }
            )
        batches.append(arr.astype(np.int64))
    return batches


def _odd_sizes(rng):
    """n and batch_size such that the last batch is partial."""
    batch_size = int(rng.integers(5, 17))
    n = batch_size * int(rng.integers(3, 9)) + int(rng.integers(1, batch_size))
    return n, batch_size


def _seed(rng):
    return int(rng.integers(0, 2**31))


@check(
    points=2,
    title={"en": "Every index exactly once per epoch", "zh": "每个 epoch 中每个下标恰好出现一次"},
)
def every_index_once(ctx):
    n, bs = _odd_sizes(ctx.rng)
    seed = _seed(ctx.rng)
    batches = _epoch(ctx, n, bs, seed)
    seen = np.concatenate(batches) if batches else np.zeros(0, dtype=np.int64)
    call = f"minibatches({n}, {bs}, seed={seed})"
    if seen.size and (seen.min() < 0 or seen.max() >= n):
        fail(
            {
                "en": f"{call} yields index {int(seen.min() if seen.min() < 0 else seen.max())}, outside 0..{n - 1}.",
                "zh": f"{call} 产出了下标 {int(seen.min() if seen.min() < 0 else seen.max())}，超出了 0..{n - 1} 的范围。",
            }
        )
    missing = np.setdiff1d(np.arange(n), seen)
    repeated = seen.size - np.unique(seen).size
    if missing.size == n % bs and all(b.size == bs for b in batches) and repeated == 0:
        fail(
            {
                "en": f"{call} drops the last partial batch: {n} examples in batches of {bs} leave {n % bs} examples for a smaller last batch, and {missing.size} examples were never yielded.",
                "zh": f"{call} 丢掉了最后一个不满的批次：{n} 个样本按每批 {bs} 个划分，最后应剩下 {n % bs} 个样本组成一个较小的批次，但有 {missing.size} 个样本从未被产出。",
            }
        )
    expect(
        repeated == 0,
        {
            "en": f"{call}: {repeated} indices appear more than once in one epoch. Shuffle once per epoch and slice the permutation; do not draw random indices for each batch.",
            "zh": f"{call}：在一个 epoch 中有 {repeated} 个下标出现了不止一次。每个 epoch 只打乱一次，再对这个排列切片；不要为每个批次单独随机抽取下标。",
        },
    )
    expect(
        missing.size == 0,
        {
            "en": f"{call}: {missing.size} of the {n} indices never appear in the epoch (for example {int(missing[0]) if missing.size else 0}).",
            "zh": f"{call}：{n} 个下标中有 {missing.size} 个在这个 epoch 中从未出现（例如 {int(missing[0]) if missing.size else 0}）。",
        },
    )


@check(
    points=1,
    title={"en": "Batch sizes, with a partial last batch", "zh": "批次大小，包括不满的最后一批"},
)
def batch_sizes(ctx):
    n, bs = _odd_sizes(ctx.rng)
    seed = _seed(ctx.rng)
    sizes = [int(b.size) for b in _epoch(ctx, n, bs, seed)]
    want = [bs] * (n // bs) + [n % bs]
    if sizes == want[:-1]:
        fail(
            {
                "en": f"minibatches({n}, {bs}, seed={seed}) yields {len(sizes)} batches of {bs} and drops the last partial batch of {n % bs}: keep it, or those examples are never trained on.",
                "zh": f"minibatches({n}, {bs}, seed={seed}) 产出了 {len(sizes)} 个大小为 {bs} 的批次，丢掉了最后那个大小为 {n % bs} 的不满批次：请保留它，否则这些样本永远不会参与训练。",
            }
        )
    expect_equal(f"batch sizes of minibatches({n}, {bs}, seed={seed})", sizes, want)


@check(
    points=2,
    title={
        "en": "The order is default_rng(seed).permutation(n)",
        "zh": "顺序是 default_rng(seed).permutation(n)",
    },
)
def seeded_order(ctx):
    n, bs = _odd_sizes(ctx.rng)
    seed = _seed(ctx.rng)
    batches = _epoch(ctx, n, bs, seed)
    got = np.concatenate(batches) if batches else np.zeros(0, dtype=np.int64)
    want = np.random.default_rng(seed).permutation(n)
    call = f"minibatches({n}, {bs}, seed={seed})"
    if got.size == n and np.array_equal(got, np.arange(n)):
        fail(
            {
                "en": f"{call} yields the rows in their original order 0, 1, 2, ...: you did not shuffle. Without shuffling every epoch sees the same batches, and sorted data (all of one class first) gives batches of a single class.",
                "zh": f"{call} 按原始顺序 0, 1, 2, …… 产出各行：你没有打乱顺序。不打乱的话每个 epoch 的批次都一样；如果数据是排好序的（例如同一类别排在前面），批次里就只有一个类别。",
            }
        )
    if (
        got.size == n
        and np.array_equal(np.sort(got), np.arange(n))
        and not np.array_equal(got, want)
    ):
        fail(
            {
                "en": f"{call} shuffles, but not as asked: the concatenated batches must equal np.random.default_rng(seed).permutation(n), drawn once per call (not np.random.seed / np.random.permutation, and not a separate shuffle per batch).",
                "zh": f"{call} 打乱了顺序，但方式不对：把各批次依次拼接起来必须等于 np.random.default_rng(seed).permutation(n)，每次调用只生成一次（不要用 np.random.seed / np.random.permutation，也不要对每个批次分别打乱）。",
            }
        )
    expect_equal(f"number of indices yielded by {call}", int(got.size), n)
    if not np.array_equal(got, want):
        i = int(np.flatnonzero(got != want)[0])
        fail(
            {
                "en": f"{call}: position {i} of the epoch (batch {i // bs}) should be row {int(want[i])} of default_rng(seed).permutation(n), got {int(got[i])}.",
                "zh": f"{call}：这个 epoch 的第 {i} 个位置（第 {i // bs} 批）应当是 default_rng(seed).permutation(n) 中的行 {int(want[i])}，实际得到 {int(got[i])}。",
            }
        )


@check(
    points=1,
    title={
        "en": "Same seed, same batches; new seed, new order",
        "zh": "相同种子批次相同，不同种子顺序不同",
    },
)
def seeds(ctx):
    n, bs = _odd_sizes(ctx.rng)
    seed = _seed(ctx.rng)
    first = [b.tolist() for b in _epoch(ctx, n, bs, seed)]
    again = [b.tolist() for b in _epoch(ctx, n, bs, seed)]
    expect(
        first == again,
        {
            "en": f"Two calls of minibatches({n}, {bs}, seed={seed}) gave different batches: build the generator from the seed you are given, np.random.default_rng(seed), so that runs are reproducible.",
            "zh": f"两次调用 minibatches({n}, {bs}, seed={seed}) 得到了不同的批次：请用传入的种子创建随机数生成器 np.random.default_rng(seed)，这样结果才能复现。",
        },
    )
    other = [b.tolist() for b in _epoch(ctx, n, bs, seed + 1)]
    expect(
        first != other,
        {
            "en": f"minibatches({n}, {bs}, seed) gives the same order for seeds {seed} and {seed + 1}: the order must depend on the seed, so that every epoch (seed=epoch) is shuffled differently.",
            "zh": f"minibatches({n}, {bs}, seed) 在种子 {seed} 和 {seed + 1} 下顺序相同：顺序必须依赖种子，这样每个 epoch（seed=epoch）的打乱方式才会不同。",
        },
    )


@check(
    points=1,
    title={
        "en": "Edge cases: exact fit, a last batch of one, batch_size 1, one batch, n = 0",
        "zh": "边界情况：正好整除、最后一批只有一个、batch_size 为 1、只有一批、n = 0",
    },
)
def edge_cases(ctx):
    seed = _seed(ctx.rng)
    bs = int(ctx.rng.integers(3, 9))
    n = bs * int(ctx.rng.integers(2, 6))  # batch_size divides n: no empty batch at the end
    sizes = [int(b.size) for b in _epoch(ctx, n, bs, seed)]
    expect_equal(f"batch sizes of minibatches({n}, {bs}, seed={seed})", sizes, [bs] * (n // bs))
    sizes = [int(b.size) for b in _epoch(ctx, n + 1, bs, seed)]  # the last batch: one index
    expect_equal(
        f"batch sizes of minibatches({n + 1}, {bs}, seed={seed})", sizes, [bs] * (n // bs) + [1]
    )
    sizes = [int(b.size) for b in _epoch(ctx, n, 1, seed)]  # 1 is a valid batch size
    expect_equal(f"batch sizes of minibatches({n}, 1, seed={seed})", sizes, [1] * n)
    n_small = int(ctx.rng.integers(2, 10))
    for big in (n_small, n_small + int(ctx.rng.integers(1, 20))):
        sizes = [int(b.size) for b in _epoch(ctx, n_small, big, seed)]
        expect_equal(f"batch sizes of minibatches({n_small}, {big}, seed={seed})", sizes, [n_small])
    expect_equal(
        f"number of batches of minibatches(0, {bs}, seed={seed})", len(_epoch(ctx, 0, bs, seed)), 0
    )


@check(
    points=1,
    title={"en": "batch_size < 1 raises ValueError", "zh": "batch_size < 1 时抛出 ValueError"},
)
def bad_batch_size(ctx):
    seed = _seed(ctx.rng)
    for bad in (0, -int(ctx.rng.integers(1, 5))):
        with expect_raises(f"minibatches(10, {bad}, seed={seed}) (advanced once)", "ValueError"):
            _epoch(ctx, 10, bad, seed)


@check(points=1, title={"en": "A generator, not a list", "zh": "是生成器，而不是列表"})
def is_generator(ctx):
    out = ctx.learner.minibatches(1000, 10, _seed(ctx.rng))
    expect(
        isinstance(out, RemoteObject) and out.type_name == "generator",
        {
            "en": "minibatches(...) must be a generator function (use `yield`), so batches are produced one at a time while training; it returned "
            + (out.type_name if isinstance(out, RemoteObject) else type(out).__name__)
            + ".",
            "zh": "minibatches(...) 必须是生成器函数（使用 `yield`），这样训练时才能一批一批地产生数据；它却返回了 "
            + (out.type_name if isinstance(out, RemoteObject) else type(out).__name__)
            + "。",
        },
    )
