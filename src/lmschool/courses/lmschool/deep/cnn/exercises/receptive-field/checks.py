"""Hidden checks for deep/cnn/receptive-field.

The expected values come from an independent computation: walk from one output unit
back to the input, keeping the interval of positions it depends on.
"""

from lmschool.grading.checks import check, expect_equal, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _interval(layers):
    """Size of the input interval that output unit 0 depends on (backwards, layer by layer)."""
    lo, hi = 0, 0
    for kernel, stride in reversed(layers):
        lo, hi = lo * stride, hi * stride + kernel - 1
    return hi - lo + 1


def _ignore_stride(layers):
    return 1 + sum(k - 1 for k, _ in layers)


def _stride_too_early(layers):
    size, jump = 1, 1
    for k, s in layers:
        jump *= s
        size += (k - 1) * jump
    return size


def _sum_kernels(layers):
    return sum(k for k, _ in layers) if layers else 1


def _ask(ctx, layers):
    layers = [(int(k), int(s)) for k, s in layers]
    got = ctx.learner.receptive_field(layers)
    want = _interval(layers)
    call = f"receptive_field({layers})"
    if isinstance(got, int | float) and not isinstance(got, bool) and got != want and layers:
        if got == _stride_too_early(layers):
            _fail(
                f"{call} returned {got}, expected {want}: you multiply the jump by a layer's stride before adding that layer's (kernel - 1) * jump. A layer's stride only spreads out the units ABOVE it: add first, then multiply.",
                f"{call} 返回 {got}，期望 {want}：你在加上本层的 (kernel - 1) * jump 之前就把 jump 乘上了本层的步幅。一层的步幅只会拉开它上面各层的单元：先加，再乘。",
            )
        if got == _ignore_stride(layers):
            _fail(
                f"{call} returned {got}, expected {want}: that is 1 + sum(kernel - 1), which ignores the strides. After a layer with stride s, neighbouring units are s times further apart in the input, so every later kernel spans more of it: keep a running jump = product of earlier strides.",
                f"{call} 返回 {got}，期望 {want}：这是 1 + sum(kernel - 1)，忽略了步幅。经过步幅为 s 的层之后，相邻单元在输入上的距离变为原来的 s 倍，所以之后的每个卷积核都覆盖更大的输入范围：请维护 jump = 之前各层步幅之积。",
            )
        if got == _sum_kernels(layers):
            _fail(
                f"{call} returned {got}, expected {want}: you added the kernel sizes. Two stacked 3-wide kernels see 5 pixels, not 6: neighbouring windows overlap, so each layer adds kernel - 1 (times the jump).",
                f"{call} 返回 {got}，期望 {want}：你把卷积核大小直接相加了。两个叠加的宽度为 3 的卷积核能看到 5 个像素，而不是 6 个：相邻窗口有重叠，所以每一层增加的是 kernel - 1（再乘以 jump）。",
            )
    if isinstance(got, RemoteObject):
        _fail(
            f"{call} must return an int, not a {got.type_name}.",
            f"{call} 必须返回整数，而不是 {got.type_name}。",
        )
    expect_equal(call, got, want)


@check(
    points=1,
    title={
        "en": "Hand cases: no layer, one layer, two 3x3 convolutions",
        "zh": "手算例子：没有层、一层、两个 3x3 卷积",
    },
)
def hand_cases(ctx):
    k = int(ctx.rng.integers(2, 8))
    for layers in ([], [(k, 1)], [(3, 1), (3, 1)], [(3, 1), (3, 1), (3, 1)]):
        _ask(ctx, layers)


@check(
    points=2, title={"en": "Strides: convolutions and poolings mixed", "zh": "步幅：卷积与汇聚混合"}
)
def with_strides(ctx):
    _ask(ctx, [(3, 1), (2, 2), (3, 1), (2, 2)])  # a LeNet-like stack: 16
    k = int(ctx.rng.integers(3, 8))
    _ask(ctx, [(k, 2), (3, 1)])
    _ask(ctx, [(2, 2), (2, 2), (2, 2)])


@check(points=2, title={"en": "Random stacks", "zh": "随机堆叠"})
def random_stacks(ctx):
    for _ in range(5):
        depth = int(ctx.rng.integers(2, 7))
        layers = [(int(ctx.rng.integers(1, 8)), int(ctx.rng.integers(1, 4))) for _ in range(depth)]
        _ask(ctx, layers)
