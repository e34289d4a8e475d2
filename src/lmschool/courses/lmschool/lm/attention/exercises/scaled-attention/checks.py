"""Hidden checks for lm/attention/scaled-attention: compared with torch's scaled_dot_product_attention.

Inputs are float64 tensors with batch and head axes, Tq != Tk and d_k != d_v, so that a
transposed product, a scale by the wrong dimension or a softmax over the wrong axis
changes the result. When the output is wrong, it is compared with the outputs of the
usual mistakes so that the message can name the one made.
"""

import math

import numpy as np
import torch
from torch.nn import functional as F

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import LearnerError, RemoteObject


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


def _t(x) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64))


def _as_array(name, got):
    if isinstance(got, RemoteObject):
        _fail(
            f"{name} must be a tensor, not a {got.type_name}.",
            f"{name} 必须是张量，而不是 {got.type_name}。",
        )
    if got is None:
        _fail(f"{name} is None.", f"{name} 是 None。")
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} must be a tensor of numbers.", f"{name} 必须是数值张量。")


def _sdpa(q, k, v, mask=None):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask).numpy()


def _variants(q, k, v, mask):
    """Outputs of the usual mistakes, keyed by the diagnosis."""
    d_k, d_v = q.shape[-1], v.shape[-1]
    raw = q @ k.transpose(-2, -1)
    out = {}

    def finish(scores, dim=-1, m=mask):
        if m is not None:
            scores = scores.masked_fill(~m, float("-inf"))
        return torch.softmax(scores, dim=dim) @ v

    out["no_scale"] = finish(raw)
    out["scale_dk"] = finish(raw / d_k)
    if d_v != d_k:
        out["scale_dv"] = finish(raw / math.sqrt(d_v))
    if q.shape[-2] == k.shape[-2] or mask is None:
        out["axis"] = finish(raw / math.sqrt(d_k), dim=-2)
    if mask is not None:
        out["no_mask"] = finish(raw / math.sqrt(d_k), m=None)
        out["inverted"] = finish(raw / math.sqrt(d_k), m=~mask)
        w = torch.softmax(raw / math.sqrt(d_k), dim=-1) * mask  # zeroed after, not renormalised
        out["after"] = w @ v
    return {key: val.numpy() for key, val in out.items()}


MESSAGES = {
    "no_scale": (
        "The scores are not scaled: divide q k^T by sqrt(d_k) before the softmax.",
        "分数没有缩放：在 softmax 之前要把 q k^T 除以 sqrt(d_k)。",
    ),
    "scale_dk": (
        "The scores are divided by d_k; divide by its square root, sqrt(d_k): that is what brings their variance back to about 1.",
        "分数被除以了 d_k；应当除以它的平方根 sqrt(d_k)：这样才能把分数的方差拉回到 1 左右。",
    ),
    "scale_dv": (
        "The scores are divided by sqrt(d_v), the size of the values; the scale is sqrt(d_k), the size of the queries and keys (q.shape[-1]) whose dot products they are.",
        "分数被除以了 sqrt(d_v)（值向量的维度）；缩放因子是 sqrt(d_k)，即查询和键的维度 q.shape[-1]，分数正是它们的点积。",
    ),
    "axis": (
        "The softmax runs over the queries (dim=-2): each query's weights over the KEYS must sum to 1, so use dim=-1.",
        "softmax 是沿查询方向（dim=-2）计算的：每个查询对所有“键”的权重之和必须为 1，所以要用 dim=-1。",
    ),
    "no_mask": (
        "The mask is ignored: the output is the same as without it.",
        "掩码被忽略了：输出和不加掩码时一样。",
    ),
    "inverted": (
        "The mask is used the wrong way round: here True means the query MAY attend to that key (the convention of F.scaled_dot_product_attention). Fill the scores where the mask is False: scores.masked_fill(~mask, float('-inf')). (nn.MultiheadAttention's key_padding_mask is the opposite: True = ignore.)",
        "掩码用反了：这里 True 表示查询“可以”关注这个键（F.scaled_dot_product_attention 的约定）。应在掩码为 False 的位置填充：scores.masked_fill(~mask, float('-inf'))。（nn.MultiheadAttention 的 key_padding_mask 恰好相反：True 表示忽略。）",
    ),
    "after": (
        "Masked keys are zeroed AFTER the softmax, so the remaining weights no longer sum to 1 and the output shrinks. Put -inf in the masked scores BEFORE the softmax; it then spreads all the weight over the allowed keys.",
        "被掩码的键是在 softmax“之后”才置零的，剩下的权重之和不再是 1，输出整体变小。请在 softmax“之前”把被掩码的分数设为 -inf，softmax 会把全部权重分给允许的键。",
    ),
}


def _problem(rng, B, H, Tq, Tk, d_k, d_v, scale=1.0):
    q = _t(rng.normal(scale=scale, size=(B, H, Tq, d_k)))
    k = _t(rng.normal(scale=scale, size=(B, H, Tk, d_k)))
    v = _t(rng.normal(size=(B, H, Tk, d_v)))
    return q, k, v


def _compare(ctx, q, k, v, mask, label):
    got = _as_array("attention(q, k, v, mask)", ctx.learner.attention(q, k, v, mask))
    want = _sdpa(q, k, v, mask)
    if got.shape == want.shape and not np.allclose(got, want, rtol=1e-6, atol=1e-9):
        for key, wrong in _variants(q, k, v, mask).items():
            if np.allclose(got, wrong, rtol=1e-6, atol=1e-9, equal_nan=True):
                _fail(*MESSAGES[key])
    if got.shape != want.shape and got.shape == want.shape[:-2] + want.shape[-2:][::-1]:
        _fail(
            f"The output has shape {got.shape}, the transpose of {want.shape}: it must be (..., Tq, d_v), i.e. weights (..., Tq, Tk) @ v (..., Tk, d_v).",
            f"输出形状为 {got.shape}，是 {want.shape} 的转置：它应当是 (..., Tq, d_v)，即权重 (..., Tq, Tk) @ v (..., Tk, d_v)。",
        )
    expect_array(f"attention(q, k, v, mask) {label}", got, want, rtol=1e-6, atol=1e-9)
    return got, want


def _sizes(rng):
    d_k = int(rng.integers(3, 7))
    return {
        "B": int(rng.integers(2, 4)),
        "H": int(rng.integers(2, 4)),
        "Tq": int(rng.integers(3, 6)),
        "Tk": int(rng.integers(6, 9)),
        "d_k": d_k,
        "d_v": d_k + int(rng.integers(1, 4)),
    }


@check(
    points=2,
    title={
        "en": "No mask: batch and head axes, Tq != Tk, d_k != d_v",
        "zh": "无掩码：带批量和头的维度，Tq != Tk，d_k != d_v",
    },
)
def no_mask(ctx):
    s = _sizes(ctx.rng)
    q, k, v = _problem(ctx.rng, **s)
    _compare(ctx, q, k, v, None, "with q (B, H, Tq, d_k), k (B, H, Tk, d_k), v (B, H, Tk, d_v)")


@check(
    points=1,
    title={"en": "Works without batch axes: q (Tq, d_k)", "zh": "没有批量维度也能用：q (Tq, d_k)"},
)
def two_dimensional(ctx):
    s = _sizes(ctx.rng)
    q, k, v = _problem(ctx.rng, 1, 1, s["Tq"], s["Tk"], s["d_k"], s["d_v"])
    _compare(
        ctx,
        q[0, 0],
        k[0, 0],
        v[0, 0],
        None,
        "with 2-D q, k, v (use k.transpose(-2, -1), not a fixed axis)",
    )


@check(points=2, title={"en": "Causal mask", "zh": "因果掩码"})
def causal(ctx):
    s = _sizes(ctx.rng)
    T = s["Tk"]
    q, k, v = _problem(ctx.rng, s["B"], s["H"], T, T, s["d_k"], s["d_v"])
    mask = torch.ones(T, T, dtype=torch.bool).tril()  # (T, T), broadcast over B and H
    _compare(ctx, q, k, v, mask, "with a causal (T, T) mask")


@check(points=2, title={"en": "Padding mask (B, 1, 1, Tk)", "zh": "填充掩码 (B, 1, 1, Tk)"})
def padding(ctx):
    s = _sizes(ctx.rng)
    q, k, v = _problem(ctx.rng, **s)
    lengths = ctx.rng.integers(2, s["Tk"], size=s["B"])
    lengths[0] = s["Tk"]  # one sequence without padding
    keep = torch.from_numpy(np.arange(s["Tk"])[None, :] < lengths[:, None])  # (B, Tk)
    _compare(ctx, q, k, v, keep[:, None, None, :], "with a padding mask of shape (B, 1, 1, Tk)")


@check(points=1, title={"en": "Large scores stay finite", "zh": "分数很大时结果仍是有限值"})
def large_scores(ctx):
    s = _sizes(ctx.rng)
    q, k, v = _problem(ctx.rng, **s, scale=30.0)  # scores of several hundred
    got = _as_array("attention(q, k, v)", ctx.learner.attention(q, k, v, None))
    if got.shape == _sdpa(q, k, v).shape and not np.all(np.isfinite(got)):
        _fail(
            "With scores of several hundred your output holds NaN or inf: exp(800) overflows. Subtract each row's maximum before exp (softmax is unchanged by it), or use torch.softmax, which does.",
            "分数达到几百时你的输出里出现了 NaN 或 inf：exp(800) 溢出了。在取 exp 之前减去每行的最大值（这不会改变 softmax 的结果），或者直接用 torch.softmax，它就是这样做的。",
        )
    _compare(ctx, q, k, v, None, "with scores of several hundred")


@check(
    points=1,
    title={"en": "A query with no allowed key gets zeros", "zh": "没有可关注键的查询输出为零"},
)
def fully_masked_row(ctx):
    s = _sizes(ctx.rng)
    q, k, v = _problem(ctx.rng, **s)
    mask = torch.from_numpy(ctx.rng.random((s["Tq"], s["Tk"])) < 0.7)
    mask[:, 0] = True
    row = int(ctx.rng.integers(0, s["Tq"]))
    mask[row] = False  # this query may attend to nothing
    got = _as_array("attention(q, k, v, mask)", ctx.learner.attention(q, k, v, mask))
    want = _sdpa(q, k, v, mask)
    if got.shape == want.shape and not np.all(np.isfinite(got[..., row, :])):
        _fail(
            f"Query {row} may attend to no key (its mask row is all False) and your output there is NaN: softmax of a row of -inf is 0/0. Give such rows an output of zeros, as F.scaled_dot_product_attention does: e.g. replace their scores by 0 before the softmax and their weights by 0 after it.",
            f"第 {row} 个查询没有任何可关注的键（掩码这一行全为 False），你在这里的输出是 NaN：全为 -inf 的一行做 softmax 得到 0/0。请让这样的行输出全零，与 F.scaled_dot_product_attention 一致：例如在 softmax 之前把它们的分数换成 0，之后再把它们的权重置为 0。",
        )
    if (
        got.shape == want.shape
        and np.allclose(np.delete(got, row, axis=-2), np.delete(want, row, axis=-2))
        and not np.allclose(got[..., row, :], 0.0)
    ):
        _fail(
            f"Query {row} may attend to no key, yet its output is not zero: it looks like it attends to every key equally (a large negative number such as -1e9 instead of -inf gives exactly that). Its output must be zeros.",
            f"第 {row} 个查询没有任何可关注的键，但它的输出不是零：看起来它平均地关注了所有键（用 -1e9 这样的大负数代替 -inf 就会这样）。它的输出必须是全零。",
        )
    expect_array(
        "attention(q, k, v, mask) with a fully masked row", got, want, rtol=1e-6, atol=1e-9
    )


GRAPH_CUT = (
    "No gradient reached q, k or v: your attention cuts the computation graph, e.g. with .detach(), .item(), .numpy() or torch.tensor(...) on an intermediate result, or by computing in NumPy. Use only torch operations on the tensors you are given.",
    "梯度没有传到 q、k 或 v：你的 attention 切断了计算图，例如对中间结果用了 .detach()、.item()、.numpy() 或 torch.tensor(...)，或者改用 NumPy 计算。请只对传入的张量使用 torch 运算。",
)


def _grads(ctx, q, k, v, mask, g):
    try:
        got = ctx.learner.attention_grads(q, k, v, mask, g)
    except LearnerError as e:
        if "does not require grad" in e.message or "requires grad" in e.message:
            _fail(*GRAPH_CUT)
        raise
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        _fail(
            "attention_grads must return (dq, dk, dv): keep the given function as it is.",
            "attention_grads 必须返回 (dq, dk, dv)：请保持给定的函数不变。",
        )
    if any(x is None for x in got):
        _fail(*GRAPH_CUT)
    return [_as_array(n, x) for n, x in zip(("dq", "dk", "dv"), got, strict=True)]


def _torch_grads(q, k, v, mask, g):
    q, k, v = (t.clone().requires_grad_(True) for t in (q, k, v))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    return [x.numpy() for x in torch.autograd.grad((out * g).sum(), (q, k, v))]


@check(points=2, title={"en": "Gradients flow to q, k and v", "zh": "梯度能传到 q、k 和 v"})
def gradients(ctx):
    s = _sizes(ctx.rng)
    T = s["Tk"]
    q, k, v = _problem(ctx.rng, s["B"], s["H"], T, T, s["d_k"], s["d_v"])
    mask = torch.ones(T, T, dtype=torch.bool).tril()
    g = _t(ctx.rng.normal(size=(s["B"], s["H"], T, s["d_v"])))
    got = _grads(ctx, q, k, v, mask, g)
    for name, a, b in zip(("dq", "dk", "dv"), got, _torch_grads(q, k, v, mask, g), strict=True):
        expect_array(
            f"{name} (gradient through attention with a causal mask)", a, b, rtol=1e-6, atol=1e-9
        )


@check(
    points=1,
    title={"en": "No NaN gradient from a fully masked row", "zh": "全被掩码的行不产生 NaN 梯度"},
)
def gradients_fully_masked(ctx):
    s = _sizes(ctx.rng)
    q, k, v = _problem(ctx.rng, **s)
    mask = torch.ones(s["Tq"], s["Tk"], dtype=torch.bool)
    mask[int(ctx.rng.integers(0, s["Tq"]))] = False
    g = _t(ctx.rng.normal(size=(s["B"], s["H"], s["Tq"], s["d_v"])))
    got = _grads(ctx, q, k, v, mask, g)
    if not all(np.all(np.isfinite(x)) for x in got):
        _fail(
            "The output is fine, but the gradient holds NaN: the softmax of a row of -inf computed NaN weights, and you removed the NaN only from the output. In the backward pass those NaN weights still multiply the gradient (NaN * 0 = NaN). Remove it where it is made: clean the weights (torch.nan_to_num(weights)), or better never compute it: give a fully masked row finite scores (e.g. 0) before the softmax and zero weights after it.",
            "输出没有问题，但梯度里有 NaN：对全为 -inf 的一行做 softmax 得到了 NaN 权重，而你只把输出里的 NaN 去掉了。反向传播时这些 NaN 权重仍然要和梯度相乘（NaN * 0 = NaN）。应当在 NaN 产生的地方处理它：清理权重（torch.nan_to_num(weights)），更好的做法是根本不产生它：在 softmax 之前给全被掩码的行有限的分数（例如 0），之后再把这些权重置零。",
        )
    for name, a, b in zip(("dq", "dk", "dv"), got, _torch_grads(q, k, v, mask, g), strict=True):
        expect_array(f"{name} with a fully masked row", a, b, rtol=1e-6, atol=1e-9)
