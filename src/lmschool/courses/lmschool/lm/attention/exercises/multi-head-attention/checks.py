"""Hidden checks for lm/attention/multi-head-attention: nn.MultiheadAttention holding the same weights.

Weights and biases are random (torch starts biases at zero, which would hide a missing
bias), the head width differs from the number of heads, and mistakes are recognised by
recomputing the usual wrong versions on the trusted side.
"""

import math

import numpy as np
import torch

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import RemoteObject


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
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} must be a tensor of numbers.", f"{name} 必须是数值张量。")


def _params(rng, E):
    return {
        "in_proj_weight": _t(rng.normal(scale=1 / math.sqrt(E), size=(3 * E, E))),
        "in_proj_bias": _t(rng.normal(scale=0.3, size=3 * E)),
        "out_proj.weight": _t(rng.normal(scale=1 / math.sqrt(E), size=(E, E))),
        "out_proj.bias": _t(rng.normal(scale=0.3, size=E)),
    }


def _torch_mha(query, key, value, params, num_heads, key_padding_mask=None, causal=False):
    E = query.shape[-1]
    mha = torch.nn.MultiheadAttention(E, num_heads, batch_first=True).double()
    mha.load_state_dict(params)
    attn_mask = None
    if causal:  # torch's boolean attn_mask: True = NOT allowed (above the diagonal)
        attn_mask = torch.ones(query.shape[1], key.shape[1], dtype=torch.bool).triu(1)
    with torch.no_grad():
        out, _ = mha(
            query,
            key,
            value,
            key_padding_mask=key_padding_mask,
            attn_mask=attn_mask,
            need_weights=False,
        )
    return out.numpy()


def _wrong(query, key, value, params, h, kpm, causal, mistake):
    """nn.MultiheadAttention's computation with one usual mistake."""
    B, Tq, E = query.shape
    Tk = key.shape[1]
    hs = E // h
    W = params["in_proj_weight"]
    b = params["in_proj_bias"]
    Wq, Wk, Wv = W.split(E)
    bq, bk, bv = b.split(E)
    lin = (
        (lambda x, w, c: x @ w + c)
        if mistake == "not_transposed"
        else (lambda x, w, c: x @ w.T + c)
    )
    q, k, v = lin(query, Wq, bq), lin(key, Wk, bk), lin(value, Wv, bv)
    if mistake == "bad_split":  # view (B, T, E) straight as (B, nh, T, hs): mixes positions
        q, k, v = q.reshape(B, h, Tq, hs), k.reshape(B, h, Tk, hs), v.reshape(B, h, Tk, hs)
    else:
        q = q.view(B, Tq, h, hs).transpose(1, 2)
        k = k.view(B, Tk, h, hs).transpose(1, 2)
        v = v.view(B, Tk, h, hs).transpose(1, 2)
    scale = math.sqrt(E) if mistake == "scale_E" else math.sqrt(hs)
    s = q @ k.transpose(-2, -1) / scale
    allowed = torch.ones(B, 1, Tq, Tk, dtype=torch.bool)
    if kpm is not None:
        allowed = allowed & (
            kpm[:, None, None, :] if mistake == "padding_inverted" else ~kpm[:, None, None, :]
        )
    if causal:
        allowed = allowed & torch.ones(Tq, Tk, dtype=torch.bool).tril()
    y = torch.softmax(s.masked_fill(~allowed, float("-inf")), dim=-1) @ v
    if mistake != "bad_concat":  # bad_concat: (B, nh, Tq, hs) reshaped, heads not moved back
        y = y.transpose(1, 2)
    y = y.reshape(B, Tq, E)
    if mistake == "no_out_proj":
        return y.numpy()
    return (y @ params["out_proj.weight"].T + params["out_proj.bias"]).numpy()


MESSAGES = {
    "not_transposed": (
        "The projections use the weights untransposed (x @ W): torch stores a Linear weight as (out, in), so the projection is x @ W.T + b.",
        "投影时没有转置权重（x @ W）：torch 按 (out, in) 存储线性层的权重，所以投影应为 x @ W.T + b。",
    ),
    "bad_split": (
        "The heads are split with a plain reshape (B, T, E) -> (B, nh, T, hs), which mixes different positions into one head. Split the LAST axis: view(B, T, nh, hs), then transpose(1, 2) to get (B, nh, T, hs).",
        "拆分头时直接把 (B, T, E) 重排成 (B, nh, T, hs)，这会把不同位置的数据混进同一个头。应当拆分“最后一个”轴：先 view(B, T, nh, hs)，再 transpose(1, 2) 得到 (B, nh, T, hs)。",
    ),
    "bad_concat": (
        "The heads are put back with a plain reshape (B, nh, T, hs) -> (B, T, E), which mixes positions. First transpose(1, 2) to (B, T, nh, hs), then reshape to (B, T, E).",
        "合并头时直接把 (B, nh, T, hs) 重排成 (B, T, E)，这会把不同位置混在一起。应先 transpose(1, 2) 变成 (B, T, nh, hs)，再 reshape 成 (B, T, E)。",
    ),
    "scale_E": (
        "The scores are divided by sqrt(E), the full width; each head computes dot products of width hs = E / num_heads, so divide by sqrt(hs).",
        "分数被除以了 sqrt(E)（整个宽度）；每个头的点积只有 hs = E / num_heads 维，所以要除以 sqrt(hs)。",
    ),
    "no_out_proj": (
        "The output projection is missing: after concatenating the heads, apply out_proj (y @ W_o.T + b_o), which mixes what the heads found.",
        "缺少输出投影：把各头拼接起来之后，还要做 out_proj（y @ W_o.T + b_o），它把各个头的结果混合起来。",
    ),
    "padding_inverted": (
        "key_padding_mask is used the wrong way round. In nn.MultiheadAttention True marks PADDING, a key to ignore; a boolean mask for scaled_dot_product_attention is the opposite (True = may attend). Allowed keys are ~key_padding_mask.",
        "key_padding_mask 用反了。在 nn.MultiheadAttention 中 True 表示“填充”，即要忽略的键；而 scaled_dot_product_attention 的布尔掩码正好相反（True 表示可以关注）。允许关注的键是 ~key_padding_mask。",
    ),
}


def _problem(rng, *, Tq, Tk, self_attention):
    h = int(rng.integers(2, 5))
    hs = int(rng.choice([3, 5, 6]))
    E, B = h * hs, int(rng.integers(2, 4))
    query = _t(rng.normal(size=(B, Tq, E)))
    if self_attention:
        key = value = query
    else:
        key = _t(rng.normal(size=(B, Tk, E)))
        value = _t(rng.normal(size=(B, Tk, E)))
    return query, key, value, _params(rng, E), h


def _compare(ctx, args, kpm, causal, label, num_heads=None):
    query, key, value, params, h = args
    h = num_heads or h
    got = _as_array(
        "multi_head_attention(...)",
        ctx.learner.multi_head_attention(
            query, key, value, params, h, key_padding_mask=kpm, causal=causal
        ),
    )
    want = _torch_mha(query, key, value, params, h, kpm, causal)
    if got.shape == want.shape and not np.allclose(got, want, rtol=1e-6, atol=1e-9):
        for mistake, text in MESSAGES.items():
            if np.allclose(
                got,
                _wrong(query, key, value, params, h, kpm, causal, mistake),
                rtol=1e-6,
                atol=1e-9,
                equal_nan=True,
            ):
                _fail(*text)
    expect_array(f"multi_head_attention(...) {label}", got, want, rtol=1e-6, atol=1e-9)


@check(
    points=2,
    title={
        "en": "Self-attention matches nn.MultiheadAttention",
        "zh": "自注意力与 nn.MultiheadAttention 一致",
    },
)
def self_attention(ctx):
    T = int(ctx.rng.integers(4, 8))
    args = _problem(ctx.rng, Tq=T, Tk=T, self_attention=True)
    _compare(ctx, args, None, False, "for self-attention (query = key = value)")


@check(points=1, title={"en": "One head", "zh": "只有一个头"})
def one_head(ctx):
    T = int(ctx.rng.integers(4, 8))
    query, key, value, params, h = _problem(ctx.rng, Tq=T, Tk=T, self_attention=True)
    _compare(ctx, (query, key, value, params, 1), None, False, "with num_heads = 1")


@check(points=1, title={"en": "Cross-attention with Tq != Tk", "zh": "交叉注意力，Tq != Tk"})
def cross_attention(ctx):
    args = _problem(
        ctx.rng,
        Tq=int(ctx.rng.integers(3, 5)),
        Tk=int(ctx.rng.integers(6, 9)),
        self_attention=False,
    )
    _compare(ctx, args, None, False, "for cross-attention (keys and values from another sequence)")


@check(
    points=2,
    title={"en": "key_padding_mask: True means padding", "zh": "key_padding_mask：True 表示填充"},
)
def padding(ctx):
    args = _problem(
        ctx.rng,
        Tq=int(ctx.rng.integers(3, 5)),
        Tk=int(ctx.rng.integers(6, 9)),
        self_attention=False,
    )
    B, Tk = args[0].shape[0], args[1].shape[1]
    lengths = ctx.rng.integers(2, Tk, size=B)
    kpm = torch.from_numpy(np.arange(Tk)[None, :] >= lengths[:, None])  # True = padding
    _compare(ctx, args, kpm, False, "with key_padding_mask (True = padding)")


@check(points=1, title={"en": "Causal self-attention", "zh": "因果自注意力"})
def causal(ctx):
    T = int(ctx.rng.integers(4, 8))
    args = _problem(ctx.rng, Tq=T, Tk=T, self_attention=True)
    _compare(ctx, args, None, True, "with causal=True")


@check(
    points=1, title={"en": "Causal and padding masks together", "zh": "因果掩码与填充掩码同时使用"}
)
def causal_and_padding(ctx):
    T = int(ctx.rng.integers(5, 8))
    args = _problem(ctx.rng, Tq=T, Tk=T, self_attention=True)
    B = args[0].shape[0]
    lengths = ctx.rng.integers(2, T, size=B)
    kpm = torch.from_numpy(np.arange(T)[None, :] >= lengths[:, None])
    _compare(ctx, args, kpm, True, "with causal=True and a key_padding_mask")
