"""Hidden checks for lm/generation/kv-cache: cached calls against the uncached model.

Every check runs the learner's forward the way generation does (a prefix, then one token
or a few at a time, each call getting the previous call's cache) and compares the logits
with the model run once, without a cache, on the whole sequence. A mismatch is compared
with what the classic mistakes produce, so the message names the mistake.
"""

import math

import torch

from lmschool.grading.checks import check, expect_array, expect_equal, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en, zh):
    fail({"en": en, "zh": zh})


def _params(rng, V, C, T_max):
    def t(*shape, scale):
        return torch.from_numpy(rng.normal(scale=scale, size=shape))  # float64

    return {
        "wte": t(V, C, scale=0.6),
        "wpe": t(T_max, C, scale=0.6),
        "w_qkv": t(C, 3 * C, scale=0.4),
        "w_out": t(C, C, scale=0.4),
    }


def _forward(params, idx, n_head, cache=None, mistake=None):
    """The model; ``mistake`` reproduces a classic error of the cached path."""
    B, T = idx.shape
    C = params["wte"].shape[1]
    hs = C // n_head
    start = 0 if cache is None else cache[0].shape[2]
    first = start
    if cache is not None and mistake == "restart":
        first = 0
    if cache is not None and mistake == "off_by_one":
        first = start + 1
    x = params["wte"][idx] + params["wpe"][torch.arange(first, first + T)]
    q, k, v = (x @ params["w_qkv"]).split(C, dim=-1)
    q, k, v = (t.view(B, T, n_head, hs).transpose(1, 2) for t in (q, k, v))
    if cache is not None:
        k_all, v_all = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
    else:
        k_all, v_all = k, v
    if cache is not None and mistake == "past_only":
        k_att, v_att = cache
        allowed = torch.ones(T, start, dtype=torch.bool)
    else:
        k_att, v_att = k_all, v_all
        top_left = mistake == "top_left" or (mistake == "top_left_chunks" and T > 1)
        diagonal = 0 if top_left else start
        allowed = torch.ones(T, start + T, dtype=torch.bool).tril(diagonal=diagonal)
    att = (q @ k_att.transpose(-2, -1) / math.sqrt(hs)).masked_fill(~allowed, float("-inf"))
    y = (att.softmax(-1) @ v_att).transpose(1, 2).reshape(B, T, C)
    return (x + y @ params["w_out"]) @ params["wte"].T, (k_all, v_all)


def _run(params, seq, n_head, pieces, mistake=None):
    """Logits of every call when ``seq`` is fed in ``pieces`` (lengths), concatenated on time."""
    out, cache, at = [], None, 0
    for n in pieces:
        logits, cache = _forward(params, seq[:, at : at + n], n_head, cache, mistake)
        out.append(logits)
        at += n
    return torch.cat(out, dim=1)


MISTAKES = {
    "restart": (
        "The positions of the new tokens start again at 0 after a cache: a token fed after T_past cached ones sits at position T_past, T_past + 1, ... Offset the position embeddings by T_past = cache[0].shape[2].",
        "有缓存时新词元的位置又从 0 开始了：在 T_past 个缓存词元之后输入的词元位于 T_past、T_past + 1、……请把位置嵌入的下标偏移 T_past = cache[0].shape[2]。",
    ),
    "off_by_one": (
        "The positions after a cache are off by one: positions count from 0, so after T_past cached tokens the next one is at position T_past, not T_past + 1.",
        "有缓存时的位置错了一位：位置从 0 开始数，所以在 T_past 个缓存词元之后，下一个词元位于 T_past，而不是 T_past + 1。",
    ),
    "past_only": (
        "A new token attends only to the cached tokens, not to itself: append its key and value to the cache BEFORE computing the attention scores (without a cache, every token sees itself through the causal mask's diagonal).",
        "新词元只关注了缓存中的词元，没有关注它自己：请在计算注意力分数**之前**把它的键和值追加进缓存（不用缓存时，每个词元都通过因果掩码的对角线看到自己）。",
    ),
    "top_left_chunks": (
        "One new token at a time works, but a chunk of several new tokens after a cache gets a causal mask aligned to the top-left corner: new token i may see keys 0 .. T_past + i, so the mask is torch.ones(T, T_past + T).tril(diagonal=T_past), not .tril().",
        "一次一个新词元时是对的，但在缓存之后一次输入好几个新词元时，因果掩码对齐到了左上角：第 i 个新词元可以看到键 0 .. T_past + i，所以掩码应是 torch.ones(T, T_past + T).tril(diagonal=T_past)，而不是 .tril()。",
    ),
    "top_left": (
        "The causal mask is aligned to the top-left corner: with T_past cached keys, new token i may see keys 0 .. T_past + i, but torch.ones(T, T_past + T).tril() lets it see only keys 0 .. i (a single new token then sees only key 0). Shift the diagonal: .tril(diagonal=T_past).",
        "因果掩码对齐到了左上角：有 T_past 个缓存的键时，第 i 个新词元可以看到键 0 .. T_past + i，而 torch.ones(T, T_past + T).tril() 只让它看到键 0 .. i（只有一个新词元时它只能看到键 0）。请平移对角线：.tril(diagonal=T_past)。",
    ),
}


def _call(ctx, params, idx, n_head, cache, label, label_zh):
    """One learner call: (logits, (k, v)) checked for types and shapes."""
    got = ctx.learner.forward(params, idx, n_head, cache)
    if isinstance(got, RemoteObject) or not isinstance(got, (tuple, list)) or len(got) != 2:
        _fail(
            f"forward must return a tuple (logits, cache); {label}it returned something else.",
            f"forward 必须返回元组 (logits, cache)；{label_zh}它返回了别的东西。",
        )
    logits, new_cache = got
    if not isinstance(logits, torch.Tensor):
        _fail(
            f"The logits returned {label} must be a torch tensor.",
            f"{label_zh}返回的 logits 必须是 torch 张量。",
        )
    if not (
        isinstance(new_cache, (tuple, list))
        and len(new_cache) == 2
        and all(isinstance(t, torch.Tensor) for t in new_cache)
    ):
        _fail(
            f"The cache returned {label} must be a tuple (k, v) of two tensors.",
            f"{label_zh}返回的缓存必须是由两个张量组成的元组 (k, v)。",
        )
    return logits.detach().double(), tuple(t.detach().double() for t in new_cache)


def _cache_shape(got, want_len, B, nh, hs, past, new, label, label_zh):
    shape = tuple(got[0].shape)
    if shape == (B, nh, want_len, hs) and tuple(got[1].shape) == shape:
        return
    if len(shape) == 4 and shape[2] == past + 2 * new:
        _fail(
            f"After {label} the cache holds {shape[2]} positions instead of {want_len}: the new keys were appended twice.",
            f"{label_zh}之后缓存有 {shape[2]} 个位置，而不是 {want_len} 个：新的键被追加了两次。",
        )
    if len(shape) == 4 and past and shape[2] == 2 * past + new:
        _fail(
            f"After {label} the cache holds {shape[2]} positions instead of {want_len}: the cached keys were put in twice (the tensor you return already contains the past; do not concatenate the past to it again).",
            f"{label_zh}之后缓存有 {shape[2]} 个位置，而不是 {want_len} 个：缓存的键被放进去了两次（你返回的张量已经包含过去的键，不要再把过去的键拼接上去）。",
        )
    if len(shape) == 4 and shape[2] == new and past:
        _fail(
            f"After {label} the cache holds only the {new} new positions: it must keep the past too (the cached keys followed by the new ones, {want_len} positions).",
            f"{label_zh}之后缓存只存了 {new} 个新位置：它还必须保留过去的内容（先是缓存的键，后面接新的，一共 {want_len} 个位置）。",
        )
    _fail(
        f"After {label} the cache (k, v) must have shape {(B, nh, want_len, hs)} each (B, n_head, tokens seen, head size); got {shape} and {tuple(got[1].shape)}.",
        f"{label_zh}之后缓存 (k, v) 的形状都应为 {(B, nh, want_len, hs)}（B, n_head, 已见词元数, 每头维度）；你的是 {shape} 和 {tuple(got[1].shape)}。",
    )


def _learner_run(ctx, params, seq, n_head, pieces):
    B, hs = seq.shape[0], params["wte"].shape[1] // n_head
    out, cache, at = [], None, 0
    for i, n in enumerate(pieces):
        label = (
            "the first call"
            if i == 0
            else f"call {i + 1} ({n} new token{'s' if n > 1 else ''} after {at} cached)"
        )
        label_zh = (
            "第一次调用"
            if i == 0
            else f"第 {i + 1} 次调用（在 {at} 个缓存词元之后输入 {n} 个新词元）"
        )
        logits, cache = _call(
            ctx, params, seq[:, at : at + n], n_head, cache, f"in {label}, ", label_zh + "，"
        )
        if tuple(logits.shape) != (B, n, params["wte"].shape[0]):
            _fail(
                f"In {label} the logits have shape {tuple(logits.shape)}; expected {(B, n, params['wte'].shape[0])}: one row of V scores per NEW token.",
                f"{label_zh}中 logits 的形状为 {tuple(logits.shape)}；应为 {(B, n, params['wte'].shape[0])}：每个**新**词元一行 V 个分数。",
            )
        _cache_shape(cache, at + n, B, n_head, hs, at, n, label, label_zh)
        out.append(logits)
        at += n
    return torch.cat(out, dim=1)


def _compare(ctx, params, seq, n_head, pieces, what):
    got = _learner_run(ctx, params, seq, n_head, pieces)
    want, _ = _forward(params, seq, n_head)  # the whole sequence, no cache
    if not torch.allclose(got, want, rtol=1e-7, atol=1e-9):
        first = pieces[0]
        if torch.allclose(got[:, :first], want[:, :first], rtol=1e-7, atol=1e-9):
            for key, (en, zh) in MISTAKES.items():
                if torch.allclose(
                    got, _run(params, seq, n_head, pieces, key), rtol=1e-7, atol=1e-9
                ):
                    _fail(en, zh)
    expect_array(what, got.numpy(), want.numpy(), rtol=1e-7, atol=1e-9)


@check(
    points=2,
    title={
        "en": "Without a cache: logits and the returned keys and values",
        "zh": "不用缓存：logits 以及返回的键和值",
    },
)
def no_cache(ctx):
    V, C, nh = int(ctx.rng.integers(10, 20)), 12, 3
    params = _params(ctx.rng, V, C, 16)
    B, T = 2, int(ctx.rng.integers(5, 9))
    seq = torch.from_numpy(ctx.rng.integers(0, V, size=(B, T)))
    logits, cache = _call(ctx, params, seq, nh, None, "with cache=None, ", "cache=None 时，")
    want, (k, v) = _forward(params, seq, nh)
    expect_array(
        f"logits of forward(params, idx of shape {(B, T)}, n_head={nh})",
        logits.numpy(),
        want.numpy(),
        rtol=1e-7,
        atol=1e-9,
    )
    _cache_shape(cache, T, B, nh, C // nh, 0, T, "a call with cache=None", "cache=None 的调用")
    expect_array(
        "the keys k of the returned cache", cache[0].numpy(), k.numpy(), rtol=1e-7, atol=1e-9
    )
    expect_array(
        "the values v of the returned cache", cache[1].numpy(), v.numpy(), rtol=1e-7, atol=1e-9
    )


@check(
    points=3,
    title={
        "en": "A prefix, then one token at a time: the uncached logits",
        "zh": "先输入前缀，再一次一个词元：与不用缓存的 logits 一致",
    },
)
def one_token_at_a_time(ctx):
    V, C, nh = int(ctx.rng.integers(10, 20)), 16, 4
    P, steps = int(ctx.rng.integers(3, 6)), 8
    params = _params(ctx.rng, V, C, P + steps + 2)
    seq = torch.from_numpy(ctx.rng.integers(0, V, size=(1, P + steps)))
    _compare(
        ctx,
        params,
        seq,
        nh,
        [P] + [1] * steps,
        f"logits of a {P}-token prefix and then {steps} single tokens",
    )


@check(
    points=2,
    title={"en": "Chunks of several tokens after a cache", "zh": "在缓存之后一次输入好几个词元"},
)
def chunks_after_cache(ctx):
    V, C, nh = int(ctx.rng.integers(10, 20)), 12, 2
    params = _params(ctx.rng, V, C, 20)
    seq = torch.from_numpy(ctx.rng.integers(0, V, size=(2, 14)))
    pieces = [int(ctx.rng.integers(3, 6))]
    pieces += [4, 1, 14 - pieces[0] - 5]
    _compare(
        ctx, params, seq, nh, pieces, f"logits of a batch of 2 sequences fed in pieces {pieces}"
    )


@check(
    points=1,
    title={
        "en": "Greedy generation through the cache gives the uncached tokens",
        "zh": "通过缓存做贪心生成，得到与不用缓存相同的词元",
    },
)
def greedy_generation(ctx):
    V, C, nh = int(ctx.rng.integers(12, 24)), 16, 2
    P, n_new = 4, 12
    params = _params(ctx.rng, V, C, P + n_new)
    prompt = [int(t) for t in ctx.rng.integers(0, V, size=P)]
    want = list(prompt)
    for _ in range(n_new):  # recompute everything for every new token
        logits, _ = _forward(params, torch.tensor([want]), nh)
        want.append(int(logits[0, -1].argmax()))
    got, cache = list(prompt), None
    logits, cache = _call(
        ctx, params, torch.tensor([prompt]), nh, None, "on the prompt, ", "输入提示词时，"
    )
    for step in range(n_new):
        got.append(int(logits[0, -1].argmax()))
        if step + 1 < n_new:
            logits, cache = _call(
                ctx,
                params,
                torch.tensor([[got[-1]]]),
                nh,
                cache,
                f"at generation step {step + 1}, ",
                f"生成第 {step + 1} 步时，",
            )
    expect_equal(
        f"the {n_new} tokens generated greedily after the prompt {prompt}", got[P:], want[P:]
    )
