"""Hidden checks for lm/embeddings/skipgram-grad: loss and gradients against torch autograd.

Each check builds a batch from ctx.rng, computes the loss and both gradients with torch
(float64 autograd, F.logsigmoid), and compares. When the learner's numbers differ, they
are compared with the usual mistakes (sum instead of mean, repeated ids not accumulated,
the negatives' sign, one table for both roles, an unstable log-sigmoid) to name it.
"""

import functools

import numpy as np

from lmschool.grading.checks import check, expect_array, expect_close, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


@functools.cache
def _torch():
    """torch, imported on first use: a NumPy exercise's runner does not preload it."""
    import torch

    return torch


def _torch_reference(W_in, W_out, centers, contexts, negatives):
    """(loss, dW_in, dW_out) by autograd, float64."""
    torch = _torch()
    Wi = torch.tensor(W_in, dtype=torch.float64, requires_grad=True)
    Wo = torch.tensor(W_out, dtype=torch.float64, requires_grad=True)
    c, o, n = (
        torch.as_tensor(np.asarray(a), dtype=torch.long) for a in (centers, contexts, negatives)
    )
    v = Wi[c]
    pos = (Wo[o] * v).sum(-1)
    neg = (Wo[n] * v[:, None, :]).sum(-1)
    F = torch.nn.functional
    loss = -(F.logsigmoid(pos) + F.logsigmoid(-neg).sum(-1)).mean()
    loss.backward()
    return float(loss), Wi.grad.numpy(), Wo.grad.numpy()


def _mistakes(W_in, W_out, centers, contexts, negatives):
    """Loss and gradients of the usual mistakes, keyed by the diagnosis."""
    B = len(centers)
    v, u_pos, u_neg = W_in[centers], W_out[contexts], W_out[negatives]
    pos = (u_pos * v).sum(1)
    neg = np.einsum("bkd,bd->bk", u_neg, v)
    sig = lambda x: 0.5 * (1 + np.tanh(x / 2))  # noqa: E731
    g_pos, g_neg = (sig(pos) - 1) / B, sig(neg) / B
    dv = g_pos[:, None] * u_pos + np.einsum("bk,bkd->bd", g_neg, u_neg)
    out = {}
    # gradients written with fancy-index +=: repeated ids keep one contribution
    dWi, dWo = np.zeros_like(W_in), np.zeros_like(W_out)
    dWi[centers] += dv
    dWo[contexts] += g_pos[:, None] * v
    dWo[negatives] += g_neg[:, :, None] * v[:, None, :]
    out["no_accumulation"] = dWi, dWo
    # only the positive term moves the centre vector
    dWi = np.zeros_like(W_in)
    np.add.at(dWi, centers, g_pos[:, None] * u_pos)
    out["centre_without_negatives"] = dWi, None
    return out


def _wrong_losses(W_in, W_out, centers, contexts, negatives):
    """The loss of the usual mistakes in the formula itself."""
    log_sig = lambda x: -np.logaddexp(0.0, -x)  # noqa: E731
    B = len(centers)
    v = W_in[centers]
    out = {}
    pos = (W_out[contexts] * v).sum(1)
    neg = np.einsum("bkd,bd->bk", W_out[negatives], v)
    out["negative_sign"] = -(log_sig(pos).sum() + log_sig(neg).sum()) / B
    pos1 = (W_in[contexts] * v).sum(1)
    neg1 = np.einsum("bkd,bd->bk", W_in[negatives], v)
    out["one_table"] = -(log_sig(pos1).sum() + log_sig(-neg1).sum()) / B
    return out


MESSAGES = {
    "negative_sign": (
        "The negative term has the wrong sign: it must be log sigmoid(-u_k . v_c), which is large when the noise word scores LOW. With log sigmoid(+u_k . v_c) training would pull random words towards the centre.",
        "负样本项的符号反了：它应是 log sigmoid(-u_k . v_c)，噪声词得分越低它越大。用 log sigmoid(+u_k . v_c) 的话，训练会把随机的词拉向中心词。",
    ),
    "one_table": (
        "The context vectors are taken from W_in: skip-gram keeps two tables, centre vectors v = W_in[centers] and context vectors u = W_out[contexts], W_out[negatives].",
        "上下文向量取自 W_in：跳元模型有两张表，中心向量 v = W_in[centers]，上下文向量 u = W_out[contexts]、W_out[negatives]。",
    ),
    "no_accumulation": (
        "An id that occurs several times in the batch gets only one contribution: dW[ids] += rows keeps one of the repeated rows (NumPy buffers fancy-index assignment). Every occurrence must add to its row: use np.add.at(dW, ids, rows).",
        "批中出现多次的编号只得到了一份贡献：dW[ids] += rows 对重复的行只保留一个（NumPy 的花式索引赋值是缓冲的）。每一次出现都必须累加到对应行：请用 np.add.at(dW, ids, rows)。",
    ),
    "centre_without_negatives": (
        "dW_in ignores the negatives: the centre vector v_c appears in the positive term AND in every negative term, so its gradient is g_pos u_o + sum_k g_neg_k u_k.",
        "dW_in 忽略了负样本：中心词向量 v_c 既出现在正样本项中，也出现在每个负样本项中，所以它的梯度是 g_pos u_o + sum_k g_neg_k u_k。",
    ),
}


def _unpack(got, V, D):
    if isinstance(got, RemoteObject) or not isinstance(got, (tuple, list)) or len(got) != 3:
        _fail(
            "sgns_loss_and_grads must return a tuple (loss, dW_in, dW_out).",
            "sgns_loss_and_grads 必须返回元组 (loss, dW_in, dW_out)。",
        )
    loss, dWi, dWo = got
    out = []
    for name, g in (("dW_in", dWi), ("dW_out", dWo)):
        if isinstance(g, RemoteObject):
            _fail(f"{name} must be a NumPy array.", f"{name} 必须是 NumPy 数组。")
        try:
            arr = np.asarray(g, dtype=np.float64)
        except (TypeError, ValueError):
            _fail(f"{name} must be an array of numbers.", f"{name} 必须是数值数组。")
        if arr.shape != (V, D):
            _fail(
                f"{name} must have the shape of the table, ({V}, {D}); got {arr.shape}. Return the full gradient, with zero rows for ids that do not occur.",
                f"{name} 的形状必须与嵌入表相同，即 ({V}, {D})；你的形状是 {arr.shape}。请返回完整的梯度，没出现的编号对应的行为零。",
            )
        out.append(arr)
    return loss, out[0], out[1]


def _batch(rng, V, D, B, K, scale=0.5):
    W_in = rng.normal(scale=scale, size=(V, D))
    W_out = rng.normal(scale=scale, size=(V, D))
    centers = rng.integers(0, V, size=B)
    contexts = rng.integers(0, V, size=B)
    negatives = rng.integers(0, V, size=(B, K))
    return W_in, W_out, centers, contexts, negatives


def _compare(ctx, args, label, *, rtol=1e-7):
    V, D = args[0].shape
    loss, dWi, dWo = _unpack(ctx.learner.sgns_loss_and_grads(*args), V, D)
    want_loss, want_i, want_o = _torch_reference(*args)
    B = len(args[2])
    finite = isinstance(loss, (int, float, np.floating)) and np.isfinite(loss)
    if finite and B > 1 and np.isclose(loss, want_loss * B, rtol=1e-7):
        _fail(
            f"The loss is the SUM over the batch ({float(loss):.5g}); it must be the MEAN (divide by B = {B}), and so must the gradients.",
            f"损失是对批求和（{float(loss):.5g}）；它必须是平均值（除以 B = {B}），梯度也一样。",
        )
    if isinstance(loss, (int, float, np.floating)) and not np.isfinite(loss):
        _fail(
            f"The loss is {loss} {label}: log(sigmoid(x)) overflows or gives log(0) when |x| is large. Compute log sigmoid(x) as -np.logaddexp(0, -x).",
            f"{label}时损失为 {loss}：|x| 很大时，log(sigmoid(x)) 会溢出或得到 log(0)。请用 -np.logaddexp(0, -x) 计算 log sigmoid(x)。",
        )
    if finite and not np.isclose(loss, want_loss, rtol=rtol, atol=1e-10):
        for key, wrong in _wrong_losses(*args).items():
            if np.isclose(loss, wrong, rtol=1e-7) and not np.isclose(wrong, want_loss, rtol=1e-7):
                _fail(*MESSAGES[key])
    expect_close(f"loss {label}", loss, want_loss, rtol=rtol, atol=1e-10)
    if not (
        np.allclose(dWi, want_i, rtol=1e-6, atol=1e-10)
        and np.allclose(dWo, want_o, rtol=1e-6, atol=1e-10)
    ):
        close = lambda a, b: np.allclose(a, b, rtol=1e-6, atol=1e-10)  # noqa: E731
        for key, (mi, mo) in _mistakes(*args).items():
            matches = close(dWi, mi) and (mo is None or close(dWo, mo))
            differs = not close(mi, want_i) or (mo is not None and not close(mo, want_o))
            if matches and differs:
                _fail(*MESSAGES[key])
        if np.allclose(dWi, want_i * B, rtol=1e-6) and np.allclose(dWo, want_o * B, rtol=1e-6):
            _fail(
                f"The gradients are B = {B} times too large: they are the gradients of the summed loss. Divide by B as the loss does.",
                f"梯度大了 B = {B} 倍：它们是求和后损失的梯度。请像损失一样除以 B。",
            )
    expect_array(f"dW_in {label}", dWi, want_i, rtol=1e-6, atol=1e-10)
    expect_array(f"dW_out {label}", dWo, want_o, rtol=1e-6, atol=1e-10)


@check(
    points=2,
    title={
        "en": "Loss and gradients on a batch of distinct ids",
        "zh": "编号互不相同的一批数据上的损失与梯度",
    },
)
def distinct_ids(ctx):
    rng = ctx.rng
    V, D, B, K = 60, 4, 5, 3
    W_in, W_out, _, _, _ = _batch(rng, V, D, B, K)
    ids = rng.permutation(V)[: B * (K + 2)]
    centers, contexts = ids[:B], ids[B : 2 * B]
    negatives = ids[2 * B :].reshape(B, K)
    _compare(ctx, (W_in, W_out, centers, contexts, negatives), "(distinct ids)")


@check(points=3, title={"en": "Repeated ids accumulate", "zh": "重复的编号要累加"})
def repeated_ids(ctx):
    rng = ctx.rng
    V, D, B, K = 7, 5, 12, 4  # a small vocabulary: ids repeat within and across pairs
    W_in, W_out, centers, contexts, negatives = _batch(rng, V, D, B, K)
    centers[:3] = centers[0]  # one centre in three pairs
    negatives[1, 1] = negatives[1, 0]  # the same negative twice in one row
    _compare(ctx, (W_in, W_out, centers, contexts, negatives), "(ids repeated in the batch)")


@check(
    points=1,
    title={
        "en": "A negative equal to its own context is still a negative",
        "zh": "与本对上下文相同的负样本仍是负样本",
    },
)
def negative_is_context(ctx):
    rng = ctx.rng
    V, D, B, K = 30, 4, 4, 3
    W_in, W_out, centers, contexts, negatives = _batch(rng, V, D, B, K)
    negatives[:, 0] = contexts  # the sampler drew the observed context as noise
    _compare(ctx, (W_in, W_out, centers, contexts, negatives), "(a negative equal to the context)")


@check(
    points=2,
    title={"en": "Large scores: a finite, correct loss", "zh": "得分很大时：损失有限且正确"},
)
def large_scores(ctx):
    rng = ctx.rng
    V, D, B, K = 20, 3, 6, 2
    W_in, W_out, centers, contexts, negatives = _batch(rng, V, D, B, K, scale=4.5)
    # scores reach tens: exp(-x) overflows for x < -709 only in float64, but 1 / (1 + exp(60))
    # is about 1e-26 and log sigmoid(-60) needs the stable form to stay exact
    _compare(
        ctx, (W_in, W_out, centers, contexts, negatives), "(dot products of about ±60)", rtol=1e-9
    )
    W_in[centers[0]] *= 30.0  # one score near ±1000: naive forms give inf or log(0)
    _compare(
        ctx, (W_in, W_out, centers, contexts, negatives), "(one dot product near ±1000)", rtol=1e-9
    )
