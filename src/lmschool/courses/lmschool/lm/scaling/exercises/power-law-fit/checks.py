"""Hidden checks for lm/scaling/power-law-fit.

Seeded synthetic losses L = (E + A N^-alpha) * (1 + small noise) over four decades of N,
with the power-law term at least as large as E at the smallest N, so that the
parameters are well determined (the reference recovers alpha within 2% over 300 draws).
The learner's fit must recover alpha and E within 10% and fit the points about as well
as the reference (squared error at most 10% larger); a pure power law is a closed form
and must match the reference closely.
"""

import numpy as np

from lmschool.grading.checks import check, expect_array, expect_close, expect_raises, fail
from lmschool.grading.proxy import RemoteObject


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _data(ctx, offset=True, n=14):
    E = float(ctx.rng.uniform(1.0, 2.0)) if offset else 0.0
    alpha = float(ctx.rng.uniform(0.2, 0.5))
    N = np.exp(np.linspace(np.log(1e3), np.log(1e7), n)) * np.exp(ctx.rng.uniform(-0.05, 0.05, n))
    A = float(ctx.rng.uniform(1.0, 3.0)) * (E if offset else 3.0) * N.min() ** alpha
    L = (E + A * N**-alpha) * np.exp(ctx.rng.normal(0.0, 0.002, n))
    return N, L, E, A, alpha


def _params(model, what):
    out = []
    for name in ("E_", "A_", "alpha_"):
        value = getattr(model, name)
        if isinstance(value, RemoteObject) or np.asarray(value).size != 1:
            _fail(f"{what}: {name} must be one number.", f"{what}：{name} 必须是一个数。")
        out.append(float(np.asarray(value, dtype=np.float64)))
    return out


def _fitted(ctx, N, L, offset, what):
    model = ctx.learner.PowerLaw(offset=offset)
    out = model.fit(N, L)
    if not (isinstance(out, RemoteObject) and out == model):
        _fail("fit(N, L) must return self.", "fit(N, L) 必须返回 self。")
    return model, _params(model, what)


def _sse(E, A, alpha, N, L):
    return float(np.sum((E + A * N**-alpha - L) ** 2))


@check(
    points=2,
    title={
        "en": "Pure power law (offset=False): the log-log least-squares line",
        "zh": "纯幂律（offset=False）：对数坐标下的最小二乘直线",
    },
)
def pure_power_law(ctx):
    N, L, _, _, _ = _data(ctx, offset=False)
    _, (E, A, alpha) = _fitted(ctx, N, L, False, "PowerLaw(offset=False)")
    ref = ctx.reference.PowerLaw(offset=False).fit(N, L)
    if np.isclose(alpha, -ref.alpha_, rtol=1e-4):
        _fail(
            f"alpha_ is {alpha:.4g}, the negative of the right value: L = A N^-alpha falls with N, so the slope of log L against log N is -alpha; alpha_ = -slope.",
            f"alpha_ 为 {alpha:.4g}，恰好是正确值的相反数：L = A N^-alpha 随 N 下降，所以 log L 对 log N 的斜率是 -alpha；alpha_ = -斜率。",
        )
    expect_close("E_ with offset=False", E, 0.0, atol=1e-12)
    expect_close("alpha_ (offset=False)", alpha, ref.alpha_, rtol=1e-5)
    expect_close("A_ (offset=False)", A, ref.A_, rtol=1e-4)


@check(
    points=3,
    title={
        "en": "With an offset: recovers E and alpha from noisy losses",
        "zh": "带偏移：从带噪声的损失中恢复 E 和 alpha",
    },
)
def with_offset(ctx):
    N, L, E_true, _, alpha_true = _data(ctx)
    _, (E, A, alpha) = _fitted(ctx, N, L, True, "PowerLaw()")
    ref = ctx.reference.PowerLaw().fit(N, L)
    if not (0.0 <= E < L.min()):
        _fail(
            f"E_ = {E:.4g} is outside [0, min L) = [0, {L.min():.4g}): the offset is the floor the loss approaches, so it lies below every measured loss (and log(L - E) needs L > E).",
            f"E_ = {E:.4g} 不在 [0, min L) = [0, {L.min():.4g}) 之内：偏移是损失趋近的下限，所以它低于每一个测得的损失（而且 log(L - E) 要求 L > E）。",
        )
    if alpha <= 0:
        _fail(
            f"alpha_ = {alpha:.4g}: the loss falls with N, so alpha must be positive in L = E + A N^-alpha. The slope of the line through (log N, log(L - E)) is -alpha.",
            f"alpha_ = {alpha:.4g}：损失随 N 下降，所以在 L = E + A N^-alpha 中 alpha 必须为正。过 (log N, log(L - E)) 的直线斜率是 -alpha。",
        )
    pure = ctx.reference.PowerLaw(offset=False).fit(N, L)
    if E == 0.0 or np.isclose(alpha, pure.alpha_, rtol=1e-3):
        _fail(
            f"alpha_ = {alpha:.4g} is what a pure power law gives ({pure.alpha_:.4g}): with offset=True, E must be fitted too. The loss here flattens towards E = {E_true:.3g}; a power law without offset explains the flattening with a much smaller exponent.",
            f"alpha_ = {alpha:.4g} 正是纯幂律给出的值（{pure.alpha_:.4g}）：offset=True 时还必须拟合 E。这里的损失趋于平缓，接近 E = {E_true:.3g}；不带偏移的幂律只能用小得多的指数来解释这种平缓。",
        )
    mine, theirs = _sse(E, A, alpha, N, L), _sse(ref.E_, ref.A_, ref.alpha_, N, L)
    if mine > 1.1 * theirs + 1e-12:
        _fail(
            f"Your curve fits the points worse than it could: squared error {mine:.3g} against {theirs:.3g} for the reference (E = {ref.E_:.4g}, alpha = {ref.alpha_:.4g}; yours E = {E:.4g}, alpha = {alpha:.4g}). Choose E by the squared error of L itself, sum((E + A N^-alpha - L)^2), not by the error of the line in log(L - E), which cannot be compared between different E; refine the grid near the best E.",
            f"你的曲线对这些点的拟合不够好：平方误差 {mine:.3g}，参考解为 {theirs:.3g}（参考解 E = {ref.E_:.4g}，alpha = {ref.alpha_:.4g}；你的 E = {E:.4g}，alpha = {alpha:.4g}）。请按 L 本身的平方误差 sum((E + A N^-alpha - L)^2) 选择 E，而不是按 log(L - E) 中直线的误差，后者在不同的 E 之间无法比较；并在最好的 E 附近加密网格。",
        )
    if abs(alpha / alpha_true - 1) > 0.1 or abs(E / E_true - 1) > 0.1:
        _fail(
            f"The data were made with E = {E_true:.4g} and alpha = {alpha_true:.4g} (plus 0.2% noise); you found E = {E:.4g}, alpha = {alpha:.4g}, more than 10% off.",
            f"数据由 E = {E_true:.4g}、alpha = {alpha_true:.4g} 生成（外加 0.2% 的噪声）；你得到 E = {E:.4g}、alpha = {alpha:.4g}，误差超过 10%。",
        )


@check(
    points=1, title={"en": "The order of the points does not matter", "zh": "数据点的顺序无关紧要"}
)
def unsorted(ctx):
    N, L, _, _, _ = _data(ctx)
    order = ctx.rng.permutation(len(N))
    _, sorted_fit = _fitted(ctx, N, L, True, "PowerLaw() on sorted N")
    _, shuffled_fit = _fitted(ctx, N[order], L[order], True, "PowerLaw() on shuffled N")
    if not np.allclose(sorted_fit, shuffled_fit, rtol=1e-6, atol=1e-9):
        _fail(
            f"The same points in another order give other parameters: (E, A, alpha) = {tuple(round(v, 5) for v in sorted_fit)} sorted, {tuple(round(v, 5) for v in shuffled_fit)} shuffled. Do not assume N is sorted (no N[0] and N[-1] as the ends); least squares over all points does not depend on their order.",
            f"同样的点换一个顺序，参数就变了：(E, A, alpha) 排序时为 {tuple(round(v, 5) for v in sorted_fit)}，打乱后为 {tuple(round(v, 5) for v in shuffled_fit)}。不要假设 N 已经排好序（不要用 N[0] 和 N[-1] 当两端）；对所有点做最小二乘与顺序无关。",
        )


@check(points=1, title={"en": "predict(N) at new sizes", "zh": "在新的规模上 predict(N)"})
def predict(ctx):
    N, L, _, _, _ = _data(ctx)
    model, (E, A, alpha) = _fitted(ctx, N, L, True, "PowerLaw()")
    new = np.array([3e2, 5e4, 2e8, 1e10])
    got = model.predict(new)
    if isinstance(got, RemoteObject):
        _fail("predict(N) must return an array of losses.", "predict(N) 必须返回损失组成的数组。")
    got = np.asarray(got, dtype=np.float64)
    expect_array("predict(N) (must be E_ + A_ * N ** -alpha_)", got, E + A * new**-alpha, rtol=1e-6)
    ref = ctx.reference.PowerLaw().fit(N, L)
    expect_array("predict(N) compared with the reference fit", got, ref.predict(new), rtol=0.03)


@check(points=1, title={"en": "Bad input raises ValueError", "zh": "错误的输入抛出 ValueError"})
def bad_input(ctx):
    N, L, _, _, _ = _data(ctx)
    for what, n_bad, l_bad in (
        ("an N of 0", np.concatenate([[0.0], N[1:]]), L),
        ("a negative N", np.concatenate([N[:-1], [-N[-1]]]), L),
        ("N and L of different lengths", N, L[:-1]),
    ):
        with expect_raises(f"PowerLaw().fit(N, L) with {what}", "ValueError"):
            ctx.learner.PowerLaw().fit(n_bad, l_bad)


@check(
    points=1,
    title={
        "en": "predict before fit raises RuntimeError",
        "zh": "fit 之前调用 predict 抛出 RuntimeError",
    },
)
def predict_before_fit(ctx):
    with expect_raises("PowerLaw().predict(N) before fit", "RuntimeError"):
        ctx.learner.PowerLaw().predict(np.array([1e3, 1e4]))
