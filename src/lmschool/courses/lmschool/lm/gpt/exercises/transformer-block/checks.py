"""Hidden checks for lm/gpt/transformer-block: lmschool.ml.nn.gpt.Block holding the same weights.

Besides the values, the checks test the block's structure on the learner's own outputs:
changing future tokens must not change earlier outputs (causal mask), and with both
branches switched off (their output projections set to zero) the block must return its
input unchanged (residual connections around pre-normalised branches).
"""

import math

import numpy as np
import torch
from torch.nn import functional as F

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import RemoteObject
from lmschool.ml.nn.gpt import Block, GPTConfig


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


def _params(rng, C):
    s = 1 / math.sqrt(C)
    return {
        "ln_1.weight": _t(1 + 0.3 * rng.normal(size=C)),
        "ln_1.bias": _t(0.3 * rng.normal(size=C)),
        "attn.c_attn.weight": _t(rng.normal(scale=s, size=(3 * C, C))),
        "attn.c_attn.bias": _t(0.3 * rng.normal(size=3 * C)),
        "attn.c_proj.weight": _t(rng.normal(scale=s, size=(C, C))),
        "attn.c_proj.bias": _t(0.3 * rng.normal(size=C)),
        "ln_2.weight": _t(1 + 0.3 * rng.normal(size=C)),
        "ln_2.bias": _t(0.3 * rng.normal(size=C)),
        "mlp.c_fc.weight": _t(rng.normal(scale=s, size=(4 * C, C))),
        "mlp.c_fc.bias": _t(0.3 * rng.normal(size=4 * C)),
        "mlp.c_proj.weight": _t(rng.normal(scale=0.5 / math.sqrt(C), size=(C, 4 * C))),
        "mlp.c_proj.bias": _t(0.3 * rng.normal(size=C)),
    }


def _reference(x, params, n_head):
    C = x.shape[-1]
    block = Block(GPTConfig(n_embd=C, n_head=n_head, bias=True, dropout=0.0)).double().eval()
    block.load_state_dict(params)
    with torch.no_grad():
        return block(x).numpy()


def _wrong(x, p, n_head, mistake):
    """The block with one usual mistake, for the diagnosis."""
    B, T, C = x.shape
    hs = C // n_head

    def ln(z, name):
        if mistake == "same_norm":
            name = "ln_1"
        if mistake == "unbiased":  # divides by C - 1
            z = (z - z.mean(-1, keepdim=True)) / torch.sqrt(z.var(-1, keepdim=True) + 1e-5)
            return z * p[f"{name}.weight"] + p[f"{name}.bias"]
        return F.layer_norm(z, (C,), p[f"{name}.weight"], p[f"{name}.bias"], 1e-5)

    def attn(z):
        q, k, v = (z @ p["attn.c_attn.weight"].T + p["attn.c_attn.bias"]).split(C, dim=2)
        q, k, v = (t.view(B, T, n_head, hs).transpose(1, 2) for t in (q, k, v))
        s = q @ k.transpose(-2, -1) / (math.sqrt(C) if mistake == "scale_C" else math.sqrt(hs))
        if mistake != "not_causal":
            s = s.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        y = (torch.softmax(s, dim=-1) @ v).transpose(1, 2).reshape(B, T, C)
        return y @ p["attn.c_proj.weight"].T + p["attn.c_proj.bias"]

    def mlp(z):
        h = z @ p["mlp.c_fc.weight"].T + p["mlp.c_fc.bias"]
        h = {"relu": F.relu(h), "gelu_tanh": F.gelu(h, approximate="tanh")}.get(mistake, F.gelu(h))
        return h @ p["mlp.c_proj.weight"].T + p["mlp.c_proj.bias"]

    if mistake == "post_norm":  # the original Transformer: normalise after adding
        x = ln(x + attn(x), "ln_1")
        return ln(x + mlp(x), "ln_2").numpy()
    if mistake == "no_attn_residual":
        x = attn(ln(x, "ln_1"))
        return (x + mlp(ln(x, "ln_2"))).numpy()
    if mistake == "no_mlp_residual":
        x = x + attn(ln(x, "ln_1"))
        return mlp(ln(x, "ln_2")).numpy()
    if mistake == "residual_normalised":  # adds the branch to ln(x) instead of to x
        h = ln(x, "ln_1")
        x = h + attn(h)
        h = ln(x, "ln_2")
        return (h + mlp(h)).numpy()
    if mistake == "parallel":  # both branches read the same x (GPT-J style), not in sequence
        return (x + attn(ln(x, "ln_1")) + mlp(ln(x, "ln_2"))).numpy()
    x = x + attn(ln(x, "ln_1"))
    return (x + mlp(ln(x, "ln_2"))).numpy()


MESSAGES = {
    "post_norm": (
        "This is a POST-norm block (x = ln(x + attn(x)), as in the original Transformer). GPT-2 and this course use PRE-norm: normalise the input of each branch and add the branch's output to the unnormalised x: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)).",
        "这是“后置规范化”块（x = ln(x + attn(x))，即原始 Transformer 的写法）。GPT-2 和本课程用的是“前置规范化”：对每个分支的输入做层规范化，再把分支的输出加到未经规范化的 x 上：x = x + attn(ln_1(x))；x = x + mlp(ln_2(x))。",
    ),
    "no_attn_residual": (
        "The residual connection around the attention is missing: x = x + attn(ln_1(x)), not x = attn(ln_1(x)).",
        "注意力分支缺少残差连接：应为 x = x + attn(ln_1(x))，而不是 x = attn(ln_1(x))。",
    ),
    "no_mlp_residual": (
        "The residual connection around the MLP is missing: x = x + mlp(ln_2(x)), not mlp(ln_2(x)).",
        "前馈网络分支缺少残差连接：应为 x = x + mlp(ln_2(x))，而不是 mlp(ln_2(x))。",
    ),
    "residual_normalised": (
        "The branch output is added to the NORMALISED input (h = ln(x); x = h + attn(h)). The residual stream must stay unnormalised: x = x + attn(ln_1(x)).",
        "分支的输出被加到了“规范化之后”的输入上（h = ln(x); x = h + attn(h)）。残差流本身不能被规范化：x = x + attn(ln_1(x))。",
    ),
    "parallel": (
        "Both branches read the same input (x + attn(ln_1(x)) + mlp(ln_2(x))): the MLP must read the output of the attention step, x = x + attn(ln_1(x)) first, then x = x + mlp(ln_2(x)).",
        "两个分支读的是同一个输入（x + attn(ln_1(x)) + mlp(ln_2(x))）：前馈网络应当读取注意力这一步的输出，先 x = x + attn(ln_1(x))，再 x = x + mlp(ln_2(x))。",
    ),
    "not_causal": (
        "The attention is not causal: every token also sees the tokens after it. Mask the scores where key j > query i with -inf before the softmax.",
        "注意力不是因果的：每个词元还看到了它后面的词元。在 softmax 之前，把键 j > 查询 i 处的分数填成 -inf。",
    ),
    "scale_C": (
        "The scores are divided by sqrt(C); each head's dot products have hs = C / n_head terms, so divide by sqrt(hs).",
        "分数被除以了 sqrt(C)；每个头的点积只有 hs = C / n_head 项，所以要除以 sqrt(hs)。",
    ),
    "relu": (
        "The MLP uses ReLU; GPT's MLP uses GELU (F.gelu, the exact erf form, as nn.GELU()).",
        "前馈网络用了 ReLU；GPT 的前馈网络用的是 GELU（F.gelu，精确的 erf 形式，与 nn.GELU() 相同）。",
    ),
    "gelu_tanh": (
        "The MLP uses the tanh approximation of GELU; use the exact form, F.gelu(h) (nn.GELU()'s default), as lmschool's GPT does. The two differ by up to about 5e-4.",
        "前馈网络用的是 GELU 的 tanh 近似；请用精确形式 F.gelu(h)（nn.GELU() 的默认值），与 lmschool 的 GPT 一致。两者最多相差约 5e-4。",
    ),
    "unbiased": (
        "Your layer norm uses the unbiased variance (dividing by C - 1, torch's default for .var()); layer normalisation divides by C: x.var(dim=-1, unbiased=False), as nn.LayerNorm and F.layer_norm do.",
        "你的层规范化用了无偏方差（除以 C - 1，这是 torch 中 .var() 的默认行为）；层规范化要除以 C：x.var(dim=-1, unbiased=False)，与 nn.LayerNorm 和 F.layer_norm 一致。",
    ),
    "same_norm": (
        "ln_1 is used for both branches: the MLP's input is normalised with ln_2's weight and bias.",
        "两个分支都用了 ln_1：前馈网络的输入要用 ln_2 的权重和偏置来规范化。",
    ),
}


def _problem(rng, T=None):
    n_head = int(rng.integers(2, 5))
    C = n_head * int(rng.choice([3, 4, 5]))
    B, T = 2, T or int(rng.integers(5, 9))
    x = _t(rng.normal(size=(B, T, C)))
    return x, _params(rng, C), n_head


def _compare(ctx, x, params, n_head, label):
    got = _as_array(
        "block_forward(x, params, n_head)", ctx.learner.block_forward(x, params, n_head)
    )
    want = _reference(x, params, n_head)
    if got.shape == want.shape and not np.allclose(got, want, rtol=1e-6, atol=1e-8):
        for mistake, text in MESSAGES.items():
            if np.allclose(got, _wrong(x, params, n_head, mistake), rtol=1e-6, atol=1e-8):
                _fail(*text)
    expect_array(f"block_forward(x, params, n_head) {label}", got, want, rtol=1e-6, atol=1e-8)
    return got


@check(
    points=3,
    title={
        "en": "Matches the GPT's Block with the same weights",
        "zh": "与相同权重的 GPT Block 一致",
    },
)
def matches_block(ctx):
    x, params, n_head = _problem(ctx.rng)
    _compare(ctx, x, params, n_head, "compared with lmschool.ml.nn.gpt.Block")


@check(
    points=2,
    title={"en": "Future tokens do not change earlier outputs", "zh": "后面的词元不影响前面的输出"},
)
def causal(ctx):
    x, params, n_head = _problem(ctx.rng)
    T = x.shape[1]
    t = int(ctx.rng.integers(1, T - 1))  # outputs 0..t must not move
    x2 = x.clone()
    x2[:, t + 1 :] = _t(ctx.rng.normal(size=x2[:, t + 1 :].shape))
    a = _as_array("block_forward(x, ...)", ctx.learner.block_forward(x, params, n_head))
    b = _as_array("block_forward(x, ...)", ctx.learner.block_forward(x2, params, n_head))
    if a.shape != x.shape:
        expect_array("block_forward(x, params, n_head)", a, x.numpy())
    if not np.allclose(a[:, : t + 1], b[:, : t + 1], rtol=1e-9, atol=1e-10):
        _fail(
            f"Changing the tokens after position {t} changed your outputs at positions 0..{t}: information flows from the future. A language model must predict token t+1 from tokens 0..t only, so mask the scores where key j > query i with -inf before the softmax (a (T, T) upper triangle).",
            f"改变位置 {t} 之后的词元，却改变了你在位置 0..{t} 上的输出：信息从“未来”流了过来。语言模型只能用第 0..t 个词元预测第 t+1 个，所以在 softmax 之前要把键 j > 查询 i 处的分数填成 -inf（一个 (T, T) 的上三角）。",
        )


@check(
    points=2,
    title={
        "en": "Residual connections: branches off, input back",
        "zh": "残差连接：关掉分支，输出等于输入",
    },
)
def residual(ctx):
    x, params, n_head = _problem(ctx.rng)
    for name in ("attn.c_proj.weight", "attn.c_proj.bias", "mlp.c_proj.weight", "mlp.c_proj.bias"):
        params[name] = torch.zeros_like(params[name])  # both branches now output exactly 0
    got = _as_array(
        "block_forward(x, params, n_head)", ctx.learner.block_forward(x, params, n_head)
    )
    if got.shape == x.shape and not np.allclose(got, x.numpy(), rtol=1e-9, atol=1e-10):
        if np.allclose(got, 0.0, atol=1e-10):
            _fail(
                "With both branches' output projections set to zero, your block returns zeros: the residual connections are missing. Each branch's output is ADDED to its input: x = x + attn(ln_1(x)); x = x + mlp(ln_2(x)).",
                "把两个分支的输出投影都置零后，你的块输出了全零：缺少残差连接。每个分支的输出要“加”到它的输入上：x = x + attn(ln_1(x))；x = x + mlp(ln_2(x))。",
            )
        _fail(
            "With both branches' output projections set to zero, each branch outputs 0, so a pre-norm block must return its input x unchanged; yours does not. Check that the residual stream is never normalised itself (post-norm computes ln(x + 0) != x) and that each branch is added to x.",
            "把两个分支的输出投影都置零后，每个分支输出 0，前置规范化的块必须原样返回输入 x；你的块没有。请检查残差流本身没有被规范化（后置规范化会算出 ln(x + 0) != x），以及每个分支都加到了 x 上。",
        )
    expect_array(
        "block_forward(x, params, n_head) with both branches off",
        got,
        x.numpy(),
        rtol=1e-9,
        atol=1e-10,
    )


@check(points=1, title={"en": "The MLP branch alone", "zh": "只有前馈网络分支"})
def mlp_branch(ctx):
    x, params, n_head = _problem(ctx.rng)
    params["attn.c_proj.weight"] = torch.zeros_like(params["attn.c_proj.weight"])
    params["attn.c_proj.bias"] = torch.zeros_like(params["attn.c_proj.bias"])
    _compare(ctx, x, params, n_head, "with the attention switched off (x + mlp(ln_2(x)))")


@check(points=1, title={"en": "The attention branch alone", "zh": "只有注意力分支"})
def attention_branch(ctx):
    x, params, n_head = _problem(ctx.rng)
    params["mlp.c_proj.weight"] = torch.zeros_like(params["mlp.c_proj.weight"])
    params["mlp.c_proj.bias"] = torch.zeros_like(params["mlp.c_proj.bias"])
    _compare(ctx, x, params, n_head, "with the MLP switched off (x + attn(ln_1(x)))")


@check(points=1, title={"en": "A single token", "zh": "只有一个词元"})
def one_token(ctx):
    x, params, n_head = _problem(ctx.rng, T=1)
    _compare(ctx, x, params, n_head, "for T = 1 (the token attends to itself only)")
