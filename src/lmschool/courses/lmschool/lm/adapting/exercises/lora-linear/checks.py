"""Hidden checks for lm/adapting/lora-linear.

The learner's layer lives in the sandbox; the checks build it with the given
``lora_wrap``, train it with the given ``sgd_step``, read its tensors (``layer.A``,
``parameters(layer)``) and compare with the same layer simulated here in torch from the
learner's own random A. Every rule of the prompt has its own check: B = 0 and A random
at the start (output = base), the shapes, exactly A and B trainable with the base frozen,
the update of a training step, the scale alpha / r, and merge.
"""

import numpy as np
import torch

from lmschool.grading.checks import check, expect_array, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _np(value, what: str) -> np.ndarray:
    if isinstance(value, RemoteObject):
        _fail(
            f"{what} must be a tensor, not a {value.type_name}.",
            f"{what} 必须是张量，而不是 {value.type_name}。",
        )
    if isinstance(value, torch.Tensor):
        value = value.detach().numpy()
    return np.asarray(value, dtype=np.float64)


def _problem(ctx, r=None, alpha=None):
    out_f = int(ctx.rng.integers(5, 10))
    in_f = out_f + int(ctx.rng.integers(3, 8))  # in != out: a transposed matrix shows
    W = ctx.rng.normal(0.0, 0.3, size=(out_f, in_f)).astype(np.float32)
    b = ctx.rng.normal(0.0, 0.1, size=out_f).astype(np.float32)
    r = int(ctx.rng.integers(2, 4)) if r is None else r
    alpha = float(ctx.rng.choice([4.0, 8.0, 16.0])) if alpha is None else alpha
    x = torch.from_numpy(ctx.rng.normal(size=(6, in_f)).astype(np.float32))
    target = torch.from_numpy(ctx.rng.normal(size=(6, out_f)).astype(np.float32))
    return W, b, r, alpha, x, target


def _params(ctx, layer) -> dict[str, tuple[np.ndarray, bool]]:
    got = ctx.learner.parameters(layer)
    if not isinstance(got, dict):
        _fail(
            "parameters(layer) (the given helper) must return a dict; keep it as it was given.",
            "parameters(layer)（给定的辅助函数）必须返回字典；请保持它原来的样子。",
        )
    out = {}
    for name, value in got.items():
        out[str(name)] = (_np(value[0], f"parameter {name}"), bool(value[1]))
    for needed in ("A", "B"):
        if needed not in out:
            _fail(
                f"Your layer has no parameter named {needed!r}; it has {sorted(out)}. Store the adapter matrices as nn.Parameter attributes self.A (r, in_features) and self.B (out_features, r).",
                f"你的层没有名为 {needed!r} 的参数；它有 {sorted(out)}。请把适配矩阵存为 nn.Parameter 属性 self.A（r, in_features）和 self.B（out_features, r）。",
            )
    return out


def _simulate(W, b, A0, r, alpha, x, target, lr, steps, scaling=None):
    """(A, B) after each of `steps` SGD steps, from the learner's A0 and B = 0."""
    s = alpha / r if scaling is None else scaling
    A = torch.tensor(A0, dtype=torch.float32, requires_grad=True)
    B = torch.zeros(W.shape[0], r, requires_grad=True)
    Wt, bt = torch.from_numpy(W), torch.from_numpy(b)
    states = []
    for _ in range(steps):
        y = x @ Wt.T + bt + s * ((x @ A.T) @ B.T)
        loss = ((y - target) ** 2).mean()
        gA, gB = torch.autograd.grad(loss, [A, B])
        with torch.no_grad():
            A -= lr * gA
            B -= lr * gB
        states.append(
            (A.detach().numpy().astype(np.float64), B.detach().numpy().astype(np.float64))
        )
    return states


@check(
    points=2,
    title={
        "en": "At the start the layer equals the base layer (B = 0, A random)",
        "zh": "开始时该层等于基础层（B = 0，A 随机）",
    },
)
def starts_at_base(ctx):
    W, b, r, alpha, x, _ = _problem(ctx)
    layer = ctx.learner.lora_wrap(W, b, r, alpha)
    P = _params(ctx, layer)
    A, B = P["A"][0], P["B"][0]
    if np.all(A == 0) and np.all(B == 0):
        _fail(
            "A and B are both zero: the gradient of B is scaling * delta (x A^T)^T = 0 and the gradient of A is scaling * B^T delta x = 0, so the adapter never trains. Initialise A at random (e.g. nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))) and B at zero.",
            "A 和 B 都是零：B 的梯度 scaling * delta (x A^T)^T = 0，A 的梯度 scaling * B^T delta x = 0，适配器永远不会被训练。请随机初始化 A（例如 nn.init.kaiming_uniform_(self.A, a=math.sqrt(5))），并把 B 初始化为零。",
        )
    elif np.all(A == 0):
        _fail(
            "A is zero and B is random: the prompt asks for the other way round, B = 0 and A random (as in the LoRA paper), so that B gets a gradient at the first step and A a scale of the same size as the base layer's inputs.",
            "A 为零而 B 是随机的：题目要求的是反过来，B = 0、A 随机（与 LoRA 论文一致），这样第一步 B 就有梯度，A 的尺度也与基础层的输入相当。",
        )
    elif not np.all(B == 0):
        _fail(
            f"B is not zero at the start (largest entry {np.abs(B).max():.3g}): then B A is not zero and the adapted layer does not start at the base layer. Initialise B with torch.zeros(out_features, r).",
            f"开始时 B 不是零（最大元素 {np.abs(B).max():.3g}）：这样 B A 不为零，适配后的层就不是从基础层出发的。请用 torch.zeros(out_features, r) 初始化 B。",
        )
    want = x.numpy() @ W.T + b
    expect_array(
        "layer(x) before training (must equal x W^T + b)",
        _np(layer(x), "layer(x)"),
        want,
        rtol=1e-5,
        atol=1e-5,
    )


@check(
    points=1,
    title={
        "en": "A is (r, in_features) and B is (out_features, r)",
        "zh": "A 的形状为 (r, in_features)，B 为 (out_features, r)",
    },
)
def shapes(ctx):
    W, b, r, alpha, _, _ = _problem(ctx)
    P = _params(ctx, ctx.learner.lora_wrap(W, b, r, alpha))
    out_f, in_f = W.shape
    for name, got, want in (("A", P["A"][0].shape, (r, in_f)), ("B", P["B"][0].shape, (out_f, r))):
        if got != want:
            extra_en = extra_zh = ""
            if got == want[::-1]:
                extra_en, extra_zh = " It is transposed.", " 它被转置了。"
            _fail(
                f"self.{name} has shape {got}; with r = {r}, in_features = {in_f} and out_features = {out_f} it must be {want}.{extra_en} (y = base(x) + scaling * x A^T B^T: A maps in_features to r, B maps r to out_features, like the weight (out, in) of nn.Linear.)",
                f"self.{name} 的形状为 {got}；当 r = {r}、in_features = {in_f}、out_features = {out_f} 时应为 {want}。{extra_zh}（y = base(x) + scaling * x A^T B^T：A 把 in_features 映射到 r，B 把 r 映射到 out_features，与 nn.Linear 的权重 (out, in) 一样。）",
            )


@check(
    points=2,
    title={
        "en": "Only A and B train; the base layer stays frozen",
        "zh": "只训练 A 和 B，基础层保持冻结",
    },
)
def only_adapters_train(ctx):
    W, b, r, alpha, x, target = _problem(ctx)
    layer = ctx.learner.lora_wrap(W, b, r, alpha)
    before = _params(ctx, layer)
    trainable = sorted(name for name, (_, flag) in before.items() if flag)
    if trainable != ["A", "B"]:
        frozen_base = [n for n in trainable if n.startswith("base")]
        if frozen_base:
            _fail(
                f"These parameters require gradients: {trainable}. The base layer must be frozen: call p.requires_grad_(False) for every p in self.base.parameters(), so that only A and B train.",
                f"这些参数需要梯度：{trainable}。基础层必须冻结：对 self.base.parameters() 中的每个 p 调用 p.requires_grad_(False)，使得只有 A 和 B 被训练。",
            )
        _fail(
            f"The parameters that require gradients are {trainable}; they must be exactly ['A', 'B'].",
            f"需要梯度的参数是 {trainable}；它们必须恰好是 ['A', 'B']。",
        )
    ctx.learner.sgd_step(layer, x, target, 0.1)
    ctx.learner.sgd_step(layer, x, target, 0.1)
    after = _params(ctx, layer)
    for name in before:
        if name.startswith("base") and not np.array_equal(before[name][0], after[name][0]):
            _fail(
                f"{name} changed after two training steps: the pretrained weights must never change. Freeze them with requires_grad_(False).",
                f"两步训练之后 {name} 变了：预训练的权重绝不能改变。请用 requires_grad_(False) 冻结它们。",
            )
    if np.array_equal(before["B"][0], after["B"][0]):
        _fail(
            "B did not change after two training steps: the adapter does not learn. Make A and B nn.Parameter attributes, and use them in forward.",
            "两步训练之后 B 没有变化：适配器没有在学习。请把 A 和 B 设为 nn.Parameter 属性，并在 forward 中使用它们。",
        )


@check(
    points=2,
    title={
        "en": "Training steps update A and B as LoRA does",
        "zh": "训练步按 LoRA 的方式更新 A 和 B",
    },
)
def training_steps(ctx):
    W, b, r, alpha, x, target = _problem(ctx)
    layer = ctx.learner.lora_wrap(W, b, r, alpha)
    A0 = _params(ctx, layer)["A"][0]
    got = []
    for _ in range(2):
        ctx.learner.sgd_step(layer, x, target, 0.1)
        P = _params(ctx, layer)
        got.append((P["A"][0], P["B"][0]))
    want = _simulate(W, b, A0, r, alpha, x, target, 0.1, 2)
    if got[0][1].shape == want[0][1].shape and not np.allclose(
        got[0][1], want[0][1], rtol=1e-4, atol=1e-6
    ):
        for s, en, zh in (
            (
                alpha,
                f"the scale alpha = {alpha:g} instead of alpha / r = {alpha / r:g}",
                f"缩放系数用了 alpha = {alpha:g}，而不是 alpha / r = {alpha / r:g}",
            ),
            (1.0, "no scale at all instead of alpha / r", "完全没有缩放，而不是 alpha / r"),
            (
                r / alpha,
                f"the scale r / alpha = {r / alpha:g} instead of alpha / r = {alpha / r:g}",
                f"缩放系数用了 r / alpha = {r / alpha:g}，而不是 alpha / r = {alpha / r:g}",
            ),
        ):
            if np.allclose(
                got[0][1],
                _simulate(W, b, A0, r, alpha, x, target, 0.1, 1, scaling=s)[0][1],
                rtol=1e-4,
                atol=1e-6,
            ):
                _fail(
                    f"After one step B matches a layer with {en}.",
                    f"一步之后，B 与一个{zh}的层一致。",
                )
    expect_array("B after one training step", got[0][1], want[0][1], rtol=1e-4, atol=1e-6)
    expect_array(
        "A after one training step (B = 0 gives A no gradient yet)",
        got[0][0],
        want[0][0],
        rtol=1e-4,
        atol=1e-6,
    )
    expect_array("A after two training steps", got[1][0], want[1][0], rtol=1e-4, atol=1e-6)
    expect_array("B after two training steps", got[1][1], want[1][1], rtol=1e-4, atol=1e-6)


@check(points=1, title={"en": "The update is scaled by alpha / r", "zh": "更新按 alpha / r 缩放"})
def scaling(ctx):
    for r, alpha in ((2, 8.0), (8, 4.0)):
        W, b, _, _, x, target = _problem(ctx, r=r, alpha=alpha)
        layer = ctx.learner.lora_wrap(W, b, r, alpha)
        got_scaling = layer.scaling
        if isinstance(got_scaling, RemoteObject) or np.asarray(got_scaling).size != 1:
            _fail(
                "layer.scaling must be a number, alpha / r.",
                "layer.scaling 必须是一个数：alpha / r。",
            )
        got_scaling = float(np.asarray(got_scaling, dtype=np.float64))
        if not np.isclose(got_scaling, alpha / r):
            _fail(
                f"With r = {r} and alpha = {alpha:g}, layer.scaling is {got_scaling:g}; it must be alpha / r = {alpha / r:g}. Dividing by r keeps the size of the update about the same for every rank.",
                f"当 r = {r}、alpha = {alpha:g} 时，layer.scaling 为 {got_scaling:g}；它必须是 alpha / r = {alpha / r:g}。除以 r 能让不同秩下更新的大小大致相同。",
            )
        ctx.learner.sgd_step(layer, x, target, 0.1)
        P = _params(ctx, layer)
        A, B = P["A"][0], P["B"][0]
        want = x.numpy() @ W.T + b + (alpha / r) * (x.numpy() @ A.T) @ B.T
        got = _np(layer(x), "layer(x)")
        if got.shape == want.shape and not np.allclose(got, want, rtol=1e-4, atol=1e-5):
            plain = x.numpy() @ W.T + b + (x.numpy() @ A.T) @ B.T
            if np.allclose(got, plain, rtol=1e-4, atol=1e-5):
                _fail(
                    f"layer(x) after a step equals base(x) + x A^T B^T: forward does not multiply the update by scaling = alpha / r = {alpha / r:g}.",
                    f"一步之后 layer(x) 等于 base(x) + x A^T B^T：forward 没有把更新乘以 scaling = alpha / r = {alpha / r:g}。",
                )
        expect_array(
            f"layer(x) after a step, r = {r}, alpha = {alpha:g}", got, want, rtol=1e-4, atol=1e-5
        )


@check(
    points=2,
    title={
        "en": "merge() returns a plain nn.Linear that computes the same",
        "zh": "merge() 返回计算结果相同的普通 nn.Linear",
    },
)
def merge(ctx):
    W, b, r, alpha, x, target = _problem(ctx)
    layer = ctx.learner.lora_wrap(W, b, r, alpha)
    for _ in range(2):
        ctx.learner.sgd_step(layer, x, target, 0.1)
    P = _params(ctx, layer)
    unmerged = _np(layer(x), "layer(x)")
    merged = layer.merge()
    if (
        not isinstance(merged, RemoteObject)
        or not merged.type_name.endswith("Linear")
        or merged.type_name.endswith("LoRALinear")
    ):
        kind = merged.type_name if isinstance(merged, RemoteObject) else type(merged).__name__
        _fail(
            f"merge() returned a {kind}; it must return a plain torch.nn.Linear whose weight is W + scaling * B A.",
            f"merge() 返回了 {kind}；它必须返回一个普通的 torch.nn.Linear，其权重为 W + scaling * B A。",
        )
    want_W = W + (alpha / r) * P["B"][0] @ P["A"][0]
    got_W = _np(merged.weight, "merge().weight")
    unscaled = W + P["B"][0] @ P["A"][0]
    if (
        got_W.shape == want_W.shape
        and not np.allclose(got_W, want_W, rtol=1e-4, atol=1e-6)
        and np.allclose(got_W, unscaled, rtol=1e-4, atol=1e-6)
    ):
        _fail(
            "merge().weight is W + B A: the merged weight must include the scale, W + (alpha / r) B A, or the merged layer computes something else than the adapted one.",
            "merge().weight 是 W + B A：合并后的权重必须包含缩放系数，即 W + (alpha / r) B A，否则合并后的层与适配后的层计算结果不同。",
        )
    expect_array("merge().weight", got_W, want_W, rtol=1e-4, atol=1e-6)
    expect_array("merge().bias", _np(merged.bias, "merge().bias"), b, rtol=1e-6, atol=1e-7)
    expect_array(
        "merge()(x) (must equal layer(x))",
        _np(merged(x), "merge()(x)"),
        unmerged,
        rtol=1e-4,
        atol=1e-5,
    )
    again = _np(layer(x), "layer(x) after merge()")
    if not np.allclose(again, unmerged, rtol=1e-4, atol=1e-5):
        _fail(
            "After merge(), the LoRA layer itself computes something else: merge changed its base weight in place, so the update now counts twice. Build a new nn.Linear and copy W + scaling * B A into it.",
            "调用 merge() 之后，LoRA 层本身的计算结果变了：merge 原地修改了它的基础权重，于是更新被算了两次。请新建一个 nn.Linear，把 W + scaling * B A 复制进去。",
        )
