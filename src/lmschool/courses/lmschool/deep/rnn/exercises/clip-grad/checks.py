"""Hidden checks for deep/rnn/clip-grad: compared with torch.nn.utils.clip_grad_norm_."""

import numpy as np
import torch

from lmschool.grading.checks import check, expect_array, expect_close, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


def _grads(ctx, scale):
    shapes = [
        (int(ctx.rng.integers(2, 5)), int(ctx.rng.integers(2, 5))),
        (int(ctx.rng.integers(2, 6)),),
        (3, 2, 2),
    ]
    return [ctx.rng.normal(scale=scale * (k + 1), size=s) for k, s in enumerate(shapes)]


def _torch_clip(grads, max_norm):
    params = [torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64)) for g in grads]
    for p, g in zip(params, grads, strict=True):
        p.grad = torch.from_numpy(g.copy())
    total = torch.nn.utils.clip_grad_norm_(params, max_norm)
    return [p.grad.numpy() for p in params], float(total)


def _unpack(got, n):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        _fail(
            "clip_grad_norm must return a tuple (clipped, total_norm).",
            "clip_grad_norm 必须返回元组 (clipped, total_norm)。",
        )
    clipped, total = got
    if not isinstance(clipped, (list, tuple)) or len(clipped) != n:
        _fail(
            f"clipped must be a list of {n} arrays, one per gradient.",
            f"clipped 必须是 {n} 个数组组成的列表，每个梯度一个。",
        )
    if isinstance(total, (RemoteObject, list, tuple, str)):
        _fail("total_norm must be one number.", "total_norm 必须是一个数。")
    arrays = []
    for k, c in enumerate(clipped):
        if isinstance(c, RemoteObject):
            _fail(f"clipped[{k}] must be an array.", f"clipped[{k}] 必须是数组。")
        arrays.append(np.asarray(c.numpy() if isinstance(c, torch.Tensor) else c, dtype=np.float64))
    return arrays, float(np.asarray(total, dtype=np.float64).reshape(-1)[0])


@check(
    points=3,
    title={"en": "Large gradients are scaled by one common factor", "zh": "大梯度按同一个系数缩放"},
)
def large(ctx):
    grads = _grads(ctx, 3.0)
    max_norm = float(ctx.rng.uniform(1.0, 3.0))
    got, total = _unpack(ctx.learner.clip_grad_norm(grads, max_norm), len(grads))
    want, want_total = _torch_clip(grads, max_norm)
    sum_norms = float(sum(np.linalg.norm(g) for g in grads))
    if np.isclose(total, min(want_total, max_norm), rtol=1e-4) and not np.isclose(
        total, want_total, rtol=1e-4
    ):
        _fail(
            f"total_norm is {total:.4g}, the norm AFTER clipping; return the norm before clipping ({want_total:.4g}), as torch does: it tells you how large the gradient really was.",
            f"total_norm 为 {total:.4g}，这是裁剪之后的范数；请像 torch 一样返回裁剪之前的范数（{want_total:.4g}）：它告诉你梯度原本有多大。",
        )
    if np.isclose(total, sum_norms, rtol=1e-6):
        _fail(
            f"total_norm is {total:.4g}, the SUM of the arrays' norms; the global norm is the square root of the sum of ALL squared entries ({want_total:.4g}), as if the arrays were one long vector.",
            f"total_norm 为 {total:.4g}，是各个数组范数之和；全局范数是所有元素平方和的平方根（{want_total:.4g}），就像把这些数组拼成一个长向量。",
        )
    expect_close("total_norm (the global norm before clipping)", total, want_total, rtol=1e-6)
    if all(c.shape == g.shape for c, g in zip(got, grads, strict=True)):
        norms = [np.linalg.norm(c) for c in got]
        own = [min(1.0, max_norm / (np.linalg.norm(g) + 1e-6)) for g in grads]
        if (
            np.allclose(got[0], grads[0] * own[0])
            and np.allclose(got[1], grads[1] * own[1])
            and not np.allclose(own[0], own[1])
        ):
            _fail(
                "Each array was clipped by its own norm: that changes the direction of the whole gradient. Compute ONE norm over all arrays together and scale every array by the same factor.",
                "每个数组按它自己的范数分别裁剪了：这会改变整个梯度的方向。请对所有数组一起计算一个范数，并用同一个系数缩放每个数组。",
            )
        if np.sqrt(sum(n**2 for n in norms)) > max_norm * 1.01:
            _fail(
                f"After clipping the global norm is {np.sqrt(sum(n**2 for n in norms)):.4g}, still above max_norm = {max_norm:.4g}.",
                f"裁剪后全局范数为 {np.sqrt(sum(n**2 for n in norms)):.4g}，仍大于 max_norm = {max_norm:.4g}。",
            )
    for k, (c, w) in enumerate(zip(got, want, strict=True)):
        expect_array(f"clipped[{k}]", c, w, rtol=1e-6, atol=1e-10)


@check(points=2, title={"en": "Small gradients are left unchanged", "zh": "小梯度保持不变"})
def small(ctx):
    grads = _grads(ctx, 0.05)
    max_norm = float(ctx.rng.uniform(5.0, 10.0))
    got, total = _unpack(ctx.learner.clip_grad_norm(grads, max_norm), len(grads))
    want, want_total = _torch_clip(grads, max_norm)
    if (
        got
        and got[0].shape == grads[0].shape
        and np.allclose(np.sqrt(sum((c**2).sum() for c in got)), max_norm, rtol=1e-3)
    ):
        _fail(
            f"The gradient norm {want_total:.4g} is below max_norm = {max_norm:.4g}, yet you scaled it up to max_norm. Clip only when the norm is too large: the factor is min(1, max_norm / norm).",
            f"梯度范数 {want_total:.4g} 小于 max_norm = {max_norm:.4g}，你却把它放大到了 max_norm。只有范数过大时才裁剪：系数是 min(1, max_norm / norm)。",
        )
    expect_close("total_norm", total, want_total, rtol=1e-6)
    for k, (c, w) in enumerate(zip(got, want, strict=True)):
        expect_array(f"clipped[{k}] below the threshold", c, w, rtol=1e-9, atol=1e-12)


@check(points=1, title={"en": "Zero gradients stay finite", "zh": "全零梯度保持有限"})
def zeros(ctx):
    zeros = [np.zeros((int(ctx.rng.integers(1, 4)), 3)), np.zeros(4)]
    got, total = _unpack(ctx.learner.clip_grad_norm(zeros, 1.0), 2)
    if not np.isfinite(total) or not all(np.all(np.isfinite(c)) for c in got):
        _fail(
            "With all-zero gradients you return NaN or inf: max_norm / norm divides by zero. Keep the + 1e-6 in the denominator (or skip clipping when the norm is small).",
            "梯度全为零时你返回了 NaN 或 inf：max_norm / norm 除以了零。请在分母中保留 + 1e-6（或在范数很小时不裁剪）。",
        )
    expect_close("total_norm of zero gradients", total, 0.0, atol=1e-12)
    for k, c in enumerate(got):
        expect_array(f"clipped[{k}] of zero gradients", c, zeros[k], atol=1e-12)
