"""Checks for k_fold_indices: sklearn's KFold without shuffling, a partition of the rows with it."""

import numpy as np
from sklearn.model_selection import KFold

from lmschool.grading.checks import check, expect, expect_equal, expect_raises, fail
from lmschool.grading.proxy import RemoteObject


def _folds(ctx, n, k, shuffle, seed):
    """The learner's folds as a list of (sorted train, sorted val) int arrays, or a failure."""
    call = f"k_fold_indices({n}, {k}, shuffle={shuffle}, seed={seed})"
    out = ctx.learner.k_fold_indices(n, k, shuffle=shuffle, seed=seed)
    if isinstance(out, RemoteObject) or not isinstance(out, list | tuple):
        kind = out.type_name if isinstance(out, RemoteObject) else type(out).__name__
        fail(
            {
                "en": f"{call} returned {kind}; it must return a list of {k} (train_idx, val_idx) pairs.",
                "zh": f"{call} 返回了 {kind}；它必须返回由 {k} 个 (train_idx, val_idx) 二元组组成的列表。",
            }
        )
    if len(out) != k:
        fail(
            {
                "en": f"{call} returned {len(out)} folds; k = {k} folds were asked for.",
                "zh": f"{call} 返回了 {len(out)} 折；要求的是 k = {k} 折。",
            }
        )
    folds = []
    for i, pair in enumerate(out):
        ok = isinstance(pair, list | tuple) and len(pair) == 2
        arrays = []
        for part in pair if ok else ():
            arr = None if isinstance(part, RemoteObject) else np.asarray(part)
            if arr is None or arr.ndim != 1 or (arr.size and arr.dtype.kind not in "iu"):
                ok = False
                break
            arrays.append(np.sort(arr.astype(np.int64)))
        if not ok:
            fail(
                {
                    "en": f"fold {i} of {call} is not a pair (train_idx, val_idx) of 1-D integer arrays.",
                    "zh": f"{call} 的第 {i} 折不是由两个一维整数数组组成的 (train_idx, val_idx)。",
                }
            )
        folds.append(tuple(arrays))
    return folds


def _sizes(rng):
    k = int(rng.integers(3, 8))
    n = k * int(rng.integers(3, 12)) + int(rng.integers(1, k))  # n % k != 0
    return n, k


def _seed(rng):
    return int(rng.integers(0, 2**31))


@check(
    points=2,
    title={
        "en": "Without shuffling: the same folds as sklearn's KFold",
        "zh": "不打乱时：与 sklearn 的 KFold 相同",
    },
)
def matches_kfold(ctx):
    n, k = _sizes(ctx.rng)
    folds = _folds(ctx, n, k, False, None)
    for i, ((train, val), (want_train, want_val)) in enumerate(
        zip(folds, KFold(n_splits=k).split(np.zeros(n)), strict=True)
    ):
        expect_equal(
            f"val_idx of fold {i} of k_fold_indices({n}, {k})", val.tolist(), want_val.tolist()
        )
        expect_equal(
            f"train_idx of fold {i} of k_fold_indices({n}, {k})",
            train.tolist(),
            want_train.tolist(),
        )


@check(
    points=1,
    title={
        "en": "Fold sizes: the first n % k folds are one larger",
        "zh": "各折大小：前 n % k 折多一行",
    },
)
def fold_sizes(ctx):
    n, k = _sizes(ctx.rng)
    seed = _seed(ctx.rng)
    sizes = [int(val.size) for _, val in _folds(ctx, n, k, True, seed)]
    want = [n // k + 1] * (n % k) + [n // k] * (k - n % k)
    call = f"k_fold_indices({n}, {k}, shuffle=True, seed={seed})"
    if sizes == [n // k] * (k - 1) + [n // k + n % k]:
        fail(
            {
                "en": f"{call}: the last fold takes all {n % k} leftover rows (sizes {sizes}). Spread them: the first n % k folds get one extra row each, so sizes differ by at most one: {want}.",
                "zh": f"{call}：最后一折拿走了全部 {n % k} 个多出来的行（大小为 {sizes}）。应把它们分散开：前 n % k 折各多一行，这样各折大小最多相差一：{want}。",
            }
        )
    if sizes == [n // k] * k:
        fail(
            {
                "en": f"{call}: every fold has n // k = {n // k} rows, so {n % k} rows are never validated. The first n % k folds must have one extra row: {want}.",
                "zh": f"{call}：每折都是 n // k = {n // k} 行，于是有 {n % k} 行从未被验证。前 n % k 折必须各多一行：{want}。",
            }
        )
    expect_equal(f"fold sizes of {call}", sizes, want)


@check(
    points=2,
    title={
        "en": "Every row validated once, never trained on in its own fold",
        "zh": "每行恰好验证一次，且不在本折中参与训练",
    },
)
def partition(ctx):
    n, k = _sizes(ctx.rng)
    seed = _seed(ctx.rng)
    call = f"k_fold_indices({n}, {k}, shuffle=True, seed={seed})"
    folds = _folds(ctx, n, k, True, seed)
    for i, (train, val) in enumerate(folds):
        overlap = np.intersect1d(train, val)
        expect(
            overlap.size == 0,
            {
                "en": f"fold {i} of {call}: rows {overlap[:5].tolist()} are in both train_idx and val_idx. A model validated on rows it was trained on looks better than it is: train on every row EXCEPT the fold.",
                "zh": f"{call} 的第 {i} 折：行 {overlap[:5].tolist()} 同时出现在 train_idx 和 val_idx 中。在训练过的行上做验证，模型会显得比实际更好：应当用这一折**以外**的所有行训练。",
            },
        )
        expect_equal(
            f"sorted train_idx + val_idx of fold {i} of {call}",
            np.sort(np.concatenate([train, val])).tolist(),
            list(range(n)),
        )
    validated = np.sort(np.concatenate([val for _, val in folds]))
    expect(
        np.array_equal(validated, np.arange(n)),
        {
            "en": f"{call}: over the {k} folds, every row must be validated exactly once; the validation folds together are not 0..{n - 1}.",
            "zh": f"{call}：在 {k} 折中，每一行都必须恰好被验证一次；所有验证折合起来并不是 0..{n - 1}。",
        },
    )


@check(
    points=2,
    title={
        "en": "shuffle=True uses default_rng(seed).permutation(n)",
        "zh": "shuffle=True 时使用 default_rng(seed).permutation(n)",
    },
)
def shuffled(ctx):
    n, k = _sizes(ctx.rng)
    seed = _seed(ctx.rng)
    call = f"k_fold_indices({n}, {k}, shuffle=True, seed={seed})"
    got = _folds(ctx, n, k, True, seed)
    plain = [val.tolist() for _, val in KFold(n_splits=k).split(np.zeros(n))]
    if [val.tolist() for _, val in got] == plain:
        fail(
            {
                "en": f"{call} gives the same consecutive blocks as shuffle=False: with shuffle=True, cut np.random.default_rng(seed).permutation(n) into blocks instead of 0..n-1.",
                "zh": f"{call} 给出的仍是与 shuffle=False 相同的连续块：shuffle=True 时，应把 np.random.default_rng(seed).permutation(n) 而不是 0..n-1 切成块。",
            }
        )
    for i, ((_, val), (_, want_val)) in enumerate(
        zip(got, ctx.reference.k_fold_indices(n, k, True, seed), strict=True)
    ):
        expect_equal(f"sorted val_idx of fold {i} of {call}", val.tolist(), want_val.tolist())


@check(
    points=1,
    title={
        "en": "The edges k = 2 and k = n (one row per fold) are allowed",
        "zh": "边界 k = 2 和 k = n（每折一行）是允许的",
    },
)
def edge_k(ctx):
    n = int(ctx.rng.integers(5, 15))
    for k in (2, n):
        got = [val.tolist() for _, val in _folds(ctx, n, k, False, None)]
        want = [val.tolist() for _, val in KFold(n_splits=k).split(np.zeros(n))]
        expect_equal(f"the val_idx of each fold of k_fold_indices({n}, {k})", got, want)


@check(
    points=1,
    title={"en": "k < 2 or k > n raises ValueError", "zh": "k < 2 或 k > n 时抛出 ValueError"},
)
def invalid_k(ctx):
    n = int(ctx.rng.integers(5, 20))
    for k in (1, n + int(ctx.rng.integers(1, 5))):
        with expect_raises(f"k_fold_indices({n}, {k})", "ValueError"):
            ctx.learner.k_fold_indices(n, k)
