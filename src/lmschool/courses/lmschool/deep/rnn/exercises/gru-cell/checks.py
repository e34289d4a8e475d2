"""Hidden checks for deep/rnn/gru-cell: the learner's NumPy cell against torch.nn.GRUCell and nn.GRU.

The checks copy the same weights into torch.nn.GRUCell (one step) and torch.nn.GRU (a whole
sequence, the learner's cell called once per step with its own state), in float64, with
D != H. A result that equals a known mistake (the other update convention, the reset gate
applied before the matrix product or outside the bias b_hn, the gates in another order, a
bias left out) is named before the values are compared.
"""

from itertools import permutations

import numpy as np
import torch

from lmschool.grading.checks import (
    as_array,
    check,
    expect_array,
    fail,
    matches,
    set_torch_parameters,
)
from lmschool.grading.proxy import LearnerError

RTOL, ATOL = 1e-6, 1e-8
ORDER = "rzn"  # PyTorch's order of the three blocks of rows


def _load(module, W_ih, W_hh, b_ih, b_hh, suffix=""):
    return set_torch_parameters(
        module,
        **{
            "weight_ih" + suffix: W_ih,
            "weight_hh" + suffix: W_hh,
            "bias_ih" + suffix: b_ih,
            "bias_hh" + suffix: b_hh,
        },
    )


def _torch_cell(x, h, W_ih, W_hh, b_ih, b_hh):
    cell = _load(torch.nn.GRUCell(x.shape[1], h.shape[1]).double(), W_ih, W_hh, b_ih, b_hh)
    with torch.no_grad():
        return cell(torch.from_numpy(x), torch.from_numpy(h)).numpy()


def _torch_gru(xs, h0, W_ih, W_hh, b_ih, b_hh):
    """nn.GRU over a whole (T, N, D) sequence: every h_t."""
    gru = _load(torch.nn.GRU(xs.shape[2], h0.shape[1]).double(), W_ih, W_hh, b_ih, b_hh, "_l0")
    with torch.no_grad():
        out, _ = gru(torch.from_numpy(xs), torch.from_numpy(h0)[None])
    return out.numpy()


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _variant(mistake, x, h, W_ih, W_hh, b_ih, b_hh):
    """One step written with a known mistake; `mistake` may be a gate order like "zrn"."""
    order = mistake if len(mistake) == 3 and set(mistake) == set(ORDER) else ORDER
    gi = dict(zip(order, np.split(x @ W_ih.T + b_ih, 3, axis=1), strict=True))
    b_h = 0.0 * b_hh if mistake == "one_bias" else b_hh
    Wh = dict(zip(order, np.split(W_hh, 3, axis=0), strict=True))
    bh = dict(zip(order, np.split(b_h, 3), strict=True))
    r = _sigmoid(gi["r"] + h @ Wh["r"].T + bh["r"])
    z = _sigmoid(gi["z"] + h @ Wh["z"].T + bh["z"])
    if mistake == "reset_before_product":
        n = np.tanh(gi["n"] + (r * h) @ Wh["n"].T + bh["n"])
    elif mistake == "reset_outside_bias":
        n = np.tanh(gi["n"] + r * (h @ Wh["n"].T) + bh["n"])
    elif mistake == "no_reset":
        n = np.tanh(gi["n"] + h @ Wh["n"].T + bh["n"])
    elif mistake == "sigmoid_candidate":
        n = _sigmoid(gi["n"] + r * (h @ Wh["n"].T + bh["n"]))
    else:
        n = np.tanh(gi["n"] + r * (h @ Wh["n"].T + bh["n"]))
    if mistake == "update_swapped":
        return z * n + (1 - z) * h
    return (1 - z) * n + z * h


MESSAGES = {
    "update_swapped": (
        "You wrote h_new = z * n + (1 - z) * h, the convention of some textbooks. PyTorch writes h_new = (1 - z) * n + z * h: z near 1 keeps the old state.",
        "你写的是 h_new = z * n + (1 - z) * h，这是一些教材的写法。PyTorch 的写法是 h_new = (1 - z) * n + z * h：z 接近 1 时保留旧的状态。",
    ),
    "reset_before_product": (
        "The reset gate multiplies h before the matrix product, W_hn (r * h). PyTorch applies it after the product and its bias: n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).",
        "重置门在矩阵乘法之前乘到了 h 上，即 W_hn (r * h)。PyTorch 是在乘法和它的偏置之后才施加重置门：n = tanh(W_in x + b_in + r * (W_hn h + b_hn))。",
    ),
    "reset_outside_bias": (
        "b_hn is outside the reset gate: r * (W_hn h) + b_hn. In PyTorch the reset gate multiplies the bias too: r * (W_hn h + b_hn).",
        "b_hn 放在了重置门外面：r * (W_hn h) + b_hn。在 PyTorch 中重置门连偏置一起相乘：r * (W_hn h + b_hn)。",
    ),
    "no_reset": (
        "The reset gate r is never used: the candidate is n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).",
        "重置门 r 没有被用上：候选值应为 n = tanh(W_in x + b_in + r * (W_hn h + b_hn))。",
    ),
    "sigmoid_candidate": (
        "The candidate n goes through a sigmoid: it must go through tanh, n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), so that it can also be negative. Only the gates r and z use the sigmoid.",
        "候选值 n 用了 sigmoid：它必须经过 tanh，即 n = tanh(W_in x + b_in + r * (W_hn h + b_hn))，这样它也能取负值。只有门 r 和 z 才用 sigmoid。",
    ),
    "one_bias": (
        "b_hh is missing: PyTorch adds b_ih to the input's part and b_hh to the state's part of every gate (b_hn inside the reset gate).",
        "缺少 b_hh：PyTorch 给每个门的输入部分加 b_ih，给状态部分加 b_hh（b_hn 在重置门里面）。",
    ),
}


def _same(a, b):
    return matches(a, b, rtol=RTOL, atol=ATOL)


def _diagnose(got, want, args):
    if _same(got, want):
        return
    found = [m for m in MESSAGES if _same(got, _variant(m, *args))]
    if len(found) == 1:
        en, zh = MESSAGES[found[0]]
        fail({"en": en, "zh": zh})
    if found:  # with h = 0 some mistakes give the same numbers: name them all
        fail(
            {
                "en": "Your result equals more than one known mistake on these inputs. "
                + " Or: ".join(MESSAGES[m][0] for m in found),
                "zh": "在这组输入上，你的结果与不止一种常见错误相同。"
                + " 或者：".join(MESSAGES[m][1] for m in found),
            }
        )
    for perm in permutations(ORDER):
        order = "".join(perm)
        if order != ORDER and _same(got, _variant(order, *args)):
            spelled = ", ".join(order)
            fail(
                {
                    "en": f"Your gates are in the order {spelled}. The rows of W_ih, W_hh, b_ih and b_hh hold three blocks of H rows in PyTorch's order r, z, n: reset gate, update gate, candidate.",
                    "zh": f"你的门的顺序是 {spelled}。W_ih、W_hh、b_ih 和 b_hh 的各行按 PyTorch 的顺序分成三块，每块 H 行：r、z、n，即重置门、更新门、候选值。",
                }
            )


def _weights(rng, D, H):
    W_ih = rng.normal(scale=0.6, size=(3 * H, D))
    W_hh = rng.normal(scale=0.6, size=(3 * H, H))
    b_ih = rng.normal(scale=0.5, size=3 * H)
    b_hh = rng.normal(scale=0.8, size=3 * H)
    return W_ih, W_hh, b_ih, b_hh


def _call(fn, args):
    """Call the learner's cell; a matrix product of the wrong shapes is explained."""
    x, W_ih = args[0], args[-4]
    H, D = W_ih.shape[0] // 3, x.shape[1]
    try:
        return fn(*args)
    except LearnerError as exc:
        if "matmul" not in exc.message and "not aligned" not in exc.message:
            raise
        said = exc.message[:200]
        fail(
            {
                "en": f"Your code raised {exc.type_name} in a matrix product: {said}. The weights are stored as in PyTorch, one row per output: W_ih is (3H, D) = ({3 * H}, {D}) and W_hh is (3H, H) = ({3 * H}, {H}). With the examples in rows, multiply x @ W_ih.T and h @ W_hh.T.",
                "zh": f"你的代码在矩阵乘法中抛出了 {exc.type_name}：{said}。权重按 PyTorch 的方式存放，每一行对应一个输出：W_ih 的形状为 (3H, D) = ({3 * H}, {D})，W_hh 为 (3H, H) = ({3 * H}, {H})。样本按行排列时，应计算 x @ W_ih.T 和 h @ W_hh.T。",
            }
        )


def _step(ctx, label, x, h, weights):
    args = (x, h, *weights)
    got = as_array("h_new", _call(ctx.learner.gru_cell, args))
    want = _torch_cell(*args)
    _diagnose(got, want, args)
    expect_array(f"h_new {label}", got, want, rtol=RTOL, atol=ATOL)
    return got


@check(
    points=2,
    title={
        "en": "One step on a batch matches torch.nn.GRUCell",
        "zh": "一批样本上的一步与 torch.nn.GRUCell 一致",
    },
)
def one_step(ctx):
    H = int(ctx.rng.integers(2, 6))
    N, D = int(ctx.rng.integers(2, 5)), H + int(ctx.rng.integers(1, 4))
    x = ctx.rng.normal(size=(N, D))
    h = ctx.rng.normal(scale=0.7, size=(N, H))
    _step(ctx, f"for x {x.shape}, h {h.shape}", x, h, _weights(ctx.rng, D, H))


@check(
    points=1,
    title={"en": "One example, zero initial state", "zh": "单个样本、初始状态为零"},
)
def zero_state(ctx):
    H = int(ctx.rng.integers(2, 6))
    D = H + 2
    x = ctx.rng.normal(size=(1, D))
    _step(ctx, "for N = 1 and h = 0", x, np.zeros((1, H)), _weights(ctx.rng, D, H))


@check(
    points=3,
    title={
        "en": "Your cell over a sequence matches torch.nn.GRU",
        "zh": "你的单元在整个序列上与 torch.nn.GRU 一致",
    },
)
def sequence(ctx):
    H = int(ctx.rng.integers(3, 6))
    T, N, D = int(ctx.rng.integers(4, 8)), int(ctx.rng.integers(2, 4)), H - 1
    weights = _weights(ctx.rng, D, H)
    xs = ctx.rng.normal(size=(T, N, D))
    h0 = ctx.rng.normal(scale=0.7, size=(N, H))
    h, outs = h0, []
    for t in range(T):  # the learner's own state goes into the next step
        h = _step(ctx, f"at step {t + 1} of {T}", xs[t], h, weights)
        outs.append(h)
    want = _torch_gru(xs, h0, *weights)
    expect_array(
        "h_1 .. h_T compared with torch.nn.GRU", np.stack(outs), want, rtol=RTOL, atol=ATOL
    )
