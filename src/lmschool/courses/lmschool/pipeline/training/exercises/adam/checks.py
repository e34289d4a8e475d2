"""Checks for Adam: parameters after every step, against torch.optim.Adam run here in float64."""

import numpy as np
import torch

from lmschool.grading.checks import check, expect, expect_array, fail
from lmschool.grading.proxy import RemoteObject


def _torch_adam(params0, grad_steps, **hyper):
    """Parameters after each step of torch.optim.Adam (float64), as lists of NumPy arrays."""
    weights = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params0]
    optimizer = torch.optim.Adam(weights, **hyper)
    history = []
    for grads in grad_steps:
        for w, g in zip(weights, grads, strict=True):
            w.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        history.append([w.detach().numpy().copy() for w in weights])
    return history


def _variant(
    params0,
    grad_steps,
    lr=1e-3,
    betas=(0.9, 0.999),
    eps=1e-8,
    *,
    fix1=True,
    fix2=True,
    t0=0,
    eps_in_sqrt=False,
):
    """A NumPy Adam with a known mistake switched on, to name the learner's mistake."""
    b1, b2 = betas
    ps = [np.array(p, dtype=np.float64) for p in params0]
    ms = [np.zeros_like(p) for p in ps]
    vs = [np.zeros_like(p) for p in ps]
    history = []
    with np.errstate(all="ignore"):
        for t, grads in enumerate(grad_steps, start=1 + t0):
            for p, m, v, g in zip(ps, ms, vs, grads, strict=True):
                m[:] = b1 * m + (1 - b1) * g
                v[:] = b2 * v + (1 - b2) * g * g
                m_hat = m / (1 - b1**t) if fix1 else m
                v_hat = v / (1 - b2**t) if fix2 else v
                denom = np.sqrt(v_hat + eps) if eps_in_sqrt else np.sqrt(v_hat) + eps
                p -= lr * m_hat / denom
            history.append([p.copy() for p in ps])
    return history


MISTAKES = [
    (
        {"fix1": False, "fix2": False},
        {
            "en": "Your parameters follow Adam without bias correction. m and v start at 0, so divide them by (1 - beta1**t) and (1 - beta2**t), with t = 1 on the first step; without it the early steps are several times too large.",
            "zh": "你的参数更新相当于没有偏差修正的 Adam。m 和 v 从 0 开始，所以要分别除以 (1 - beta1**t) 和 (1 - beta2**t)，第一步 t = 1；否则最初几步的更新量会大好几倍。",
        },
    ),
    (
        {"fix1": True, "fix2": False},
        {
            "en": "You bias-correct m but not v: v_hat = v / (1 - beta2**t) is needed too.",
            "zh": "你对 m 做了偏差修正，却没有修正 v：还需要 v_hat = v / (1 - beta2**t)。",
        },
    ),
    (
        {"fix1": False, "fix2": True},
        {
            "en": "You bias-correct v but not m: m_hat = m / (1 - beta1**t) is needed too.",
            "zh": "你对 v 做了偏差修正，却没有修正 m：还需要 m_hat = m / (1 - beta1**t)。",
        },
    ),
    (
        {"t0": 1},
        {
            "en": "Your bias correction uses t + 1: on the first step t must be 1 (increase the counter once per step, before using it).",
            "zh": "你的偏差修正用的是 t + 1：第一步时 t 必须等于 1（每一步只把计数器加一次，并且先加再用）。",
        },
    ),
    (
        {"eps_in_sqrt": True},
        {
            "en": "You add eps inside the square root, sqrt(v_hat + eps); PyTorch (and the Adam paper) add it outside: sqrt(v_hat) + eps. It matters when gradients are small.",
            "zh": "你把 eps 加在了平方根里面，即 sqrt(v_hat + eps)；PyTorch（以及 Adam 原论文）把它加在外面：sqrt(v_hat) + eps。梯度很小时两者差别很大。",
        },
    ),
]


def _read_params(opt, shapes, when):
    """opt.params read back as float64 arrays of the given shapes, or a failure saying what it is."""
    got = opt.params
    if (
        isinstance(got, RemoteObject)
        or not isinstance(got, list | tuple)
        or len(got) != len(shapes)
    ):
        what = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        size = f" of length {len(got)}" if isinstance(got, list | tuple) else ""
        fail(
            {
                "en": f"opt.params {when} is a {what}{size}; it must be the list of {len(shapes)} parameter arrays given to Adam(params, ...).",
                "zh": f"{when}的 opt.params 是 {what}{size}；它必须是传给 Adam(params, ...) 的那 {len(shapes)} 个参数数组组成的列表。",
            }
        )
    arrays = []
    for i, (value, shape) in enumerate(zip(got, shapes, strict=True)):
        try:
            arr = None if isinstance(value, RemoteObject) else np.asarray(value)
        except (ValueError, TypeError):  # ragged nested lists
            arr = None
        if arr is None or arr.dtype.kind not in "biuf" or arr.shape != shape:
            what = (
                getattr(value, "type_name", type(value).__name__)
                if arr is None
                else f"an array of {arr.dtype} with shape {arr.shape}"
            )
            fail(
                {
                    "en": f"opt.params[{i}] {when} is {what}; it must stay a float array of shape {shape}, updated in place.",
                    "zh": f"{when}的 opt.params[{i}] 是 {what}；它必须始终是形状为 {shape} 的浮点数组，并原地更新。",
                }
            )
        arrays.append(arr.astype(np.float64))
    return arrays


def _same(history_a, history_b):
    return all(
        np.shape(a) == np.shape(b) and np.allclose(a, b, rtol=1e-6, atol=1e-8)
        for step_a, step_b in zip(history_a, history_b, strict=True)
        for a, b in zip(step_a, step_b, strict=True)
    )


def _run(ctx, params0, grad_steps, hyper, label):
    """Run the learner's Adam and compare every step with torch; name a known mistake first."""
    opt = ctx.learner.Adam([p.copy() for p in params0], **hyper)
    shapes = [p.shape for p in params0]
    got = []
    for grads in grad_steps:
        opt.step([g.copy() for g in grads])
        got.append(_read_params(opt, shapes, f"after step {len(got) + 1}"))
    want = _torch_adam(params0, grad_steps, **hyper)
    if _same(got, want):
        return
    if not all(np.isfinite(p).all() for p in got[0]):
        fail(
            {
                "en": f"{label}: the parameters contain NaN or inf after the first step. Bias correction with t = 0 divides by 1 - beta**0 = 0: increase t before using it.",
                "zh": f"{label}：第一步之后参数中出现了 NaN 或 inf。用 t = 0 做偏差修正会除以 1 - beta**0 = 0：请先把 t 加一再使用。",
            }
        )
    for flags, message in MISTAKES:
        if _same(got, _variant(params0, grad_steps, **hyper, **flags)):
            fail(message)
    for step, (got_step, want_step) in enumerate(zip(got, want, strict=True), start=1):
        for i, (g, w) in enumerate(zip(got_step, want_step, strict=True)):
            expect_array(f"{label}: opt.params[{i}] after step {step}", g, w, rtol=1e-6, atol=1e-8)


def _problem(rng, shapes, n_steps, scale=1.0):
    params0 = [rng.normal(size=s) for s in shapes]
    drift = [rng.normal(size=s) for s in shapes]  # gradients with a mean, so m builds up
    grad_steps = [[scale * (d + rng.normal(size=d.shape)) for d in drift] for _ in range(n_steps)]
    return params0, grad_steps


@check(points=1, title={"en": "The first step", "zh": "第一步"})
def first_step(ctx):
    params0, grads = _problem(ctx.rng, [(int(ctx.rng.integers(3, 8)),)], 1)
    lr = round(float(ctx.rng.uniform(0.01, 0.1)), 3)
    _run(ctx, params0, grads, {"lr": lr}, f"Adam([w], lr={lr}), one step")


@check(
    points=3,
    title={"en": "Many steps, parameters of different shapes", "zh": "多步更新，参数形状各不相同"},
)
def many_steps(ctx):
    rng = ctx.rng
    shapes = [(int(rng.integers(2, 5)), int(rng.integers(3, 6))), (int(rng.integers(2, 7)),), (1,)]
    params0, grads = _problem(rng, shapes, int(rng.integers(12, 25)))
    lr = round(float(rng.uniform(0.005, 0.1)), 3)
    _run(ctx, params0, grads, {"lr": lr}, f"Adam([W, b, c], lr={lr})")


@check(
    points=2,
    title={"en": "Custom betas and eps, small gradients", "zh": "自定义 betas 和 eps，梯度很小"},
)
def custom_hyperparameters(ctx):
    rng = ctx.rng
    params0, grads = _problem(
        rng, [(int(rng.integers(3, 7)),), (2, 2)], int(rng.integers(8, 15)), scale=1e-4
    )
    hyper = {
        "lr": round(float(rng.uniform(0.01, 0.05)), 3),
        "betas": (round(float(rng.uniform(0.6, 0.85)), 2), round(float(rng.uniform(0.9, 0.99)), 2)),
        "eps": 1e-4,
    }
    label = f"Adam(params, lr={hyper['lr']}, betas={hyper['betas']}, eps={hyper['eps']})"
    opt = ctx.learner.Adam([p.copy() for p in params0], **hyper)
    for g in grads:
        opt.step([x.copy() for x in g])
    final = _read_params(opt, [p.shape for p in params0], "after the last step")
    lr, betas, eps = hyper["lr"], hyper["betas"], hyper["eps"]
    for ignored, kw in (
        ("betas and eps", {}),
        ("betas", {"eps": eps}),
        ("eps", {"betas": betas}),
    ):
        if _same([final], [_variant(params0, grads, lr=lr, **kw)[-1]]):
            fail(
                {
                    "en": f"{label} behaves as if {ignored} were the defaults (betas=(0.9, 0.999), eps=1e-8): use the values passed to the constructor.",
                    "zh": f"{label} 的行为就好像 {ignored} 取的是默认值（betas=(0.9, 0.999)，eps=1e-8）：请使用传给构造函数的参数值。",
                }
            )
    _run(ctx, params0, grads, hyper, label)


@check(points=1, title={"en": "Default hyperparameters", "zh": "默认超参数"})
def defaults(ctx):
    params0, grads = _problem(ctx.rng, [(int(ctx.rng.integers(3, 8)),)], 5)
    _run(ctx, params0, grads, {}, "Adam([w]) with its defaults")


@check(points=1, title={"en": "Two optimisers keep separate state", "zh": "两个优化器各自保存状态"})
def separate_state(ctx):
    rng = ctx.rng
    pa, ga = _problem(rng, [(4,)], 6)
    pb, gb = _problem(rng, [(4,)], 6)
    a = ctx.learner.Adam([p.copy() for p in pa], lr=0.05)
    b = ctx.learner.Adam([p.copy() for p in pb], lr=0.05)
    for step in range(6):  # interleaved: a shared (class-level) m, v or t would leak between them
        a.step([g.copy() for g in ga[step]])
        b.step([g.copy() for g in gb[step]])
    alone = ctx.learner.Adam([p.copy() for p in pa], lr=0.05)
    for step in range(6):
        alone.step([g.copy() for g in ga[step]])
    want_a = _torch_adam(pa, ga, lr=0.05)[-1][0]
    expect(
        _same([_read_params(alone, [(4,)], "after 6 steps")], [[want_a]]),
        {
            "en": "A single Adam does not match torch.optim.Adam yet (see the other checks), so two optimisers cannot be compared; fix the update first.",
            "zh": "单个 Adam 的结果还与 torch.optim.Adam 不一致（见其他检查项），因此无法比较两个优化器；请先修正更新公式。",
        },
    )
    want_b = _torch_adam(pb, gb, lr=0.05)[-1][0]
    got_a = _read_params(a, [(4,)], "after 6 steps")[0]
    got_b = _read_params(b, [(4,)], "after 6 steps")[0]
    expect(
        _same([[got_a, got_b]], [[want_a, want_b]]),
        {
            "en": "Two Adam objects stepped in turn do not match two separate torch optimisers: keep m, v and t on the instance (self.m = ..., in __init__), not on the class or in module-level variables.",
            "zh": "两个交替更新的 Adam 对象与两个独立的 torch 优化器结果不一致：请把 m、v 和 t 保存在实例上（在 __init__ 中写 self.m = ...），不要放在类属性或模块级变量里。",
        },
    )
