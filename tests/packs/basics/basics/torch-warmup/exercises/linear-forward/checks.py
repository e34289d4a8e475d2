import torch

from lmschool.grading.checks import check, expect, expect_array


def _layer(rng, n, d_in, d_out):
    """Random float32 tensors x (n, d_in), w (d_out, d_in), b (d_out,)."""
    x = torch.from_numpy(rng.normal(size=(n, d_in)).astype("float32"))
    w = torch.from_numpy(rng.normal(size=(d_out, d_in)).astype("float32"))
    b = torch.from_numpy(rng.uniform(1.0, 3.0, size=d_out).astype("float32"))  # clearly non-zero
    return x, w, b


@check(points=2, title={"en": "Values on a random batch", "zh": "随机一批输入上的结果"})
def random_batch(ctx):
    d_in = int(ctx.rng.integers(2, 6))
    d_out = d_in + int(ctx.rng.integers(1, 4))  # D_out != D_in: w and w.T have different shapes
    x, w, b = _layer(ctx.rng, int(ctx.rng.integers(3, 10)), d_in, d_out)
    got = ctx.learner.linear_forward(x, w, b)
    expect_array(
        "linear_forward(x, w, b)", got, ctx.reference.linear_forward(x, w, b), rtol=1e-5, atol=1e-5
    )


@check(points=1, title={"en": "Square weights (D_in = D_out)", "zh": "方阵权重（D_in = D_out）"})
def square_weights(ctx):
    # With a square w, forgetting the transpose gives the right shape but wrong values.
    d = int(ctx.rng.integers(2, 6))
    x, w, b = _layer(ctx.rng, int(ctx.rng.integers(3, 10)), d, d)
    got = ctx.learner.linear_forward(x, w, b)
    expect_array(
        "linear_forward(x, w, b) with a square w",
        got,
        ctx.reference.linear_forward(x, w, b),
        rtol=1e-5,
        atol=1e-5,
    )


@check(points=1, title={"en": "A single example (N = 1)", "zh": "单个样本（N = 1）"})
def single_example(ctx):
    x, w, b = _layer(ctx.rng, 1, 3, 2)
    got = ctx.learner.linear_forward(x, w, b)
    expect_array(
        "linear_forward(x, w, b) with N = 1",
        got,
        ctx.reference.linear_forward(x, w, b),
        rtol=1e-5,
        atol=1e-5,
    )


@check(points=1, title={"en": "Returns a torch tensor", "zh": "返回 torch 张量"})
def returns_tensor(ctx):
    x, w, b = _layer(ctx.rng, 4, 3, 2)
    got = ctx.learner.linear_forward(x, w, b)
    expect(
        isinstance(got, torch.Tensor),
        {
            "en": f"linear_forward must return a torch.Tensor, but it returned {type(got).__name__}. Compute with torch operations (x @ w.T + b) instead of converting to NumPy.",
            "zh": f"linear_forward 必须返回 torch.Tensor，但它返回了 {type(got).__name__}。请用 torch 运算（x @ w.T + b）计算，不要转换为 NumPy。",
        },
    )
