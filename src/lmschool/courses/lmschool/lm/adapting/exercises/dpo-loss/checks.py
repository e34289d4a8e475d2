"""Hidden checks for lm/adapting/dpo-loss.

Seeded batches of sequence log-probabilities; the learner's loss and implicit rewards are
compared with the reference. When they differ, the loss is recomputed here with one
plausible mistake at a time (chosen and rejected swapped, beta outside the log-sigmoid,
no reference model, a sum over the batch, rewards without beta) and a match names it.
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


def _batch(ctx, n=None):
    n = int(ctx.rng.integers(5, 12)) if n is None else n
    length = ctx.rng.integers(5, 40, size=n)  # answers of different lengths
    rc = -length * ctx.rng.uniform(0.5, 2.0, size=n)  # log p(y_w | x) under the reference
    rr = -length * ctx.rng.uniform(0.5, 2.0, size=n)
    pc = rc + ctx.rng.normal(0.0, 3.0, size=n)  # the policy has moved a little
    pr = rr + ctx.rng.normal(0.0, 3.0, size=n)
    return pc, pr, rc, rr


def _unpack(got, n):
    if isinstance(got, RemoteObject) or not isinstance(got, tuple | list) or len(got) != 3:
        _fail(
            "dpo_loss must return a tuple (loss, chosen_rewards, rejected_rewards).",
            "dpo_loss 必须返回元组 (loss, chosen_rewards, rejected_rewards)。",
        )
    loss, ch, rj = got
    if isinstance(loss, RemoteObject) or np.asarray(loss).size != 1:
        _fail(
            "loss must be one number: the mean over the batch.",
            "loss 必须是一个数：整批上的平均值。",
        )
    out = []
    for name, v in (("chosen_rewards", ch), ("rejected_rewards", rj)):
        if isinstance(v, RemoteObject):
            _fail(
                f"{name} must be an array, not a {v.type_name}.",
                f"{name} 必须是数组，而不是 {v.type_name}。",
            )
        a = np.asarray(v.numpy() if hasattr(v, "numpy") else v, dtype=np.float64)
        if a.shape != (n,):
            _fail(
                f"{name} must have shape ({n},), one reward per pair; got {a.shape}.",
                f"{name} 的形状必须是 ({n},)，每对一个奖励；实际为 {a.shape}。",
            )
        out.append(a)
    return float(np.asarray(loss, dtype=np.float64).reshape(-1)[0]), out[0], out[1]


def _loss(pc, pr, rc, rr, beta, mistake=None):
    if mistake == "swapped":
        pc, pr, rc, rr = pr, pc, rr, rc
    if mistake == "no_reference":
        rc, rr = np.zeros_like(rc), np.zeros_like(rr)
    margin = (pc - rc) - (pr - rr)
    if mistake == "beta_outside":
        per = beta * np.logaddexp(0.0, -margin)
    else:
        per = np.logaddexp(0.0, -beta * margin)
    return float(per.sum() if mistake == "sum" else per.mean())


DIAGNOSES = {
    "swapped": (
        "Your loss matches the one with chosen and rejected swapped: the loss must fall when the policy raises the CHOSEN answer's log-ratio, margin = beta * [(pi_w - ref_w) - (pi_l - ref_l)], loss = -log sigmoid(margin).",
        "你的损失与“选中与拒绝的回答互换”后的损失一致：当策略提高**被选中**回答的对数比时，损失应当下降；margin = beta * [(pi_w - ref_w) - (pi_l - ref_l)]，loss = -log sigmoid(margin)。",
    ),
    "beta_outside": (
        "Your loss matches beta * (-log sigmoid(difference of log-ratios)): beta must multiply the difference INSIDE the sigmoid. It sets how far the policy may move from the reference; outside, it only rescales the loss.",
        "你的损失等于 beta * (-log sigmoid(对数比之差))：beta 必须在 sigmoid **内部**乘以这个差。它决定策略可以离参考模型多远；放在外面只会缩放损失。",
    ),
    "no_reference": (
        "Your loss ignores the reference model: it matches -log sigmoid(beta * (pi_w - pi_l)). DPO compares log-RATIOS, log pi(y|x) - log ref(y|x); without the reference, the loss rewards answers the reference already liked and drifts without limit.",
        "你的损失忽略了参考模型：它等于 -log sigmoid(beta * (pi_w - pi_l))。DPO 比较的是对数**比**，即 log pi(y|x) - log ref(y|x)；没有参考模型，损失会奖励参考模型本来就喜欢的回答，并且会无限漂移。",
    ),
    "sum": (
        "Your loss is the SUM over the batch: it must be the mean, so that the size of a step does not depend on the batch size.",
        "你的损失是整批的**总和**：它必须是平均值，这样每一步的大小才不依赖于批量大小。",
    ),
}


def _diagnose(got_loss, pc, pr, rc, rr, beta):
    for mistake, (en, zh) in DIAGNOSES.items():
        if np.isclose(got_loss, _loss(pc, pr, rc, rr, beta, mistake), rtol=1e-4, atol=1e-7):
            _fail(en, zh)


@check(
    points=2,
    title={
        "en": "Loss and implicit rewards on a batch of pairs",
        "zh": "一批偏好对上的损失与隐式奖励",
    },
)
def values(ctx):
    pc, pr, rc, rr = _batch(ctx)
    beta = float(ctx.rng.uniform(0.05, 0.5))
    loss, ch, rj = _unpack(ctx.learner.dpo_loss(pc, pr, rc, rr, beta), len(pc))
    want, want_ch, want_rj = ctx.reference.dpo_loss(pc, pr, rc, rr, beta)
    if not np.isclose(loss, want, rtol=1e-4, atol=1e-7):
        _diagnose(loss, pc, pr, rc, rr, beta)
    expect_close(f"loss (beta = {beta:.3f})", loss, want, rtol=1e-4, atol=1e-7)
    if np.allclose(ch, pc - rc) and not np.allclose(ch, want_ch):
        _fail(
            "chosen_rewards are log pi(y_w|x) - log ref(y_w|x) without beta: the implicit reward is beta times the log-ratio.",
            "chosen_rewards 是不带 beta 的 log pi(y_w|x) - log ref(y_w|x)：隐式奖励是 beta 乘以对数比。",
        )
    expect_array("chosen_rewards", ch, want_ch, rtol=1e-4, atol=1e-6)
    expect_array("rejected_rewards", rj, want_rj, rtol=1e-4, atol=1e-6)


@check(
    points=1, title={"en": "beta changes the loss as it should", "zh": "beta 按应有的方式改变损失"}
)
def beta_matters(ctx):
    pc, pr, rc, rr = _batch(ctx)
    for beta in (0.05, 0.5):
        loss, _, _ = _unpack(ctx.learner.dpo_loss(pc, pr, rc, rr, beta), len(pc))
        want = ctx.reference.dpo_loss(pc, pr, rc, rr, beta)[0]
        if not np.isclose(loss, want, rtol=1e-4, atol=1e-7):
            _diagnose(loss, pc, pr, rc, rr, beta)
            if np.isclose(loss, _loss(pc, pr, rc, rr, 1.0), rtol=1e-4):
                _fail(
                    f"With beta = {beta} your loss equals the loss with beta = 1: beta is ignored.",
                    f"当 beta = {beta} 时，你的损失等于 beta = 1 时的损失：beta 被忽略了。",
                )
        expect_close(f"loss with beta = {beta}", loss, want, rtol=1e-4, atol=1e-7)


@check(
    points=1,
    title={
        "en": "A policy equal to the reference gives log 2",
        "zh": "策略与参考模型相同时损失为 log 2",
    },
)
def policy_is_reference(ctx):
    _, _, rc, rr = _batch(ctx)
    loss, ch, rj = _unpack(ctx.learner.dpo_loss(rc, rr, rc, rr, 0.1), len(rc))
    if not np.isclose(loss, np.log(2.0), rtol=1e-6, atol=1e-7):
        _diagnose(loss, rc, rr, rc, rr, 0.1)
        _fail(
            f"When the policy's log-probabilities equal the reference's, every log-ratio is 0, the margin is 0, and the loss is -log sigmoid(0) = log 2 = 0.6931 whatever the answers; yours is {loss:.6g}. Use the differences policy - reference, not the policy's log-probabilities alone.",
            f"当策略的对数概率与参考模型相同时，每个对数比都是 0，margin 为 0，无论回答是什么，损失都是 -log sigmoid(0) = log 2 = 0.6931；你的结果是 {loss:.6g}。请使用“策略 - 参考”的差，而不是只用策略的对数概率。",
        )
    expect_array(
        "chosen_rewards when the policy equals the reference", ch, np.zeros_like(rc), atol=1e-12
    )
    expect_array(
        "rejected_rewards when the policy equals the reference", rj, np.zeros_like(rr), atol=1e-12
    )


@check(
    points=1,
    title={
        "en": "Preferring the chosen answer lowers the loss",
        "zh": "更偏好被选中的回答会降低损失",
    },
)
def direction(ctx):
    _, _, rc, rr = _batch(ctx)
    shift = float(ctx.rng.uniform(1.0, 5.0))
    better, _, _ = _unpack(ctx.learner.dpo_loss(rc + shift, rr - shift, rc, rr, 0.1), len(rc))
    worse, _, _ = _unpack(ctx.learner.dpo_loss(rc - shift, rr + shift, rc, rr, 0.1), len(rc))
    if better > worse:
        _fail(
            f"When the policy raises the chosen answers and lowers the rejected ones (relative to the reference), the loss must fall below log 2 = 0.693; the other way round, rise above it. Yours: {better:.4g} and {worse:.4g}. Check which difference goes first: chosen minus rejected.",
            f"当策略（相对于参考模型）提高被选中的回答、降低被拒绝的回答时，损失必须低于 log 2 = 0.693；反过来则应高于它。你的结果：{better:.4g} 和 {worse:.4g}。请检查哪个差在前：被选中的减去被拒绝的。",
        )
    if not (better < np.log(2.0) < worse):
        _fail(
            f"At a margin of 0 the loss of a pair is -log sigmoid(0) = log 2 = 0.693; a positive margin must give less, a negative one more. Yours: {better:.4g} and {worse:.4g}.",
            f"margin 为 0 时，一对的损失是 -log sigmoid(0) = log 2 = 0.693；正的 margin 必须给出更小的值，负的则更大。你的结果：{better:.4g} 和 {worse:.4g}。",
        )


@check(
    points=2,
    title={
        "en": "Large margins give finite, exact losses",
        "zh": "很大的 margin 也给出有限且精确的损失",
    },
)
def stable(ctx):
    n = 6
    rc = -ctx.rng.uniform(50.0, 100.0, size=n)
    rr = -ctx.rng.uniform(50.0, 100.0, size=n)
    gap = ctx.rng.uniform(800.0, 1500.0, size=n) * np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    pc, pr = rc + gap, rr - gap  # margins of about +-2 * gap with beta = 1
    loss, _, _ = _unpack(ctx.learner.dpo_loss(pc, pr, rc, rr, 1.0), n)
    want = ctx.reference.dpo_loss(pc, pr, rc, rr, 1.0)[0]
    if not np.isfinite(loss):
        _fail(
            f"With margins of about +-{2 * np.abs(gap).min():.0f} your loss is {loss}: log(sigmoid(m)) underflows to log(0) for a very negative m (and exp(-m) overflows). Compute -log sigmoid(m) as np.logaddexp(0, -m), or torch.nn.functional.logsigmoid, which stay exact.",
            f"当 margin 约为 +-{2 * np.abs(gap).min():.0f} 时，你的损失为 {loss}：对很负的 m，log(sigmoid(m)) 会下溢成 log(0)（exp(-m) 也会溢出）。请把 -log sigmoid(m) 写成 np.logaddexp(0, -m)，或用 torch.nn.functional.logsigmoid，它们都是精确的。",
        )
    expect_close("loss with margins in the thousands", loss, want, rtol=1e-5, atol=1e-6)


@check(points=1, title={"en": "The loss is the mean over the batch", "zh": "损失是整批的平均值"})
def batch_mean(ctx):
    pc, pr, rc, rr = _batch(ctx, n=4)
    one, _, _ = _unpack(ctx.learner.dpo_loss(pc, pr, rc, rr, 0.2), 4)
    twice, _, _ = _unpack(
        ctx.learner.dpo_loss(*(np.concatenate([a, a]) for a in (pc, pr, rc, rr)), 0.2), 8
    )
    if not np.isclose(one, twice, rtol=1e-6):
        _fail(
            f"The same pairs given twice change the loss from {one:.5g} to {twice:.5g}: the loss must be the MEAN over the pairs, not the sum.",
            f"把同样的偏好对重复一遍，损失从 {one:.5g} 变成了 {twice:.5g}：损失必须是各对的**平均值**，而不是总和。",
        )
