"""Hidden checks for pipeline/logistic-regression/stable-sigmoid.

The reference values come from np.logaddexp, which is exact at any logit. The extreme
checks use logits where the textbook formulas overflow (exp(1000)), divide inf by inf,
or take log(0), and name the mistake when they see its signature.
"""

import numpy as np

from lmschool.grading.checks import check, expect_array, expect_close, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _true_sigmoid(z):
    return np.exp(-np.logaddexp(0.0, -z))


def _true_loss(y, z):
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _array(name, got):
    if isinstance(got, RemoteObject):
        _fail(
            f"{name} must return a NumPy array, not a {got.type_name}.",
            f"{name} 必须返回 NumPy 数组，而不是 {got.type_name}。",
        )
    try:
        return np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} must return an array of numbers.", f"{name} 必须返回数值数组。")


def _number(name, got):
    if isinstance(got, (RemoteObject, bool)):
        _fail(f"{name} must return one number.", f"{name} 必须返回一个数。")
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} must return one number.", f"{name} 必须返回一个数。")
    if arr.size != 1:
        _fail(
            f"{name} must return the mean over the examples, one number; it returned an array of shape {arr.shape}.",
            f"{name} 必须返回对所有样本的平均值（一个数）；它返回了形状为 {arr.shape} 的数组。",
        )
    return float(arr.reshape(()))


@check(
    points=2,
    title={
        "en": "sigmoid on ordinary logits, any shape",
        "zh": "普通 logit 上的 sigmoid，任意形状",
    },
)
def sigmoid_values(ctx):
    z = ctx.rng.normal(scale=5.0, size=int(ctx.rng.integers(10, 40)))
    expect_array("sigmoid(z)", ctx.learner.sigmoid(z), _true_sigmoid(z), rtol=1e-9, atol=1e-12)
    Z = ctx.rng.normal(scale=3.0, size=(3, int(ctx.rng.integers(2, 6))))
    expect_array(
        "sigmoid(Z) for a 2-D Z", ctx.learner.sigmoid(Z), _true_sigmoid(Z), rtol=1e-9, atol=1e-12
    )


@check(
    points=1,
    title={
        "en": "sigmoid of integer logits, a 3-D and a 0-D array: floats of the same shape",
        "zh": "整数 logit、三维和零维数组上的 sigmoid：同形状的浮点数组",
    },
)
def sigmoid_dtype_and_shapes(ctx):
    z = ctx.rng.integers(-6, 7, size=int(ctx.rng.integers(8, 20)))
    got = _array("sigmoid(z) for integer z", ctx.learner.sigmoid(z))
    want = _true_sigmoid(z.astype(np.float64))
    if got.shape == z.shape and np.all(np.isin(got, (0.0, 1.0))):
        _fail(
            "sigmoid of integer logits returned only 0s and 1s: the result was stored in an "
            "integer array (np.empty_like(z) keeps z's dtype). Convert first, "
            "z = np.asarray(z, dtype=float), so that the result is a float array.",
            "对整数 logit，sigmoid 只返回了 0 和 1：结果被存进了整数数组（np.empty_like(z) 会沿用 z 的 dtype）。"
            "请先转换，z = np.asarray(z, dtype=float)，这样结果才是浮点数组。",
        )
    expect_array("sigmoid(z) for integer z", got, want, rtol=1e-9, atol=1e-12, dtype_kind="f")
    Z = ctx.rng.normal(scale=4.0, size=(2, 3, int(ctx.rng.integers(2, 5))))
    expect_array(
        "sigmoid(Z) for a 3-D Z", ctx.learner.sigmoid(Z), _true_sigmoid(Z), rtol=1e-9, atol=1e-12
    )
    z0 = np.array(float(ctx.rng.normal(scale=3.0)))
    expect_array(
        "sigmoid(z) for a 0-D array z", ctx.learner.sigmoid(z0), _true_sigmoid(z0), rtol=1e-9
    )


@check(
    points=2,
    title={"en": "sigmoid at ±1000, ±40 and ±1e-8", "zh": "sigmoid 在 ±1000、±40 和 ±1e-8 处"},
)
def sigmoid_extremes(ctx):
    z = np.array([-1000.0, -800.0, -40.0, -1e-8, 0.0, 1e-8, 40.0, 800.0, 1000.0])
    z = ctx.rng.permutation(z)
    got = _array("sigmoid(z)", ctx.learner.sigmoid(z))
    if got.shape == z.shape and not np.all(np.isfinite(got)):
        bad = float(z[~np.isfinite(got)][0])
        _fail(
            f"sigmoid({bad:g}) is {got[~np.isfinite(got)][0]}: exp({abs(bad):g}) overflows to inf, and inf / inf is NaN. Use 1 / (1 + exp(-z)) for z ≥ 0 and exp(z) / (1 + exp(z)) for z < 0, so that exp only sees numbers ≤ 0.",
            f"sigmoid({bad:g}) 的结果是 {got[~np.isfinite(got)][0]}：exp({abs(bad):g}) 溢出为 inf，而 inf / inf 是 NaN。对 z ≥ 0 用 1 / (1 + exp(-z))，对 z < 0 用 exp(z) / (1 + exp(z))，让 exp 只作用在 ≤ 0 的数上。",
        )
    expect_array("sigmoid(z) at extreme logits", got, _true_sigmoid(z), rtol=1e-9, atol=1e-300)


@check(points=2, title={"en": "log_loss on ordinary logits", "zh": "普通 logit 上的 log_loss"})
def loss_values(ctx):
    n = int(ctx.rng.integers(10, 40))
    y = ctx.rng.integers(0, 2, size=n)  # integer labels: the loss must still be a float
    z = ctx.rng.normal(scale=3.0, size=n)
    got = _number("log_loss(y, z)", ctx.learner.log_loss(y, z))
    want = _true_loss(y, z)
    flipped = _true_loss(1 - y, z)
    if np.isclose(got, flipped, rtol=1e-6) and not np.isclose(got, want, rtol=1e-6):
        _fail(
            "log_loss treats label 1 as label 0: for y = 1 the loss is −log σ(z) = log(1 + e^(−z)), which is small when z is large.",
            "log_loss 把标签 1 当成了标签 0：y = 1 时损失为 −log σ(z) = log(1 + e^(−z))，z 越大损失越小。",
        )
    if np.isclose(got, want * n, rtol=1e-6):
        _fail(
            f"log_loss is N = {n} times too large: return the mean over the examples, not the sum.",
            f"log_loss 大了 N = {n} 倍：应返回对样本的平均值，而不是总和。",
        )
    expect_close("log_loss(y, z)", got, want, rtol=1e-9, atol=1e-12)


@check(
    points=3,
    title={
        "en": "log_loss at logits of ±1000 and ±40",
        "zh": "logit 为 ±1000 和 ±40 时的 log_loss",
    },
)
def loss_extremes(ctx):
    cases = [  # (label, logit): confidently wrong, confidently right
        (0.0, 1000.0),
        (1.0, -1000.0),
        (0.0, 40.0),
        (1.0, -40.0),
        (1.0, 1000.0),
        (0.0, -1000.0),
    ]
    order = ctx.rng.permutation(len(cases))
    for k in order:
        y_k, z_k = cases[k]
        y, z = np.array([y_k]), np.array([z_k])
        got = _number(f"log_loss(y=[{y_k:g}], z=[{z_k:g}])", ctx.learner.log_loss(y, z))
        want = _true_loss(y, z)
        if not np.isfinite(got):
            _fail(
                f"log_loss(y=[{y_k:g}], z=[{z_k:g}]) is {got}, but the true loss is {want:g}. Something in your formula overflows or takes log(0): exp(1000) is inf, log(1 − σ(40)) is log(0) = −inf, and 0 · inf is NaN. Write the loss from the logit with np.logaddexp(0, z) − y·z, which never overflows.",
                f"log_loss(y=[{y_k:g}], z=[{z_k:g}]) 的结果是 {got}，而真实损失是 {want:g}。你的公式中有一步溢出或取了 log(0)：exp(1000) 是 inf，log(1 − σ(40)) 是 log(0) = −inf，而 0 · inf 是 NaN。请直接用 logit 写出损失：np.logaddexp(0, z) − y·z，它永远不会溢出。",
            )
        if want > 30 and got < 0.9 * want and got > 20:
            _fail(
                f"log_loss(y=[{y_k:g}], z=[{z_k:g}]) is {got:.4g}, but the true loss is {want:g}: clipping the probability caps the loss at −log(eps). A confidently wrong logit must cost in proportion to how wrong it is; use np.logaddexp(0, z) − y·z instead of clipping.",
                f"log_loss(y=[{y_k:g}], z=[{z_k:g}]) 的结果是 {got:.4g}，而真实损失是 {want:g}：把概率截断会把损失封顶在 −log(eps)。一个很自信却错误的 logit 应当付出与其错误程度成正比的代价；请用 np.logaddexp(0, z) − y·z 代替截断。",
            )
        expect_close(f"log_loss(y=[{y_k:g}], z=[{z_k:g}])", got, want, rtol=1e-9, atol=1e-12)


@check(
    points=1,
    title={"en": "log_loss at tiny logits ±1e-8", "zh": "logit 极小（±1e-8）时的 log_loss"},
)
def loss_tiny(ctx):
    n = int(ctx.rng.integers(5, 20))
    y = ctx.rng.integers(0, 2, size=n).astype(np.float64)
    z = ctx.rng.choice([-1.0, 1.0], size=n) * 1e-8
    got = _number("log_loss(y, z) with |z| = 1e-8", ctx.learner.log_loss(y, z))
    expect_close(
        "log_loss(y, z) with |z| = 1e-8 (close to log 2)",
        got,
        _true_loss(y, z),
        rtol=1e-12,
        atol=1e-15,
    )
