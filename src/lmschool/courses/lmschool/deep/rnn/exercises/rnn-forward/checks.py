"""Hidden checks for deep/rnn/rnn-forward: compared with torch.nn.RNN carrying the same weights.

Each mismatch is tested against the signature of a common mistake (h0 used at every step,
W_hh transposed, bias left out, tanh around part of the sum) so the message names it.
"""

import numpy as np
import torch

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


def _as_array(name, got):
    if isinstance(got, RemoteObject):
        _fail(
            f"{name} must be an array or tensor, not a {got.type_name}.",
            f"{name} 必须是数组或张量，而不是 {got.type_name}。",
        )
    if isinstance(got, torch.Tensor):
        got = got.detach().cpu().numpy()
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} must be an array of numbers.", f"{name} 必须是数值数组。")


def _unpack(got):
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        _fail(
            "rnn_forward must return a tuple (outputs, h_T) of two arrays.",
            "rnn_forward 必须返回由两个数组组成的元组 (outputs, h_T)。",
        )
    return _as_array("outputs", got[0]), _as_array("h_T", got[1])


def _torch_rnn(x, h0, W_xh, W_hh, b_h):
    D, H = W_xh.shape[1], W_xh.shape[0]
    rnn = torch.nn.RNN(D, H, nonlinearity="tanh").double()
    with torch.no_grad():
        rnn.weight_ih_l0.copy_(torch.from_numpy(W_xh))
        rnn.weight_hh_l0.copy_(torch.from_numpy(W_hh))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b_h))
        rnn.bias_hh_l0.zero_()  # torch adds two biases; one is enough
        out, hT = rnn(torch.from_numpy(x), torch.from_numpy(h0)[None])
    return out.numpy(), hT[0].numpy()


def _variants(x, h0, W_xh, W_hh, b_h):
    """Outputs of the usual mistakes, keyed by the diagnosis."""
    out = {}
    h, o = h0, []
    for t in range(len(x)):  # the state is not carried: h0 at every step
        o.append(np.tanh(x[t] @ W_xh.T + h0 @ W_hh.T + b_h))
    out["h0"] = np.stack(o)
    h, o = h0, []
    for t in range(len(x)):
        h = np.tanh(x[t] @ W_xh.T + h @ W_hh + b_h)
        o.append(h)
    out["transposed"] = np.stack(o)
    h, o = h0, []
    for t in range(len(x)):
        h = np.tanh(x[t] @ W_xh.T + h @ W_hh.T)
        o.append(h)
    out["bias"] = np.stack(o)
    h, o = h0, []
    for t in range(len(x)):
        h = np.tanh(x[t] @ W_xh.T + b_h) + h @ W_hh.T
        o.append(h)
    out["partial"] = np.stack(o)
    h, o = h0, []
    for t in range(len(x)):  # off by one: h_0..h_{T-1}
        o.append(h)
        h = np.tanh(x[t] @ W_xh.T + h @ W_hh.T + b_h)
    out["shifted"] = np.stack(o)
    return out


MESSAGES = {
    "h0": (
        "Every step uses h0 as the previous state: the state is not carried over. Overwrite h at each step (h = tanh(...)) and use that h in the next step.",
        "每一步都把 h0 当作上一步的状态：状态没有传递下去。每一步都要覆盖 h（h = tanh(...)），并在下一步使用这个 h。",
    ),
    "transposed": (
        "W_hh is used transposed: with a batch in rows, W_hh h_{t-1} is h @ W_hh.T, not h @ W_hh.",
        "W_hh 被转置了：样本按行排列时，W_hh h_{t-1} 应写成 h @ W_hh.T，而不是 h @ W_hh。",
    ),
    "bias": (
        "The bias b_h is missing from the sum inside tanh.",
        "tanh 里面的和缺少偏置 b_h。",
    ),
    "shifted": (
        "outputs is shifted by one step: it holds h_0 .. h_{T-1} (starting with h0) instead of h_1 .. h_T. Append the new state AFTER computing it.",
        "outputs 错开了一步：它存放的是 h_0 .. h_{T-1}（以 h0 开头），而不是 h_1 .. h_T。请在算出新状态之后再把它加入列表。",
    ),
    "partial": (
        "tanh is applied to only part of the sum: W_hh h_{t-1} must be inside the tanh, together with W_xh x_t and b_h.",
        "tanh 只作用在和的一部分上：W_hh h_{t-1} 也必须和 W_xh x_t、b_h 一起放在 tanh 里面。",
    ),
}


def _problem(ctx, T, N, D, H):
    rng = ctx.rng
    x = rng.normal(size=(T, N, D))
    h0 = rng.normal(scale=0.5, size=(N, H))
    W_xh = rng.normal(scale=0.6, size=(H, D))
    W_hh = rng.normal(scale=0.5, size=(H, H))
    b_h = rng.normal(scale=0.5, size=H)
    return x, h0, W_xh, W_hh, b_h


def _compare(ctx, args, label):
    got_out, got_h = _unpack(ctx.learner.rnn_forward(*args))
    want_out, want_h = _torch_rnn(*args)
    if got_out.shape == want_out.shape and not np.allclose(got_out, want_out, rtol=1e-6, atol=1e-8):
        for key, wrong in _variants(*args).items():
            if np.allclose(got_out, wrong, rtol=1e-6, atol=1e-8):
                _fail(*MESSAGES[key])
    expect_array(f"outputs {label}", got_out, want_out, rtol=1e-6, atol=1e-8)
    expect_array(f"h_T {label}", got_h, want_h, rtol=1e-6, atol=1e-8)


@check(points=2, title={"en": "One time step", "zh": "只有一个时间步"})
def one_step(ctx):
    H = int(ctx.rng.integers(3, 6))
    args = _problem(ctx, 1, 2, H + 2, H)
    _compare(ctx, args, "for T = 1 (one step: tanh(W_xh x_1 + W_hh h0 + b_h))")


@check(
    points=3,
    title={"en": "A batch of sequences matches torch.nn.RNN", "zh": "一批序列与 torch.nn.RNN 一致"},
)
def matches_torch(ctx):
    H = int(ctx.rng.integers(3, 7))
    args = _problem(ctx, int(ctx.rng.integers(5, 9)), int(ctx.rng.integers(2, 5)), H + 1, H)
    _compare(ctx, args, "compared with torch.nn.RNN")


@check(
    points=1,
    title={"en": "A single sequence with a zero initial state", "zh": "初始状态为零的单条序列"},
)
def zero_state(ctx):
    H = int(ctx.rng.integers(2, 5))
    x, h0, W_xh, W_hh, b_h = _problem(ctx, int(ctx.rng.integers(3, 6)), 1, 3, H)
    _compare(ctx, (x, np.zeros_like(h0), W_xh, W_hh, b_h), "for N = 1 and h0 = 0")
