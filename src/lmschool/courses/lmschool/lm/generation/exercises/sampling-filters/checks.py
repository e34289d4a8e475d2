"""Hidden checks for lm/generation/sampling-filters.

Rows are random, or built with ties at the boundary; every p lies in the middle of a gap
between two cumulative probabilities (at least 1e-3 from either), so float32 rounding
never decides which token is kept. When a result is wrong, it is compared with the
outputs of the usual mistakes so that the message names the mistake.
"""

import numpy as np
import torch
from torch.nn import functional as F

from lmschool.grading.checks import check, expect_array, expect_raises, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en, zh):
    fail({"en": en, "zh": zh})


def _array(name, got, shape):
    """The learner's tensor as float64 NumPy of the expected shape, or a failure that says why."""
    if isinstance(got, RemoteObject) or not isinstance(got, (torch.Tensor, np.ndarray)):
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        _fail(
            f"{name} must return a torch tensor, not a {kind}.",
            f"{name} 必须返回 torch 张量，而不是 {kind}。",
        )
    arr = got.detach().cpu().numpy() if isinstance(got, torch.Tensor) else np.asarray(got)
    arr = arr.astype(np.float64)
    if arr.shape != tuple(shape):
        _fail(
            f"{name} returned shape {arr.shape}; it must keep the input's shape {tuple(shape)} (filter along the last axis, row by row).",
            f"{name} 返回的形状为 {arr.shape}；它必须保持输入的形状 {tuple(shape)}（沿最后一个轴逐行过滤）。",
        )
    return arr


# ---------------------------------------------------------------- the usual mistakes


def _keep_set(x):
    """Boolean kept-mask of a filtered array (finite = kept)."""
    return np.isfinite(x)


def _topk_no_ties(logits, k):
    """Exactly k tokens (torch.topk's indices): ties at the boundary are broken."""
    idx = torch.topk(logits, min(k, logits.shape[-1]), dim=-1).indices
    keep = torch.zeros_like(logits, dtype=torch.bool).scatter(-1, idx, True)
    return logits.masked_fill(~keep, float("-inf"))


def _topp_cum_le(logits, p):
    """Keeps a token when the cumulative mass INCLUDING it is <= p (drops the one that crosses p)."""
    s, order = torch.sort(logits, descending=True, dim=-1)
    drop = F.softmax(s, dim=-1).cumsum(-1) > p
    return logits.masked_fill(drop.scatter(-1, order, drop), float("-inf"))


def _topp_unsorted(logits, p):
    """Decides in sorted order but applies the decision to positions in vocabulary order."""
    s, _ = torch.sort(logits, descending=True, dim=-1)
    probs = F.softmax(s, dim=-1)
    drop = (probs.cumsum(-1) - probs) >= p
    return logits.masked_fill(drop, float("-inf"))


def _topp_no_ties(logits, p):
    """The nucleus in sort order, with a tie at the boundary cut."""
    s, order = torch.sort(logits, descending=True, dim=-1, stable=True)
    probs = F.softmax(s, dim=-1)
    drop = (probs.cumsum(-1) - probs) >= p
    return logits.masked_fill(drop.scatter(-1, order, drop), float("-inf"))


TOPP_MISTAKES = [
    (
        _topp_cum_le,
        "You keep a token only when the cumulative probability including it is <= p, so the token that makes the mass reach p is dropped (and a row whose most likely token alone has more than p loses every token). Keep a token when the mass ranked BEFORE it is < p.",
        "你只在“包括该词元在内的累计概率 <= p”时才保留它，于是让总概率达到 p 的那个词元被去掉了（如果一行中最可能的词元单独就超过 p，整行都会被去掉）。应当在“排在它之前的概率之和 < p”时保留该词元。",
    ),
    (
        _topp_unsorted,
        "The keep/drop decision was made on the sorted row but applied to the original positions: position i of the sorted row is not token i. Map the decision back to vocabulary order (scatter with the sort indices, or compare the logits with the last kept logit).",
        "保留/去掉的决定是在排序后的行上做出的，却直接用在了原来的位置上：排序后第 i 个位置并不是词元 i。请把决定映射回词表顺序（用排序索引 scatter 回去，或者把 logits 与最后一个保留的 logit 比较）。",
    ),
    (
        _topp_no_ties,
        "A tie at the boundary was cut: tokens with exactly the same logit as the last kept token must be kept too (sorting puts tied tokens in an arbitrary order, so cutting between them depends on that order).",
        "边界上的并列被切开了：与最后一个保留词元 logit 完全相同的词元也必须保留（排序时并列词元的先后是任意的，在它们之间切开就取决于这个任意的顺序）。",
    ),
]


def _diagnose(got, logits, p, mistakes):
    for fn, en, zh in mistakes:
        if np.array_equal(_keep_set(got), _keep_set(fn(logits, p).double().numpy())):
            _fail(en, zh)


def _compare_filter(name, got, logits, want, mistakes=(), arg=None):
    """Kept sets equal, kept logits unchanged, removed ones -inf."""
    got = _array(name, got, logits.shape)
    want = want.double().numpy()
    if np.isnan(got).any():
        _fail(
            f"{name} returned NaN. A filter only replaces logits by -inf; it never divides or takes logs.",
            f"{name} 返回了 NaN。过滤器只把 logit 换成 -inf，不做除法也不取对数。",
        )
    if (
        np.any(np.isposinf(got))
        or np.any(np.isneginf(got) & np.isfinite(want))
        or np.any(np.isfinite(got) & np.isneginf(want))
    ):
        _diagnose(got, logits, arg, mistakes)
        if np.any(~np.isfinite(got).any(axis=-1)):
            _fail(
                f"{name} removed every token of some row: at least the most likely token must stay.",
                f"{name} 把某一行的所有词元都去掉了：至少最可能的那个词元必须保留。",
            )
        _diagnose(got, logits, arg, mistakes)
        kept_got = np.isfinite(got).sum(axis=-1).ravel()
        kept_want = np.isfinite(want).sum(axis=-1).ravel()
        row = int(np.argmax(kept_got != kept_want)) if np.any(kept_got != kept_want) else 0
        _fail(
            f"{name} keeps the wrong tokens: in row {row} (rows of the last axis, flattened) you keep {kept_got[row]} tokens, the rule keeps {kept_want[row]}.",
            f"{name} 保留的词元不对：在第 {row} 行（把最后一个轴之外的轴展平后计数）你保留了 {kept_got[row]} 个词元，按规则应保留 {kept_want[row]} 个。",
        )
    finite = np.isfinite(want)
    if not np.allclose(got[finite], want[finite], rtol=1e-6, atol=1e-6):
        _fail(
            f"{name} changed the logits it keeps: a kept token must keep its logit exactly (no softmax, no rescaling inside a filter).",
            f"{name} 改动了保留下来的 logit：被保留的词元必须保持原来的 logit（过滤器里不做 softmax，也不做缩放）。",
        )


def _rows_with_gaps(rng, shape, scale=2.0):
    """Random float32 logits and, per call, a p in the middle of a wide gap of every row's cumsum."""
    logits = torch.from_numpy(rng.normal(scale=scale, size=shape).astype(np.float32))
    probs = np.sort(F.softmax(logits.double(), dim=-1).numpy().reshape(-1, shape[-1]), axis=1)[
        :, ::-1
    ]
    cum = np.cumsum(probs, axis=1)
    for _ in range(200):
        p = float(rng.uniform(0.3, 0.95))
        if np.min(np.abs(cum - p)) > 1e-3:
            return logits, p
    return logits, 0.5  # pragma: no cover (never needed for these shapes)


# ---------------------------------------------------------------- top-k


@check(points=2, title={"en": "top_k_filter on a batch of rows", "zh": "对一批行做 top_k_filter"})
def top_k_batch(ctx):
    B, V = int(ctx.rng.integers(3, 6)), int(ctx.rng.integers(12, 30))
    logits = torch.from_numpy(ctx.rng.normal(size=(B, V)).astype(np.float32))
    k = int(ctx.rng.integers(2, V - 2))
    got = ctx.learner.top_k_filter(logits, k)
    got_arr = _array(f"top_k_filter(logits of shape {(B, V)}, k={k})", got, (B, V))
    kept = np.isfinite(got_arr).sum(axis=-1)
    if np.isfinite(got_arr).sum(axis=0).max() == B and kept.max() != k:
        _fail(
            f"Rows keep {sorted(set(kept.tolist()))} tokens instead of {k}: the filter works along the wrong axis. Take the k largest of each ROW (dim=-1).",
            f"各行保留了 {sorted(set(kept.tolist()))} 个词元，而不是 {k} 个：过滤沿着错误的轴进行。请在每一**行**中取最大的 k 个（dim=-1）。",
        )
    _compare_filter(
        f"top_k_filter(logits of shape {(B, V)}, k={k})",
        got,
        logits,
        ctx.reference.top_k_filter(logits, k),
    )


@check(
    points=1,
    title={
        "en": "top_k_filter keeps ties at the k-th value",
        "zh": "top_k_filter 保留与第 k 大值并列的词元",
    },
)
def top_k_ties(ctx):
    V = int(ctx.rng.integers(10, 16))
    rows = []
    for _ in range(3):
        row = ctx.rng.permutation(V).astype(np.float32)  # distinct integers 0..V-1
        row[row == V - 4] = V - 3  # the 3rd and 4th largest are now tied
        rows.append(row)
    logits = torch.from_numpy(np.stack(rows))
    got = ctx.learner.top_k_filter(logits, 3)
    got_arr = _array("top_k_filter(logits, k=3)", got, logits.shape)
    if np.isfinite(got_arr).sum(axis=-1).max() == 3 and np.isfinite(got_arr).sum() == 9:
        _fail(
            "Each row has two tokens tied at the 3rd largest logit and top_k_filter(logits, 3) kept only 3 tokens: a tie at the k-th value must be kept whole (compare the logits with the k-th largest VALUE instead of taking exactly k indices).",
            "每行都有两个词元并列第 3 大，而 top_k_filter(logits, 3) 只保留了 3 个词元：与第 k 大值并列的词元必须整组保留（把 logits 与第 k 大的**值**比较，而不是恰好取 k 个下标）。",
        )
    _compare_filter("top_k_filter(logits, k=3)", got, logits, ctx.reference.top_k_filter(logits, 3))


@check(
    points=1,
    title={
        "en": "top_k_filter edge cases: k >= V, k = 1, k < 1, 3-D input",
        "zh": "top_k_filter 的边界情况：k >= V、k = 1、k < 1、三维输入",
    },
)
def top_k_edges(ctx):
    V = int(ctx.rng.integers(6, 12))
    logits = torch.from_numpy(ctx.rng.normal(size=(2, 3, V)).astype(np.float32))
    for k in (V, V + 5, 1):
        _compare_filter(
            f"top_k_filter(logits of shape {(2, 3, V)}, k={k})",
            ctx.learner.top_k_filter(logits, k),
            logits,
            ctx.reference.top_k_filter(logits, k),
        )
    with expect_raises("top_k_filter(logits, k=0)", "ValueError"):
        ctx.learner.top_k_filter(logits, 0)


# ---------------------------------------------------------------- top-p


@check(
    points=2,
    title={
        "en": "top_p_filter on a batch with two leading axes",
        "zh": "对带两个前导轴的批量做 top_p_filter",
    },
)
def top_p_batch(ctx):
    shape = (2, int(ctx.rng.integers(2, 4)), int(ctx.rng.integers(15, 30)))
    logits, p = _rows_with_gaps(ctx.rng, shape)
    p = round(p, 4)
    while True:  # keep p in a gap after rounding it for the message
        cum = np.cumsum(
            np.sort(F.softmax(logits.double(), -1).numpy().reshape(-1, shape[-1]), 1)[:, ::-1], 1
        )
        if np.min(np.abs(cum - p)) > 5e-4:
            break
        p = round(p + 0.0013, 4)
    _compare_filter(
        f"top_p_filter(logits of shape {shape}, p={p})",
        ctx.learner.top_p_filter(logits, p),
        logits,
        ctx.reference.top_p_filter(logits, p),
        TOPP_MISTAKES,
        p,
    )


@check(
    points=1,
    title={
        "en": "top_p_filter always keeps the most likely token",
        "zh": "top_p_filter 总会保留最可能的词元",
    },
)
def top_p_keeps_the_top(ctx):
    V = int(ctx.rng.integers(8, 20))
    logits = torch.from_numpy(ctx.rng.normal(size=(3, V)).astype(np.float32))
    logits[torch.arange(3), torch.from_numpy(ctx.rng.integers(0, V, size=3))] += (
        6.0  # one token > 0.8
    )
    for p in (0.5, 1e-6):
        _compare_filter(
            f"top_p_filter(logits, p={p}) where the most likely token alone holds more than p",
            ctx.learner.top_p_filter(logits, p),
            logits,
            ctx.reference.top_p_filter(logits, p),
            TOPP_MISTAKES,
            p,
        )


@check(
    points=1,
    title={"en": "top_p_filter keeps a tie at the boundary", "zh": "top_p_filter 保留边界上的并列"},
)
def top_p_ties(ctx):
    V = int(ctx.rng.integers(8, 14))
    base = np.sort(ctx.rng.normal(scale=0.3, size=V))[::-1].copy()
    base[0] += 2.0  # the top token holds about half the mass
    base[1:4] = base[1] + 0.5  # three tokens tied in 2nd place
    perm = ctx.rng.permutation(V)
    logits = torch.from_numpy(base[perm].astype(np.float32))[None]
    probs = np.sort(F.softmax(logits.double(), -1).numpy()[0])[::-1]
    p = float(probs[0] + 0.5 * probs[1])  # reached halfway through the tie
    _compare_filter(
        f"top_p_filter(logits, p={p:.4f}) with three tokens tied at the boundary",
        ctx.learner.top_p_filter(logits, p),
        logits,
        ctx.reference.top_p_filter(logits, p),
        TOPP_MISTAKES,
        p,
    )


@check(
    points=1,
    title={
        "en": "top_p_filter edge cases: p = 1, -inf inputs, invalid p",
        "zh": "top_p_filter 的边界情况：p = 1、输入含 -inf、非法的 p",
    },
)
def top_p_edges(ctx):
    V = int(ctx.rng.integers(10, 20))
    logits = torch.from_numpy(ctx.rng.normal(size=(2, V)).astype(np.float32))
    logits[:, 0] = -40.0  # probability about 1e-18: p = 1 must keep it anyway
    _compare_filter(
        "top_p_filter(logits, p=1.0)", ctx.learner.top_p_filter(logits, 1.0), logits, logits
    )
    k = int(ctx.rng.integers(3, 6))
    after_k = ctx.reference.top_k_filter(logits, k)
    probs = np.sort(F.softmax(after_k.double(), -1).numpy(), axis=1)[:, ::-1]
    for p in np.linspace(0.35, 0.95, 61):
        if np.min(np.abs(np.cumsum(probs, 1) - p)) > 1e-3:
            break
    p = float(round(p, 2))
    _compare_filter(
        f"top_p_filter(top_k_filter(logits, {k}), p={p}) (the input holds -inf)",
        ctx.learner.top_p_filter(after_k, p),
        after_k,
        ctx.reference.top_p_filter(after_k, p),
        TOPP_MISTAKES,
        p,
    )
    for bad in (0.0, 1.5):
        with expect_raises(f"top_p_filter(logits, p={bad})", "ValueError"):
            ctx.learner.top_p_filter(logits, bad)


# ---------------------------------------------------------------- next_token_probs


@check(
    points=2,
    title={
        "en": "next_token_probs: temperature, then top-k, then top-p, renormalised",
        "zh": "next_token_probs：先温度，再 top-k、top-p，然后重新归一化",
    },
)
def probs_pipeline(ctx):
    B, V = 4, int(ctx.rng.integers(15, 30))
    logits = torch.from_numpy(ctx.rng.normal(scale=2.0, size=(B, V)).astype(np.float32))
    temperature = float(ctx.rng.choice([0.5, 0.7, 1.5, 2.0]))
    top_k = int(ctx.rng.integers(6, V - 3))
    tempered = ctx.reference.top_k_filter(logits / temperature, top_k)
    probs = np.sort(F.softmax(tempered.double(), -1).numpy(), axis=1)[:, ::-1]
    cum_t = np.cumsum(probs, 1)
    raw = np.sort(
        F.softmax(ctx.reference.top_k_filter(logits, top_k).double(), -1).numpy(), axis=1
    )[:, ::-1]
    cum_r = np.cumsum(raw, 1)
    best, top_p = -1.0, 0.8
    for p in np.linspace(0.3, 0.95, 131):  # a p where the tempered and untempered nuclei differ
        margin = min(np.min(np.abs(cum_t - p)), np.min(np.abs(cum_r - p)))
        differs = ((cum_t - probs) < p).sum() != ((cum_r - raw) < p).sum()
        if margin > 1e-3 and differs and margin > best:
            best, top_p = margin, float(p)
    top_p = float(round(top_p, 3))
    call = f"next_token_probs(logits, temperature={temperature}, top_k={top_k}, top_p={top_p})"
    got = _array(call, ctx.learner.next_token_probs(logits, temperature, top_k, top_p), (B, V))
    want = ctx.reference.next_token_probs(logits, temperature, top_k, top_p).double().numpy()
    if np.isnan(got).any():
        _fail(
            f"{call} returned NaN: some row has no token left after your filters (a softmax of only -inf), or something was divided by 0. Every filter must keep at least the most likely token.",
            f"{call} 返回了 NaN：某一行经过你的过滤后一个词元都不剩（对全是 -inf 的行做 softmax），或者有除以 0 的运算。每个过滤器都必须至少保留最可能的词元。",
        )
    sums = got.sum(axis=-1)
    if np.all(np.isfinite(got)) and not np.allclose(sums, 1.0, atol=1e-5):
        _fail(
            f"The rows of {call} sum to {np.round(sums, 4).tolist()}, not 1: after removing tokens, the probabilities of the kept ones must be renormalised (softmax over the filtered logits, with -inf for removed tokens, does it).",
            f"{call} 各行之和为 {np.round(sums, 4).tolist()}，不是 1：去掉一些词元之后，保留词元的概率必须重新归一化（对过滤后的 logits 做 softmax，被去掉的词元为 -inf，就做到了这一点）。",
        )
    wrong_order = (
        F.softmax(
            ctx.reference.top_p_filter(ctx.reference.top_k_filter(logits, top_k), top_p)
            / temperature,
            -1,
        )
        .double()
        .numpy()
    )
    if not np.allclose(got, want, atol=1e-6) and np.allclose(got, wrong_order, atol=1e-6):
        _fail(
            "The nucleus was chosen before dividing by the temperature: top-p must run on the tempered logits (a high temperature flattens the distribution, so more tokens are needed to reach p).",
            "核（nucleus）是在除以温度之前选出来的：top-p 必须作用在已除过温度的 logits 上（温度高时分布更平，需要更多词元才能达到 p）。",
        )
    expect_array(call, got, want, rtol=1e-5, atol=1e-6)


@check(
    points=1,
    title={
        "en": "next_token_probs: temperature 0 is greedy, a negative one is refused",
        "zh": "next_token_probs：温度 0 是贪心解码，负温度被拒绝",
    },
)
def probs_temperature_zero(ctx):
    V = int(ctx.rng.integers(8, 16))
    logits = torch.from_numpy(ctx.rng.normal(size=(3, V)).astype(np.float32))
    logits[2, 1] = logits[2, 4] = logits[2].max() + 1.0  # a tie: the first index wins
    got = _array(
        "next_token_probs(logits, temperature=0)", ctx.learner.next_token_probs(logits, 0.0), (3, V)
    )
    if np.isnan(got).any():
        _fail(
            "next_token_probs(logits, temperature=0) returned NaN: dividing by 0 does not work. Treat temperature 0 as its limit: all the probability on the arg max.",
            "next_token_probs(logits, temperature=0) 返回了 NaN：不能除以 0。把温度 0 当作它的极限来处理：全部概率放在最大值处。",
        )
    expect_array(
        "next_token_probs(logits, temperature=0) (a one-hot row at the first arg max)",
        got,
        ctx.reference.next_token_probs(logits, 0.0).double().numpy(),
    )
    for bad in (-0.5,):
        with expect_raises(f"next_token_probs(logits, temperature={bad})", "ValueError"):
            ctx.learner.next_token_probs(logits, bad)
    t = float(ctx.rng.choice([0.25, 4.0]))
    expect_array(
        f"next_token_probs(logits, temperature={t})",
        _array(
            f"next_token_probs(logits, temperature={t})",
            ctx.learner.next_token_probs(logits, t),
            (3, V),
        ),
        ctx.reference.next_token_probs(logits, t).double().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )
