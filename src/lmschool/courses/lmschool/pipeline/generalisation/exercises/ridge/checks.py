"""Hidden checks for pipeline/generalisation/ridge.

The data have columns far from centred and an intercept far from 0, so that every
way of getting the bias wrong (penalising it, dropping it, not centring) moves the
weights visibly. Learning rates and strengths are large enough for the decay term to
matter, and each common mistake is recognised by recomputing it on the trusted side.
"""

import numpy as np

from lmschool.grading.checks import (
    as_array,
    as_tuple,
    check,
    expect,
    expect_array,
    expect_close,
    fail,
)
from lmschool.grading.proxy import LearnerError


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})  # author text without fields: shown as written, braces included


def _data(rng, n, d):
    """Columns with means 2-5 and spreads 0.5-3, an intercept of 5-10 in size, some noise."""
    X = rng.normal(
        loc=rng.uniform(2.0, 5.0, size=d), scale=rng.uniform(0.5, 3.0, size=d), size=(n, d)
    )
    w = rng.normal(scale=2.0, size=d)
    b = float(rng.choice([-1.0, 1.0]) * rng.uniform(5.0, 10.0))
    return X, X @ w + b + rng.normal(scale=0.5, size=n)


def _closed(X, y, strength, *, penalise_bias=False, centre=True, sign=1.0):
    """(w, b) minimising |X w + b - y|^2 + strength |w|^2 (+ strength b^2), variants included."""
    n, d = X.shape
    if penalise_bias:
        A = np.column_stack([X, np.ones(n)])
        theta = np.linalg.solve(A.T @ A + sign * strength * np.eye(d + 1), A.T @ y)
        return theta[:-1], float(theta[-1])
    if not centre:
        return np.linalg.solve(X.T @ X + sign * strength * np.eye(d), X.T @ y), 0.0
    xm, ym = X.mean(axis=0), y.mean()
    Xc = X - xm
    w = np.linalg.solve(Xc.T @ Xc + sign * strength * np.eye(d), Xc.T @ (y - ym))
    return w, float(ym - xm @ w)


def _pair(got, d, name):
    """(w, b) as a float array of shape (d,) and a float, or a failure saying what came back."""
    w, b = as_tuple(name, got, ("w", "b"))
    w = as_array(f"w returned by {name}", w)
    if w.shape != (d,):
        _fail(
            f"w returned by {name} has shape {w.shape}; expected ({d},), one weight per column of X.",
            f"{name} 返回的 w 形状为 {w.shape}；期望为 ({d},)，X 的每一列对应一个权重。",
        )
    b = as_array(f"b returned by {name}", b)
    if b.shape != ():
        _fail(
            f"b returned by {name} must be one number (a float); it is an array of shape {b.shape}. Take the value out, e.g. float(theta[-1]) rather than theta[-1:].",
            f"{name} 返回的 b 必须是一个数（浮点数）；它却是形状为 {b.shape} 的数组。请取出其中的值，例如用 float(theta[-1])，而不是 theta[-1:]。",
        )
    return w, float(b)


def _fit(ctx, X, y, lam, en, zh):
    """ridge_fit(X, y, lam); an exception is explained with why this case is allowed."""
    try:
        return ctx.learner.ridge_fit(X, y, lam)
    except LearnerError as exc:
        said = f"{exc.type_name}: {exc.message[:200]}"
        _fail(
            f"ridge_fit(X, y, lam={lam:g}) with X of shape {X.shape} raised {said}. {en}",
            f"ridge_fit(X, y, lam={lam:g})（X 的形状为 {X.shape}）抛出了 {said}。{zh}",
        )


def _same(w, b, other):
    return np.allclose(w, other[0], rtol=1e-6, atol=1e-9) and np.isclose(
        b, other[1], rtol=1e-6, atol=1e-9
    )


def _diagnose_fit(X, y, lam, w, b):
    n = len(y)
    if abs(b) < 1e-9 and np.allclose(
        w, _closed(X, y, n * lam, centre=False)[0], rtol=1e-6, atol=1e-9
    ):
        _fail(
            "b is 0 and w is ridge without an intercept: the fit is forced through the origin, although the data have an intercept far from 0. Centre X and y before solving for w, then recover b = mean(y) - mean(X, axis=0) @ w.",
            "b 为 0，且 w 是不带截距的岭回归结果：拟合被强制穿过原点，而数据的截距离 0 很远。求 w 之前先把 X 和 y 中心化，再用 b = mean(y) - mean(X, axis=0) @ w 求出 b。",
        )
    if lam == 0:
        return  # every variant below coincides with least squares at lam = 0
    if _same(w, b, _closed(X, y, n * lam, penalise_bias=True)):
        _fail(
            "Your b is penalised too: the result is ridge on X with a column of ones whose weight is also shrunk. The bias must not be penalised: centre X and y, solve for w, then b = mean(y) - mean(X, axis=0) @ w.",
            "你的 b 也受到了惩罚：结果相当于给 X 加一列全 1 后做岭回归，而这一列的权重也被收缩了。偏置不能受惩罚：先把 X 和 y 中心化，求出 w，再令 b = mean(y) - mean(X, axis=0) @ w。",
        )
    if _same(w, b, _closed(X, y, lam)):
        _fail(
            f"Your w solves (Xc.T @ Xc + lam * I) w = Xc.T @ yc, without the factor N = {n}. The loss is a MEAN of squared errors, so the closed form is (Xc.T @ Xc + N * lam * I) w = Xc.T @ yc.",
            f"你的 w 解的是 (Xc.T @ Xc + lam * I) w = Xc.T @ yc，少了因子 N = {n}。损失是平方误差的**平均值**，所以闭式解是 (Xc.T @ Xc + N * lam * I) w = Xc.T @ yc。",
        )
    for factor, en, zh in [
        (0.5, "half", "一半"),
        (2.0, "twice", "两倍"),
    ]:
        if _same(w, b, _closed(X, y, factor * n * lam)):
            _fail(
                f"Your w is ridge with a penalty {en} as strong as asked: N * lam * I is the right term for the loss mean(...) + lam * |w|^2. Setting its gradient 2/N X.T r + 2 lam w to 0 and multiplying by N/2 gives exactly N * lam on the diagonal.",
                f"你的 w 相当于惩罚强度为要求的{zh}的岭回归：对损失 mean(...) + lam * |w|^2 而言，正确的项是 N * lam * I。令它的梯度 2/N X.T r + 2 lam w 为 0，再乘以 N/2，对角线上恰好是 N * lam。",
            )
    if _same(w, b, _closed(X, y, n * lam, sign=-1.0)):
        _fail(
            "Your w solves (Xc.T @ Xc - N * lam * I) w = Xc.T @ yc: the penalty has the wrong sign. It adds N * lam to the diagonal and shrinks the weights; subtracting it makes them larger.",
            "你的 w 解的是 (Xc.T @ Xc - N * lam * I) w = Xc.T @ yc：惩罚项的符号反了。它应在对角线上加上 N * lam，使权重收缩；减去它反而会让权重变大。",
        )


def _step(
    X, y, w, b, lam, lr, *, decay_factor=2.0, bias_decay=0.0, after=False, mean=True, stale=False
):
    """One step and its variants: the decay coefficient, a decayed bias, decay after the
    step, a summed gradient, or a bias step computed from the already-updated weights."""
    r = X @ w + b - y
    scale = len(r) if mean else 1
    grad_w, grad_b = 2.0 * X.T @ r / scale, 2.0 * r.sum() / scale
    if after:
        return (1 - 2 * lr * lam) * (w - lr * grad_w), b - lr * grad_b
    w_new = w - lr * (grad_w + decay_factor * lam * w)
    if stale:
        grad_b = 2.0 * np.mean(X @ w_new + b - y)
    return w_new, b - lr * (grad_b + bias_decay * lam * b)


def _diagnose_step(X, y, w0, b0, lam, lr, w, b):
    wrong = [
        (
            _step(X, y, w0, b0, lam, lr, bias_decay=2.0),
            "The bias was decayed too: b_new contains -lr * 2 * lam * b. The penalty is lam * |w|^2, on the weights only, so the bias moves by -lr * 2 * mean(r) and nothing else.",
            "偏置也被衰减了：b_new 中含有 -lr * 2 * lam * b。惩罚项是 lam * |w|^2，只作用于权重，所以偏置只移动 -lr * 2 * mean(r)，没有别的项。",
        ),
        (
            _step(X, y, w0, b0, lam, lr, after=True),
            "You shrank the weights AFTER the gradient step: (1 - 2 lr lam) * (w - lr * grad). Gradient descent on the penalised loss uses the gradient at the current weights: w - lr * (grad + 2 lam w), that is (1 - 2 lr lam) * w - lr * grad.",
            "你在梯度步**之后**才收缩权重：(1 - 2 lr lam) * (w - lr * grad)。在带惩罚项的损失上做梯度下降，要用当前权重处的梯度：w - lr * (grad + 2 lam w)，即 (1 - 2 lr lam) * w - lr * grad。",
        ),
        (
            _step(X, y, w0, b0, lam, lr, decay_factor=-2.0),
            "The decay term has the wrong sign: your weights grow by 2 lr lam w instead of shrinking. The gradient of lam * |w|^2 is +2 lam w, and the step SUBTRACTS the gradient.",
            "衰减项的符号反了：你的权重增加了 2 lr lam w，而不是收缩。lam * |w|^2 的梯度是 +2 lam w，而梯度步要**减去**梯度。",
        ),
        (
            _step(X, y, w0, b0, lam, lr, decay_factor=1.0),
            "The decay term is lam * w, half of what it should be: that is the gradient of (lam / 2) |w|^2, another convention. This loss has lam * |w|^2, whose gradient is 2 lam w.",
            "衰减项是 lam * w，只有应有值的一半：那是 (lam / 2) |w|^2 的梯度，属于另一种约定。本题的损失是 lam * |w|^2，其梯度为 2 lam w。",
        ),
        (
            _step(X, y, w0, b0, lam, lr, decay_factor=0.0),
            "Your step has no decay term: it is plain gradient descent on the mean squared error. Add the gradient of lam * |w|^2, which is 2 lam w.",
            "你的这一步没有衰减项：它只是均方误差上的普通梯度下降。请加上 lam * |w|^2 的梯度 2 lam w。",
        ),
        (
            _step(X, y, w0, b0, lam, lr, mean=False),
            f"The data part of your gradient is a SUM over the N = {len(y)} examples: the loss is a mean, so divide 2 X.T @ r and 2 r.sum() by N.",
            f"你梯度中的数据部分是对 N = {len(y)} 个样本的**求和**：损失是平均值，所以 2 X.T @ r 和 2 r.sum() 都要除以 N。",
        ),
        (
            _step(X, y, w0, b0, lam, lr, stale=True),
            "w is right, but b was stepped with residuals recomputed AFTER w changed (updating w in place with -= and then reusing it does this). Both parts of one step use the residuals of the (w, b) you were given.",
            "w 是对的，但 b 的更新用的是 w 改变**之后**重新计算的残差（用 -= 原地更新 w 再接着使用它，就会这样）。同一步中的两部分都要用传进来的 (w, b) 的残差。",
        ),
    ]
    for candidate, en, zh in wrong:
        if _same(w, b, candidate):
            _fail(en, zh)


@check(points=3, title={"en": "ridge_fit on noisy data", "zh": "含噪声数据上的 ridge_fit"})
def fit_values(ctx):
    n, d = int(ctx.rng.integers(30, 80)), int(ctx.rng.integers(3, 7))
    X, y = _data(ctx.rng, n, d)
    lam = float(ctx.rng.uniform(0.2, 2.0))
    w, b = _pair(ctx.learner.ridge_fit(X, y, lam), d, "ridge_fit")
    _diagnose_fit(X, y, lam, w, b)
    w_want, b_want = ctx.reference.ridge_fit(X, y, lam)
    expect_array(f"w of ridge_fit(X, y, lam={lam:.3g})", w, w_want, rtol=1e-6, atol=1e-9)
    expect_close(f"b of ridge_fit(X, y, lam={lam:.3g})", b, b_want, rtol=1e-6, atol=1e-9)


@check(points=1, title={"en": "lam = 0 is least squares", "zh": "lam = 0 时就是最小二乘"})
def zero_lambda(ctx):
    n, d = int(ctx.rng.integers(20, 50)), int(ctx.rng.integers(2, 5))
    X, y = _data(ctx.rng, n, d)
    got = _fit(
        ctx,
        X,
        y,
        0.0,
        "lam = 0 is allowed (lam >= 0): with independent columns it is ordinary least squares, and (Xc.T @ Xc) w = Xc.T @ yc has a unique solution.",
        "lam = 0 是允许的（lam >= 0）：各列线性无关时它就是普通最小二乘，(Xc.T @ Xc) w = Xc.T @ yc 有唯一解。",
    )
    w, b = _pair(got, d, "ridge_fit")
    theta, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(n)]), y, rcond=None)
    _diagnose_fit(X, y, 0.0, w, b)
    expect_array("w of ridge_fit(X, y, 0) (least squares)", w, theta[:-1], rtol=1e-6, atol=1e-9)
    expect_close("b of ridge_fit(X, y, 0) (least squares)", b, theta[-1], rtol=1e-6, atol=1e-9)


@check(
    points=2,
    title={"en": "Larger lam shrinks w, never b", "zh": "lam 越大 w 越小，但 b 不收缩"},
)
def shrinkage(ctx):
    n, d = int(ctx.rng.integers(30, 60)), int(ctx.rng.integers(3, 6))
    X, y = _data(ctx.rng, n, d)
    lams = [0.01, 0.1, 1.0, 10.0, 100.0]
    norms = [
        np.linalg.norm(_pair(ctx.learner.ridge_fit(X, y, lam), d, "ridge_fit")[0]) for lam in lams
    ]
    shown = ", ".join(f"{v:.4g}" for v in norms)
    expect(
        all(a > c for a, c in zip(norms, norms[1:], strict=False)),
        {
            "en": f"|w| for lam = 0.01, 0.1, 1, 10, 100 is {shown}: it must shrink as lam grows.",
            "zh": f"lam = 0.01、0.1、1、10、100 时 |w| 依次为 {shown}：它必须随 lam 增大而缩小。",
        },
    )
    w, b = _pair(ctx.learner.ridge_fit(X, y, 1e8), d, "ridge_fit")
    if abs(b - y.mean()) > 1e-3 * max(1.0, abs(y.mean())):
        _fail(
            f"With lam = 1e8 every weight is almost 0, so the best bias is mean(y) = {y.mean():.4g}; your b is {b:.4g}. The bias must not be penalised (an unpenalised b keeps predicting the mean however large lam is).",
            f"lam = 1e8 时所有权重几乎都为 0，所以最好的偏置是 mean(y) = {y.mean():.4g}；你的 b 却是 {b:.4g}。偏置不能受惩罚（不受惩罚的 b 无论 lam 多大都会预测平均值）。",
        )
    expect(
        np.linalg.norm(w) < 1e-4 * np.linalg.norm(_closed(X, y, 0.0)[0]),
        {
            "en": f"With lam = 1e8 the weights should be almost 0; |w| = {np.linalg.norm(w):.4g}.",
            "zh": f"lam = 1e8 时权重应几乎为 0；实际 |w| = {np.linalg.norm(w):.4g}。",
        },
    )


@check(
    points=1,
    title={"en": "More weights than examples", "zh": "权重比样本还多"},
)
def wide_data(ctx):
    n = int(ctx.rng.integers(8, 15))
    d = n + int(ctx.rng.integers(5, 20))
    X, y = _data(ctx.rng, n, d)
    lam = float(ctx.rng.uniform(0.05, 0.5))
    got = _fit(
        ctx,
        X,
        y,
        lam,
        "More columns than rows is allowed: with lam > 0 the matrix Xc.T @ Xc + N * lam * I is positive definite, so the system has a unique solution however many columns X has.",
        "列数多于行数是允许的：lam > 0 时矩阵 Xc.T @ Xc + N * lam * I 是正定的，所以无论 X 有多少列，方程组都有唯一解。",
    )
    w, b = _pair(got, d, "ridge_fit")
    _diagnose_fit(X, y, lam, w, b)
    w_want, b_want = ctx.reference.ridge_fit(X, y, lam)
    expect_array(f"w with {d} columns and {n} rows", w, w_want, rtol=1e-6, atol=1e-9)
    expect_close(f"b with {d} columns and {n} rows", b, b_want, rtol=1e-6, atol=1e-9)


def _step_problem(rng):
    n, d = int(rng.integers(20, 50)), int(rng.integers(2, 6))
    X = rng.normal(size=(n, d)) + rng.uniform(-1.0, 1.0, size=d)
    y = X @ rng.normal(size=d) + rng.uniform(2.0, 4.0) + rng.normal(scale=0.3, size=n)
    w = rng.normal(scale=2.0, size=d)
    b = float(rng.uniform(1.0, 3.0))
    return X, y, w, b


@check(points=3, title={"en": "One weight-decay step", "zh": "一步权重衰减"})
def one_step(ctx):
    X, y, w0, b0 = _step_problem(ctx.rng)
    lam, lr = float(ctx.rng.uniform(0.3, 1.0)), float(ctx.rng.uniform(0.05, 0.15))
    w, b = _pair(
        ctx.learner.weight_decay_step(X, y, w0.copy(), b0, lam, lr), len(w0), "weight_decay_step"
    )
    _diagnose_step(X, y, w0, b0, lam, lr, w, b)
    w_want, b_want = ctx.reference.weight_decay_step(X, y, w0, b0, lam, lr)
    expect_array("w after one step", w, w_want, rtol=1e-8, atol=1e-10)
    expect_close("b after one step", b, b_want, rtol=1e-8, atol=1e-10)


@check(
    points=1,
    title={"en": "lam = 0 is a plain gradient step", "zh": "lam = 0 时就是普通的梯度步"},
)
def step_without_decay(ctx):
    X, y, w0, b0 = _step_problem(ctx.rng)
    lr = float(ctx.rng.uniform(0.05, 0.15))
    w, b = _pair(
        ctx.learner.weight_decay_step(X, y, w0.copy(), b0, 0.0, lr), len(w0), "weight_decay_step"
    )
    r = X @ w0 + b0 - y
    if _same(w, b, (w0 - lr * 2 * X.T @ r, b0 - lr * 2 * r.sum())):
        _fail(
            f"The gradient of the mean squared error is a mean over the N = {len(y)} examples, 2 X.T @ r / N and 2 mean(r); yours is a sum.",
            f"均方误差的梯度是对 N = {len(y)} 个样本的平均：2 X.T @ r / N 和 2 mean(r)；你的却是求和。",
        )
    expect_array(
        "w after a step with lam = 0", w, w0 - lr * 2 * X.T @ r / len(r), rtol=1e-8, atol=1e-10
    )
    expect_close("b after a step with lam = 0", b, b0 - lr * 2 * r.mean(), rtol=1e-8, atol=1e-10)


@check(
    points=2,
    title={
        "en": "Repeated steps reach ridge_fit's solution",
        "zh": "反复迭代会到达 ridge_fit 的解",
    },
)
def steps_converge(ctx):
    n, d = int(ctx.rng.integers(30, 60)), int(ctx.rng.integers(2, 5))
    X = ctx.rng.normal(size=(n, d))
    X = (X - X.mean(axis=0)) / X.std(axis=0)  # standardised: gradient descent converges fast
    y = X @ ctx.rng.normal(scale=2.0, size=d) + ctx.rng.uniform(3.0, 6.0) + ctx.rng.normal(size=n)
    lam, lr = float(ctx.rng.uniform(0.3, 1.0)), 0.15
    w, b = np.zeros(d), 0.0
    for _ in range(120):
        w, b = _pair(ctx.learner.weight_decay_step(X, y, w, b, lam, lr), d, "weight_decay_step")
    w_want, b_want = _closed(X, y, n * lam)
    gap = float(np.max(np.abs(w - w_want)))
    expect(
        gap < 1e-6,
        {
            "en": f"After 120 of your steps from w = 0 (lam = {lam:.3g}, lr = {lr}), w is still {gap:.3g} away from the ridge solution. Gradient descent on the penalised loss must converge to its minimum, the solution of ridge_fit.",
            "zh": f"从 w = 0 出发用你的函数迭代 120 步（lam = {lam:.3g}，lr = {lr}）之后，w 与岭回归的解仍相差 {gap:.3g}。在带惩罚项的损失上做梯度下降，必须收敛到它的最小值，也就是 ridge_fit 的解。",
        },
    )
    expect(
        abs(b - b_want) < 1e-6,
        {
            "en": f"After 120 of your steps from b = 0 (lam = {lam:.3g}, lr = {lr}), b = {b:.6g}, but the minimum of the penalised loss has b = {b_want:.6g}. The bias is not penalised, so it must converge to mean(y) - mean(X) @ w.",
            "zh": f"从 b = 0 出发用你的函数迭代 120 步（lam = {lam:.3g}，lr = {lr}）之后，b = {b:.6g}，而带惩罚项的损失在最小值处 b = {b_want:.6g}。偏置不受惩罚，所以它必须收敛到 mean(y) - mean(X) @ w。",
        },
    )
