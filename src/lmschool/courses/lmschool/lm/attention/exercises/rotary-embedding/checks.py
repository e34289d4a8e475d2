"""Hidden checks for lm/attention/rotary-embedding: values, lengths, and the relative-position property.

The values are compared with the reference; the two properties that make RoPE useful
are then checked on the learner's own outputs: every vector keeps its length, and the
dot product of a rotated query and a rotated key depends only on their offset.
"""

import numpy as np
import torch

from lmschool.grading.checks import check, expect, expect_array, fail
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


def _rope(x, positions, base, *, pairs="adjacent", sign=1.0, exponent=2.0):
    """RoPE with knobs for the usual mistakes (NumPy, float64)."""
    d = x.shape[-1]
    freq = base ** (-exponent * np.arange(d // 2) / d)
    angle = np.asarray(positions, dtype=np.float64)[:, None] * freq
    cos, sin = np.cos(angle), sign * np.sin(angle)
    if pairs == "adjacent":
        x1, x2 = x[..., 0::2], x[..., 1::2]
    else:  # GPT-NeoX / LLaMA layout: x[i] with x[i + d/2]
        x1, x2 = x[..., : d // 2], x[..., d // 2 :]
    r1, r2 = x1 * cos - x2 * sin, x1 * sin + x2 * cos
    out = np.empty_like(x)
    if pairs == "adjacent":
        out[..., 0::2], out[..., 1::2] = r1, r2
    else:
        out[..., : d // 2], out[..., d // 2 :] = r1, r2
    return out


def _diagnose(got, x, positions, base):
    T = x.shape[-2]
    if got.shape != x.shape:
        return
    tests = [
        (
            _rope(x, positions, base, pairs="halves"),
            "You rotate x[i] with x[i + d/2] (the GPT-NeoX / LLaMA layout). It is a valid RoPE, but this exercise pairs ADJACENT coordinates, (x[2i], x[2i+1]), as the RoFormer paper does: take x[..., 0::2] and x[..., 1::2].",
            "你把 x[i] 和 x[i + d/2] 配成一对旋转（GPT-NeoX / LLaMA 的布局）。这也是一种正确的 RoPE，但本题按 RoFormer 论文的做法，把“相邻”的坐标 (x[2i], x[2i+1]) 配对：取 x[..., 0::2] 和 x[..., 1::2]。",
        ),
        (
            _rope(x, positions, base, sign=-1.0),
            "Every pair is rotated the wrong way (by -angle): the rotation is (x1, x2) -> (x1 cos - x2 sin, x1 sin + x2 cos).",
            "每一对都朝反方向旋转了（转了 -angle）：旋转应为 (x1, x2) -> (x1 cos - x2 sin, x1 sin + x2 cos)。",
        ),
        (
            _rope(x, positions, base, exponent=1.0),
            "The frequencies are base ** (-i / d) for pair i; they must be base ** (-2i / d), i.e. base ** (-torch.arange(0, d, 2) / d), so that the last pair turns about base times slower than the first.",
            "第 i 对的频率写成了 base ** (-i / d)；应当是 base ** (-2i / d)，即 base ** (-torch.arange(0, d, 2) / d)，这样最后一对比第一对慢约 base 倍。",
        ),
        (
            _rope(x, np.arange(T), base),
            "The positions argument is ignored: you rotate by 0, 1, 2, ... instead of by the given positions.",
            "参数 positions 被忽略了：你按 0, 1, 2, ... 旋转，而不是按给定的位置旋转。",
        ),
        (
            _rope(x, np.asarray(positions) + 1, base),
            "The angles use position + 1: position p must be rotated by p * frequency, so that position 0 is left unchanged.",
            "角度用了 position + 1：位置 p 应当旋转 p * 频率，这样位置 0 保持不变。",
        ),
        (
            _rope(x, positions, 10000.0),
            "The base argument is ignored: the frequencies must be computed from base, not from a fixed 10000.",
            "参数 base 被忽略了：频率必须由 base 计算，而不是固定用 10000。",
        ),
    ]
    for wrong, en, zh in tests:
        if np.allclose(got, wrong, rtol=1e-7, atol=1e-10):
            _fail(en, zh)


def _call(ctx, x, positions, base=None):
    if base is None:
        got = ctx.learner.apply_rotary(
            _t(x), torch.from_numpy(np.asarray(positions, dtype=np.int64))
        )
    else:
        got = ctx.learner.apply_rotary(
            _t(x), torch.from_numpy(np.asarray(positions, dtype=np.int64)), base
        )
    return _as_array("apply_rotary(x, positions)", got)


@check(
    points=3,
    title={
        "en": "Values on (B, H, T, d) at given positions",
        "zh": "在给定位置上 (B, H, T, d) 的数值",
    },
)
def values(ctx):
    B, H, T = 2, int(ctx.rng.integers(2, 4)), int(ctx.rng.integers(5, 9))
    d = 2 * int(ctx.rng.integers(3, 7))
    x = ctx.rng.normal(size=(B, H, T, d))
    positions = int(ctx.rng.integers(3, 50)) + np.arange(T)  # a window that does not start at 0
    got = _call(ctx, x, positions)
    want = _rope(x, positions, 10000.0)
    if not np.allclose(got, want, rtol=1e-7, atol=1e-10):
        _diagnose(got, x, positions, 10000.0)
    expect_array("apply_rotary(x, positions)", got, want, rtol=1e-7, atol=1e-10)


@check(points=1, title={"en": "Another base, 2-D input", "zh": "另一个 base，二维输入"})
def other_base(ctx):
    T, d = int(ctx.rng.integers(4, 8)), 2 * int(ctx.rng.integers(2, 5))
    x = ctx.rng.normal(size=(T, d))
    positions = ctx.rng.permutation(20)[:T]  # any positions, in any order
    base = float(ctx.rng.choice([100.0, 500.0]))
    got = _call(ctx, x, positions, base)
    want = _rope(x, positions, base)
    if not np.allclose(got, want, rtol=1e-7, atol=1e-10):
        _diagnose(got, x, positions, base)
    expect_array(
        f"apply_rotary(x, positions, base={base:g}) with x of shape (T, d)",
        got,
        want,
        rtol=1e-7,
        atol=1e-10,
    )


@check(
    points=1,
    title={
        "en": "Position 0 is unchanged; lengths are kept",
        "zh": "位置 0 保持不变；向量长度不变",
    },
)
def norms(ctx):
    T, d = int(ctx.rng.integers(5, 9)), 2 * int(ctx.rng.integers(3, 7))
    x = ctx.rng.normal(size=(3, T, d))
    positions = np.arange(T) * int(ctx.rng.integers(1, 7))
    got = _call(ctx, x, positions)
    if got.shape != x.shape:
        expect_array("apply_rotary(x, positions)", got, x)
    expect_array(
        "apply_rotary(x, positions)[..., 0, :] (position 0: angle 0, no rotation)",
        got[..., 0, :],
        x[..., 0, :],
        rtol=1e-9,
        atol=1e-12,
    )
    n_got, n_x = np.linalg.norm(got, axis=-1), np.linalg.norm(x, axis=-1)
    if not np.allclose(n_got, n_x, rtol=1e-9):
        i = np.unravel_index(np.argmax(np.abs(n_got - n_x)), n_x.shape)
        _fail(
            f"A rotation keeps lengths, but the vector at index {tuple(int(v) for v in i)} had length {n_x[i]:.6g} and has {n_got[i]:.6g} after apply_rotary. Each pair must be rotated: (x1 cos - x2 sin, x1 sin + x2 cos), with the same angle for both coordinates of a pair.",
            f"旋转不改变长度，但下标 {tuple(int(v) for v in i)} 处的向量原长 {n_x[i]:.6g}，apply_rotary 之后变成了 {n_got[i]:.6g}。每一对坐标都必须旋转：(x1 cos - x2 sin, x1 sin + x2 cos)，一对里的两个坐标用同一个角度。",
        )


@check(points=2, title={"en": "q·k depends only on the offset", "zh": "q·k 只取决于位置之差"})
def relative(ctx):
    d = 2 * int(ctx.rng.integers(3, 7))
    n = 6
    q, k = ctx.rng.normal(size=(n, d)), ctx.rng.normal(size=(n, d))
    m = ctx.rng.integers(0, 30, size=n)  # query positions
    j = ctx.rng.integers(0, 30, size=n)  # key positions
    shift = int(ctx.rng.integers(5, 40))
    scores = []
    for s in (0, shift):
        rq = _call(ctx, q, m + s)
        rk = _call(ctx, k, j + s)
        if rq.shape != q.shape or rk.shape != k.shape:
            expect_array("apply_rotary(x, positions)", rq, q)
        scores.append(np.sum(rq * rk, axis=-1))  # rotated q_i . rotated k_i
    expect(
        np.allclose(scores[0], scores[1], rtol=1e-7, atol=1e-9),
        {
            "en": f"Shifting every position by {shift} changed the dot products of rotated queries and keys (e.g. {scores[0][0]:.6g} became {scores[1][0]:.6g}). With RoPE, R(m) q · R(n) k = q · R(n - m) k depends only on n - m: every pair must turn by position times a frequency that is the same for q and k.",
            "zh": f"把所有位置都平移 {shift} 之后，旋转后的查询与键的点积变了（例如 {scores[0][0]:.6g} 变成了 {scores[1][0]:.6g}）。使用 RoPE 时 R(m) q · R(n) k = q · R(n - m) k 只取决于 n - m：每一对坐标都要按“位置 × 频率”旋转，且 q 和 k 的频率相同。",
        },
    )
