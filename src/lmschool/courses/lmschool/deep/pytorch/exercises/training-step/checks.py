"""Hidden checks for deep/pytorch/training-step.

The learner's weights and losses are compared with the reference. When they differ, the
same training is replayed here with one plausible mistake at a time (gradients never
zeroed, softmax before cross_entropy, a summed loss, losses recorded after the update,
a step up the gradient); a match names the mistake.
"""

import numpy as np
import torch
import torch.nn.functional as F

from lmschool.grading.checks import check, expect, expect_array, fail
from lmschool.grading.proxy import RemoteObject

KEYS = ("W1", "b1", "W2", "b2")

MISTAKES = {
    "no_zero_grad": (
        "Your weights match training in which the gradients are never cleared: PyTorch ADDS each backward() to .grad, so from the second batch on you step along the sum of all previous gradients. Call p.grad.zero_() (or set p.grad = None) after each update.",
        "你的权重与“从不清零梯度”的训练结果一致：PyTorch 会把每次 backward() 的结果**加到** .grad 上，所以从第二批开始你沿着之前所有梯度之和在走。请在每次更新后调用 p.grad.zero_()（或设 p.grad = None）。",
    ),
    "softmax": (
        "Your results match a model that applies softmax before F.cross_entropy: cross_entropy already applies log-softmax, so softmax is applied twice, the loss is squashed and the gradients are far too small. Pass the raw logits.",
        "你的结果与“在 F.cross_entropy 之前先做 softmax”的模型一致：cross_entropy 自己已经做了 log-softmax，于是 softmax 被做了两次，损失被压扁，梯度也小得多。请直接传入原始 logits。",
    ),
    "sum": (
        "Your results match a loss SUMMED over the batch (reduction='sum'): the gradient then grows with the batch size. Use the mean cross-entropy, F.cross_entropy's default.",
        "你的结果与“在批次上**求和**的损失”（reduction='sum'）一致：这样梯度会随批量大小增长。请使用平均交叉熵，即 F.cross_entropy 的默认设置。",
    ),
    "loss_after": (
        "Your weights are right but your losses are those measured AFTER each update. Record loss.item() of the forward pass the gradient came from, before the step.",
        "你的权重是对的，但损失是在每次更新**之后**测得的。请记录产生梯度的那次前向计算的 loss.item()，即更新之前的损失。",
    ),
    "ascent": (
        "Your weights move UP the gradient (w + lr * grad): the loss grows. Gradient descent subtracts: w <- w - lr * grad.",
        "你的权重沿着梯度**上升**（w + lr * grad）：损失会变大。梯度下降要减去梯度：w <- w - lr * grad。",
    ),
}


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _simulate(weights, batches, lr, mistake=None):
    """The reference training, or the same training with one named mistake."""
    params = {k: w.detach().clone().requires_grad_(True) for k, w in weights.items()}
    losses = []
    for X, y in batches:
        logits = torch.relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
        if mistake == "softmax":
            logits = torch.softmax(logits, dim=1)
        loss = F.cross_entropy(logits, y, reduction="sum" if mistake == "sum" else "mean")
        loss.backward()
        with torch.no_grad():
            for p in params.values():
                p += lr * p.grad if mistake == "ascent" else -lr * p.grad
                if mistake != "no_zero_grad":
                    p.grad.zero_()
        if mistake == "loss_after":
            with torch.no_grad():
                h = torch.relu(X @ params["W1"] + params["b1"])
                loss = F.cross_entropy(h @ params["W2"] + params["b2"], y)
        losses.append(loss.item())
    return {k: p.detach().numpy() for k, p in params.items()}, losses


def _problem(rng, sizes, D=6, H=8, C=4):
    """Small seeded weights and batches of the given sizes."""
    g = torch.Generator().manual_seed(int(rng.integers(2**31)))
    weights = {
        "W1": torch.randn(D, H, generator=g) * 0.5,
        "b1": torch.randn(H, generator=g) * 0.1,
        "W2": torch.randn(H, C, generator=g) * 0.5,
        "b2": torch.randn(C, generator=g) * 0.1,
    }
    batches = [
        (torch.randn(b, D, generator=g), torch.randint(0, C, (b,), generator=g)) for b in sizes
    ]
    lr = float(rng.choice([0.1, 0.2, 0.3, 0.5]))
    return weights, batches, lr


def _unpack(got, n_batches, shapes):
    """The learner's (weights, losses) as NumPy data, or a failure naming what is wrong."""
    if isinstance(got, RemoteObject) or not isinstance(got, (tuple, list)) or len(got) != 2:
        _fail(
            "sgd_train must return a pair (new_weights, losses).",
            "sgd_train 必须返回一个二元组 (new_weights, losses)。",
        )
    new, losses = got
    if not isinstance(new, dict) or sorted(new) != sorted(KEYS):
        keys = sorted(new) if isinstance(new, dict) else type(new).__name__
        _fail(
            f"new_weights must be a dict with keys W1, b1, W2, b2; got {keys}.",
            f"new_weights 必须是键为 W1、b1、W2、b2 的字典；实际得到 {keys}。",
        )
    for k in KEYS:
        if isinstance(new[k], RemoteObject):
            _fail(f"new_weights['{k}'] must be a tensor.", f"new_weights['{k}'] 必须是张量。")
        arr = np.asarray(new[k], dtype=np.float64)
        if arr.shape != shapes[k]:
            _fail(
                f"new_weights['{k}'] has shape {arr.shape}; expected {shapes[k]}.",
                f"new_weights['{k}'] 的形状为 {arr.shape}；期望为 {shapes[k]}。",
            )
    if not isinstance(losses, (list, tuple)) or len(losses) != n_batches:
        _fail(
            f"losses must be a list with one float per batch ({n_batches} here).",
            f"losses 必须是列表，每批一个浮点数（这里共 {n_batches} 批）。",
        )
    try:
        losses = [float(v) for v in losses]
    except (TypeError, ValueError):
        _fail(
            "losses must hold numbers (use loss.item()).",
            "losses 中必须是数字（请用 loss.item()）。",
        )
    return {k: np.asarray(new[k], dtype=np.float64) for k in KEYS}, losses


def _matches(got_w, got_l, want_w, want_l):
    return np.allclose(got_l, want_l, rtol=1e-4, atol=1e-5) and all(
        np.allclose(got_w[k], want_w[k], rtol=1e-4, atol=1e-5) for k in KEYS
    )


def _diagnose(weights, batches, lr, got_w, got_l):
    for mistake, (en, zh) in MISTAKES.items():
        want_w, want_l = _simulate(weights, batches, lr, mistake)
        if _matches(got_w, got_l, want_w, want_l):
            _fail(en, zh)


def _run(ctx, sizes):
    weights, batches, lr = _problem(ctx.rng, sizes)
    shapes = {k: tuple(w.shape) for k, w in weights.items()}
    got = ctx.learner.sgd_train(weights, batches, lr)
    got_w, got_l = _unpack(got, len(batches), shapes)
    want_w, want_l = _simulate(weights, batches, lr)
    if not _matches(got_w, got_l, want_w, want_l):
        _diagnose(weights, batches, lr, got_w, got_l)
    return got_w, got_l, want_w, want_l


@check(
    points=1, title={"en": "One batch: the loss and one SGD step", "zh": "一批数据：损失和一步 SGD"}
)
def one_batch(ctx):
    got_w, got_l, want_w, want_l = _run(ctx, [int(ctx.rng.integers(8, 20))])
    expect_array(
        "losses (the loss of the batch before the update)",
        np.array(got_l),
        np.array(want_l),
        rtol=1e-4,
        atol=1e-5,
    )
    for k in KEYS:
        expect_array(
            f"new_weights['{k}'] after one step", got_w[k], want_w[k], rtol=1e-4, atol=1e-5
        )


@check(points=2, title={"en": "Several batches of different sizes", "zh": "多个大小不同的批次"})
def several_batches(ctx):
    sizes = [int(s) for s in ctx.rng.integers(3, 25, size=4)]
    got_w, got_l, want_w, want_l = _run(ctx, sizes)
    expect_array("losses over 4 batches", np.array(got_l), np.array(want_l), rtol=1e-4, atol=1e-5)
    for k in KEYS:
        expect_array(
            f"new_weights['{k}'] after 4 batches", got_w[k], want_w[k], rtol=1e-4, atol=1e-5
        )


@check(
    points=1,
    title={
        "en": "The loss falls over many batches of the same data",
        "zh": "在同一份数据上反复训练，损失下降",
    },
)
def loss_falls(ctx):
    weights, batches, lr = _problem(ctx.rng, [16])
    batches = batches * 15  # the same batch again and again: the loss must go down
    shapes = {k: tuple(w.shape) for k, w in weights.items()}
    got_w, got_l = _unpack(ctx.learner.sgd_train(weights, batches, lr), len(batches), shapes)
    want_w, want_l = _simulate(weights, batches, lr)
    if not _matches(got_w, got_l, want_w, want_l):
        _diagnose(weights, batches, lr, got_w, got_l)
    expect(
        got_l[-1] < got_l[0],
        {
            "en": f"Training 15 times on the same batch should lower its loss, but it went from {got_l[0]:.4f} to {got_l[-1]:.4f}.",
            "zh": f"在同一批数据上训练 15 次，损失应当下降，但它从 {got_l[0]:.4f} 变成了 {got_l[-1]:.4f}。",
        },
    )
    expect_array(
        "losses over 15 steps on one batch", np.array(got_l), np.array(want_l), rtol=1e-4, atol=1e-5
    )


@check(points=1, title={"en": "A batch of a single example", "zh": "只有一个样本的批次"})
def single_example(ctx):
    got_w, got_l, want_w, want_l = _run(ctx, [1, 5])
    expect_array(
        "losses for batches of sizes 1 and 5",
        np.array(got_l),
        np.array(want_l),
        rtol=1e-4,
        atol=1e-5,
    )
    for k in KEYS:
        expect_array(f"new_weights['{k}']", got_w[k], want_w[k], rtol=1e-4, atol=1e-5)
