"""Hidden checks for deep/rnn/lstm-cell: the learner's NumPy cell against torch.nn.LSTMCell and nn.LSTM.

The checks copy the same weights into torch.nn.LSTMCell (one step) and torch.nn.LSTM (a
whole sequence, the learner's cell called once per step with its own states), in float64,
with D != H so that a transposed matrix cannot pass. A result that equals a known mistake
(the gates in another order, the cell not squashed, a sigmoid candidate, a bias left out,
h and c swapped) is named before the values are compared.
"""

from itertools import permutations

import numpy as np
import torch

from lmschool.grading.checks import (
    as_array,
    as_tuple,
    check,
    expect_array,
    fail,
    matches,
    set_torch_parameters,
)
from lmschool.grading.proxy import LearnerError

RTOL, ATOL = 1e-6, 1e-8
ORDER = "ifgo"  # PyTorch's order of the four blocks of rows


def _unpack(got):
    h_new, c_new = as_tuple("lstm_cell", got, ("h_new", "c_new"))
    return as_array("h_new", h_new), as_array("c_new", c_new)


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


def _torch_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    cell = _load(torch.nn.LSTMCell(x.shape[1], h.shape[1]).double(), W_ih, W_hh, b_ih, b_hh)
    with torch.no_grad():
        h_new, c_new = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
    return h_new.numpy(), c_new.numpy()


def _torch_lstm(xs, h0, c0, W_ih, W_hh, b_ih, b_hh):
    """nn.LSTM over a whole (T, N, D) sequence: every h_t and the last c."""
    lstm = torch.nn.LSTM(xs.shape[2], h0.shape[1]).double()
    _load(lstm, W_ih, W_hh, b_ih, b_hh, suffix="_l0")
    with torch.no_grad():
        out, (_, c_T) = lstm(
            torch.from_numpy(xs), (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None])
        )
    return out.numpy(), c_T[0].numpy()


def _sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


def _variant(mistake, x, h, c, W_ih, W_hh, b_ih, b_hh):
    """One step written with a known mistake; `mistake` may be a gate order like "ifog"."""
    pre = x @ W_ih.T + b_ih + h @ W_hh.T + (0.0 if mistake == "one_bias" else b_hh)
    blocks = np.split(pre, 4, axis=1)
    order = mistake if len(mistake) == 4 and set(mistake) == set(ORDER) else ORDER
    a = dict(zip(order, blocks, strict=True))  # the learner reads block k as gate order[k]
    i, f, o = _sigmoid(a["i"]), _sigmoid(a["f"]), _sigmoid(a["o"])
    g = _sigmoid(a["g"]) if mistake == "sigmoid_candidate" else np.tanh(a["g"])
    c_new = c + i * g if mistake == "no_forget" else f * c + i * g
    if mistake == "no_tanh_cell":
        h_new = o * c_new
    elif mistake == "old_cell":
        h_new = o * np.tanh(c)
    else:
        h_new = o * np.tanh(c_new)
    if mistake == "swapped":
        return c_new, h_new
    return h_new, c_new


MESSAGES = {
    "no_tanh_cell": (
        "h_new = o * c_new is missing the tanh: the output is h_new = o * tanh(c_new). The cell c can grow beyond 1; the tanh squashes it before the output gate shows part of it.",
        "h_new = o * c_new 漏掉了 tanh：输出应为 h_new = o * tanh(c_new)。记忆单元 c 可以超过 1，输出门展示它的一部分之前要先用 tanh 压缩。",
    ),
    "sigmoid_candidate": (
        "The candidate g goes through a sigmoid: it must go through tanh (values between -1 and 1, so the cell can also decrease). Only the gates i, f and o use the sigmoid.",
        "候选值 g 用了 sigmoid：它必须经过 tanh（取值在 -1 到 1 之间，这样记忆单元也能减小）。只有门 i、f、o 才用 sigmoid。",
    ),
    "no_forget": (
        "The forget gate is missing from the cell update: c_new = f * c + i * g, not c + i * g.",
        "记忆单元的更新漏掉了遗忘门：c_new = f * c + i * g，而不是 c + i * g。",
    ),
    "old_cell": (
        "h_new uses the old cell c: compute c_new first, then h_new = o * tanh(c_new).",
        "h_new 用的是旧的记忆单元 c：应先算出 c_new，再算 h_new = o * tanh(c_new)。",
    ),
    "one_bias": (
        "b_hh is missing: PyTorch adds both biases, x @ W_ih.T + b_ih + h @ W_hh.T + b_hh.",
        "缺少 b_hh：PyTorch 把两个偏置都加上，x @ W_ih.T + b_ih + h @ W_hh.T + b_hh。",
    ),
    "swapped": (
        "h_new and c_new are swapped: return (h_new, c_new), in this order, as torch.nn.LSTMCell does.",
        "h_new 和 c_new 的位置颠倒了：请按 (h_new, c_new) 的顺序返回，与 torch.nn.LSTMCell 一致。",
    ),
}


def _same(a, b):
    return matches(a, b, rtol=RTOL, atol=ATOL)


def _diagnose(got, want, args):
    if _same(got, want):
        return
    for mistake, (en, zh) in MESSAGES.items():
        if _same(got, _variant(mistake, *args)):
            fail({"en": en, "zh": zh})
    for perm in permutations(ORDER):
        order = "".join(perm)
        if order != ORDER and _same(got, _variant(order, *args)):
            spelled = ", ".join(order)
            fail(
                {
                    "en": f"Your gates are in the order {spelled}. The rows of W_ih, W_hh, b_ih and b_hh hold four blocks of H rows in PyTorch's order i, f, g, o: input gate, forget gate, candidate, output gate.",
                    "zh": f"你的门的顺序是 {spelled}。W_ih、W_hh、b_ih 和 b_hh 的各行按 PyTorch 的顺序分成四块，每块 H 行：i、f、g、o，即输入门、遗忘门、候选值、输出门。",
                }
            )


def _weights(rng, D, H):
    W_ih = rng.normal(scale=0.5, size=(4 * H, D))
    W_hh = rng.normal(scale=0.5, size=(4 * H, H))
    b_ih = rng.normal(scale=0.5, size=4 * H)
    b_hh = rng.normal(scale=0.5, size=4 * H)
    return W_ih, W_hh, b_ih, b_hh


def _call(fn, args):
    """Call the learner's cell; a matrix product of the wrong shapes is explained."""
    x, W_ih = args[0], args[-4]
    H, D = W_ih.shape[0] // 4, x.shape[1]
    try:
        return fn(*args)
    except LearnerError as exc:
        if "matmul" not in exc.message and "not aligned" not in exc.message:
            raise
        said = exc.message[:200]
        fail(
            {
                "en": f"Your code raised {exc.type_name} in a matrix product: {said}. The weights are stored as in PyTorch, one row per output: W_ih is (4H, D) = ({4 * H}, {D}) and W_hh is (4H, H) = ({4 * H}, {H}). With the examples in rows, multiply x @ W_ih.T and h @ W_hh.T.",
                "zh": f"你的代码在矩阵乘法中抛出了 {exc.type_name}：{said}。权重按 PyTorch 的方式存放，每一行对应一个输出：W_ih 的形状为 (4H, D) = ({4 * H}, {D})，W_hh 为 (4H, H) = ({4 * H}, {H})。样本按行排列时，应计算 x @ W_ih.T 和 h @ W_hh.T。",
            }
        )


def _step(ctx, label, x, h, c, weights):
    args = (x, h, c, *weights)
    got = _unpack(_call(ctx.learner.lstm_cell, args))
    want = _torch_cell(*args)
    _diagnose(got, want, args)
    expect_array(f"h_new {label}", got[0], want[0], rtol=RTOL, atol=ATOL)
    expect_array(f"c_new {label}", got[1], want[1], rtol=RTOL, atol=ATOL)
    return got


@check(
    points=2,
    title={
        "en": "One step on a batch matches torch.nn.LSTMCell",
        "zh": "一批样本上的一步与 torch.nn.LSTMCell 一致",
    },
)
def one_step(ctx):
    H = int(ctx.rng.integers(2, 6))
    N, D = int(ctx.rng.integers(2, 5)), H + int(ctx.rng.integers(1, 4))
    x = ctx.rng.normal(size=(N, D))
    h = ctx.rng.normal(scale=0.5, size=(N, H))
    c = ctx.rng.normal(size=(N, H))
    _step(ctx, f"for x {x.shape}, h and c {h.shape}", x, h, c, _weights(ctx.rng, D, H))


@check(
    points=1,
    title={"en": "One example, zero initial states", "zh": "单个样本、初始状态为零"},
)
def zero_state(ctx):
    H = int(ctx.rng.integers(2, 6))
    D = H + 2
    x = ctx.rng.normal(size=(1, D))
    zeros = np.zeros((1, H))
    _step(ctx, "for N = 1 and h = c = 0", x, zeros, zeros.copy(), _weights(ctx.rng, D, H))


@check(
    points=3,
    title={
        "en": "Your cell over a sequence matches torch.nn.LSTM",
        "zh": "你的单元在整个序列上与 torch.nn.LSTM 一致",
    },
)
def sequence(ctx):
    H = int(ctx.rng.integers(3, 6))
    T, N, D = int(ctx.rng.integers(4, 8)), int(ctx.rng.integers(2, 4)), H - 1
    weights = _weights(ctx.rng, D, H)
    xs = ctx.rng.normal(size=(T, N, D))
    h0 = ctx.rng.normal(scale=0.5, size=(N, H))
    c0 = ctx.rng.normal(size=(N, H))
    h, c, outs = h0, c0, []
    for t in range(T):  # the learner's own states go into the next step
        h, c = _step(ctx, f"at step {t + 1} of {T}", xs[t], h, c, weights)
        outs.append(h)
    want_out, want_c = _torch_lstm(xs, h0, c0, *weights)
    expect_array(
        "h_1 .. h_T compared with torch.nn.LSTM", np.stack(outs), want_out, rtol=RTOL, atol=ATOL
    )
    expect_array("c_T compared with torch.nn.LSTM", c, want_c, rtol=RTOL, atol=ATOL)
