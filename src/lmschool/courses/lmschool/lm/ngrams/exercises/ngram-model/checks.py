"""Hidden checks for lm/ngrams/ngram-model: an add-k character n-gram model.

Texts are seeded "sentences" of invented words. Every check compares with the formula
(the reference) and, when the learner's numbers differ, with the numbers of the usual
mistakes (no smoothing, k instead of k V, no padding, first instead of last characters,
natural log instead of log2, perplexity as e ** bits), to name the mistake.
"""

import math

import numpy as np

from lmschool.grading.checks import (
    check,
    expect,
    expect_array,
    expect_close,
    expect_equal,
    expect_raises,
    fail,
)
from lmschool.grading.proxy import RemoteObject

LETTERS = list("abdeilmnorstu")


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


def _corpus(rng, n_words=250):
    """(train, held_out): sentences of 25 invented words; every word is in train."""
    words = ["".join(rng.choice(LETTERS, size=int(rng.integers(2, 6)))) for _ in range(25)]
    train = " ".join(words) + ". " + " ".join(rng.choice(words, size=n_words)) + "."
    held_out = " ".join(rng.choice(words, size=60)) + "."
    return train, held_out


def _fitted(ctx, train, order, k):
    model = ctx.learner.CharNGram(order=order, k=k)
    out = model.fit(train)
    expect(
        out == model,
        {"en": "fit(text) must return self.", "zh": "fit(text) 必须返回 self。"},
    )
    return model


def _as_vector(got, name, V):
    if isinstance(got, RemoteObject):
        _fail(
            f"{name} must return a NumPy array, not a {got.type_name}.",
            f"{name} 必须返回 NumPy 数组，而不是 {got.type_name}。",
        )
    try:
        arr = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(f"{name} must return an array of numbers.", f"{name} 必须返回数值数组。")
    if arr.shape != (V,):
        _fail(
            f"{name} must have shape ({V},), one log-probability per character of vocab_; got shape {arr.shape}.",
            f"{name} 的形状必须是 ({V},)，vocab_ 中每个字符一个对数概率；你的形状是 {arr.shape}。",
        )
    return arr


def _counts(text, order, start="\x02"):
    padded = start * (order - 1) + text
    table = {}
    for i in range(order - 1, len(padded)):
        h = padded[i - order + 1 : i]
        table.setdefault(h, {})
        table[h][padded[i]] = table[h].get(padded[i], 0) + 1
    return table


def _variants(train, order, k, context):
    """Next-symbol probabilities of the usual mistakes, keyed by the diagnosis."""
    vocab = sorted(set(train))
    V = len(vocab)
    out = {}
    table = _counts(train, order)
    padded = "\x02" * (order - 1) + context
    h = padded[len(padded) - (order - 1) :]
    row = table.get(h, {})
    c = np.array([row.get(v, 0) for v in vocab], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["mle"] = c / c.sum() if c.sum() else np.full(V, np.nan)
    out["k_not_kv"] = (c + k) / (c.sum() + k)
    seen = max(1, int((c > 0).sum()))
    out["seen_types"] = (c + k) / (c.sum() + k * seen)
    first = padded[: order - 1]  # the FIRST n - 1 characters of the padded context
    row = table.get(first, {})
    cf = np.array([row.get(v, 0) for v in vocab], dtype=np.float64)
    out["first"] = (cf + k) / (cf.sum() + k * V)
    nopad = _counts(train, order, start="")  # counts without padding: the text's own start
    hp = context[-(order - 1) :] if order > 1 else ""
    row = nopad.get(hp, {}) if len(context) >= order - 1 else {}
    cn = np.array([row.get(v, 0) for v in vocab], dtype=np.float64)
    out["nopad"] = (cn + k) / (cn.sum() + k * V)
    return out


MESSAGES = {
    "mle": (
        "Your probabilities are the raw frequencies count(h, c) / count(h): characters never seen after h get probability 0 (log = -inf), and an unseen context gives 0 / 0. Add k to every count and k·V to the denominator.",
        "你的概率是原始频率 count(h, c) / count(h)：在 h 后面从未出现过的字符概率为 0（对数为 -inf），没见过的上下文则得到 0 / 0。请给每个计数加 k，给分母加 k·V。",
    ),
    "k_not_kv": (
        "The denominator adds k once, count(h) + k, instead of count(h) + k·V: you added k to each of the V counts, so the total grows by k·V. Your probabilities sum to more than 1.",
        "分母只加了一次 k，即 count(h) + k，而不是 count(h) + k·V：你给 V 个计数每个都加了 k，总数就增加了 k·V。你的概率之和大于 1。",
    ),
    "k_too_small": (
        "The denominator adds k too few times: with add-k every one of the V characters of the vocabulary gets k, so the denominator is count(h) + k·V (V = len(vocab_)), whatever was seen after h. Your probabilities sum to more than 1.",
        "分母加 k 的次数太少了：add-k 给词表中全部 V 个字符每个都加 k，所以无论 h 后面出现过什么，分母都是 count(h) + k·V（V = len(vocab_)）。你的概率之和大于 1。",
    ),
    "seen_types": (
        "The denominator uses k times the number of characters SEEN after this context, not k·V over the whole vocabulary: the unseen characters also got k each, so the probabilities sum to more than 1.",
        "分母用的是 k 乘以在这个上下文后面“出现过”的字符数，而不是整个词表的 k·V：没出现过的字符也各加了 k，所以概率之和大于 1。",
    ),
    "first": (
        "You use the FIRST order - 1 characters of the context; the next character depends on the LAST order - 1 (the ones right before it).",
        "你用的是上下文的前 order - 1 个字符；下一个字符取决于最后 order - 1 个字符（紧挨在它前面的那些）。",
    ),
    "nopad": (
        "The start of the text is not padded: with order - 1 start symbols in front of the text, the first character is predicted from (start, ..., start) and counted in fit. Pad the text in fit and pad short contexts in next_log_probs.",
        "文本开头没有填充：在文本前面放 order - 1 个起始符号后，第一个字符由 (起始, ..., 起始) 预测，并在 fit 中被计数。请在 fit 中填充文本，并在 next_log_probs 中补齐过短的上下文。",
    ),
}


def _diagnose(p, variants):
    """Fail with the message of the mistake whose numbers ``p`` reproduces, if any."""
    keys = [
        key
        for key, wrong in variants.items()
        if np.allclose(p, wrong, rtol=1e-9, atol=1e-12, equal_nan=True)
    ]
    if {"k_not_kv", "seen_types"} <= set(keys):  # the same numbers here: say what both miss
        _fail(*MESSAGES["k_too_small"])
    if keys:
        _fail(*MESSAGES[keys[0]])


def _compare_next(ctx, model, train, order, k, context, label):
    vocab = sorted(set(train))
    got = _as_vector(model.next_log_probs(context), f"next_log_probs({context!r})", len(vocab))
    want = ctx.reference.CharNGram(order=order, k=k).fit(train).next_log_probs(context)
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        with np.errstate(over="ignore", invalid="ignore"):
            p = np.exp(got)
        _diagnose(p, _variants(train, order, k, context))
        if np.allclose(got * math.log(2), want, rtol=1e-9):
            _fail(
                "next_log_probs returns log2 probabilities; it must return NATURAL logs (np.log). Bits belong in bits_per_char only.",
                "next_log_probs 返回的是以 2 为底的对数；它必须返回自然对数（np.log）。只有 bits_per_char 才用比特。",
            )
    expect_array(f"next_log_probs({context!r}) {label}", got, want, rtol=1e-9, atol=1e-12)


@check(
    points=1, title={"en": "fit returns self and sets vocab_", "zh": "fit 返回 self 并设置 vocab_"}
)
def fit_and_vocab(ctx):
    train, _ = _corpus(ctx.rng, 40)
    model = _fitted(ctx, train, 3, 1.0)
    expect_equal("vocab_", list(model.vocab_), sorted(set(train)))


@check(
    points=2,
    title={
        "en": "Probabilities sum to 1 in every context, unseen ones included",
        "zh": "任何上下文中概率之和都为 1，包括未见过的上下文",
    },
)
def normalised(ctx):
    rng = ctx.rng
    train, _ = _corpus(rng)
    order, k = int(rng.integers(3, 5)), float(rng.choice([0.1, 0.5, 1.0]))
    model = _fitted(ctx, train, order, k)
    V = len(set(train))
    vocab, seen = sorted(set(train)), _counts(train, order)
    unseen = next(
        h
        for h in ("".join(rng.choice(vocab, size=order - 1)) for _ in range(1000))
        if h not in seen
    )
    contexts = [train[:5], "", unseen, "." * (order - 1), " " + train[10:14]]
    for context in contexts:
        got = _as_vector(model.next_log_probs(context), f"next_log_probs({context!r})", V)
        with np.errstate(over="ignore", invalid="ignore"):
            total = float(np.exp(got).sum())
        if not np.isfinite(total) or abs(total - 1.0) > 1e-9:
            _diagnose(np.exp(got), _variants(train, order, k, context))
            _fail(
                f"In the context {context!r} (order {order}, k = {k}) your probabilities exp(next_log_probs) sum to {total:.6g}, not 1. Every context, seen or not, needs a distribution over all V = {V} characters.",
                f"在上下文 {context!r}（{order} 阶，k = {k}）中，你的概率 exp(next_log_probs) 之和为 {total:.6g}，而不是 1。每个上下文，无论见过与否，都需要一个覆盖全部 V = {V} 个字符的分布。",
            )


@check(
    points=2,
    title={
        "en": "Values match add-k smoothing, orders 1 to 4",
        "zh": "1 到 4 阶的数值符合 add-k 平滑",
    },
)
def formula(ctx):
    rng = ctx.rng
    train, held_out = _corpus(rng)
    for order in (1, 2, 3, 4):
        k = float(rng.choice([0.05, 0.5, 2.0]))
        model = _fitted(ctx, train, order, k)
        start = int(rng.integers(10, len(held_out) - 10))
        _compare_next(ctx, model, train, order, k, held_out[:start], f"(order {order}, k = {k})")


@check(
    points=1,
    title={
        "en": "An unseen character after a seen context keeps some probability",
        "zh": "已见上下文后的未见字符仍有一定概率",
    },
)
def unseen_event(ctx):
    rng = ctx.rng
    train, _ = _corpus(rng)
    order, k = 3, 0.5
    model = _fitted(ctx, train, order, k)
    table = _counts(train, order)
    vocab = sorted(set(train))
    # the most frequent context (away from the start) after which some character never came
    h = max(
        (h for h in table if "\x02" not in h and len(table[h]) < len(vocab)),
        key=lambda h: sum(table[h].values()),
    )
    missing = [c for c in vocab if c not in table[h]]
    _compare_next(
        ctx, model, train, order, k, h, f"after {h!r}, where {missing[0]!r} never followed"
    )


@check(
    points=2,
    title={"en": "The start of a text is padded", "zh": "文本开头做了填充"},
)
def start_padding(ctx):
    rng = ctx.rng
    train, _ = _corpus(rng, 60)
    order = int(rng.integers(3, 5))
    model = _fitted(ctx, train, order, 1.0)
    _compare_next(ctx, model, train, order, 1.0, "", "(the first character of a text)")
    _compare_next(ctx, model, train, order, 1.0, train[:1], "(a context shorter than order - 1)")


@check(
    points=2,
    title={"en": "bits_per_char on held-out text", "zh": "留出文本上的 bits_per_char"},
)
def bits(ctx):
    rng = ctx.rng
    train, held_out = _corpus(rng)
    order, k = int(rng.integers(2, 5)), 0.5
    model = _fitted(ctx, train, order, k)
    got = model.bits_per_char(held_out)
    want = ctx.reference.CharNGram(order=order, k=k).fit(train).bits_per_char(held_out)
    if isinstance(got, (int, float)) and not math.isclose(got, want, rel_tol=1e-7):
        if math.isclose(got, want * math.log(2), rel_tol=1e-7):
            _fail(
                f"bits_per_char returned {got:.5f}, which is the cross-entropy in NATS (natural log). In bits it is {want:.5f}: divide by ln 2 (or use np.log2).",
                f"bits_per_char 返回了 {got:.5f}，这是以奈特为单位（自然对数）的交叉熵。换成比特是 {want:.5f}：除以 ln 2（或者用 np.log2）。",
            )
        if math.isclose(got, -want, rel_tol=1e-7):
            _fail(
                "bits_per_char has the wrong sign: cross-entropy is the mean of MINUS log2 P, a positive number.",
                "bits_per_char 的符号反了：交叉熵是 -log2 P 的平均值，是正数。",
            )
        ref = ctx.reference.CharNGram(order=order, k=k).fit(train)
        lp = [ref.next_log_probs(held_out[:t])[ref.index_[c]] for t, c in enumerate(held_out)]
        skip = -np.mean(lp[order - 1 :]) / math.log(2)
        if math.isclose(got, skip, rel_tol=1e-7):
            _fail(
                f"bits_per_char skips the first {order - 1} character(s) of the text. Pad the held-out text at its start too, so every character is scored, and divide by len(text).",
                f"bits_per_char 跳过了文本的前 {order - 1} 个字符。留出文本的开头也要填充，让每个字符都被计分，再除以 len(text)。",
            )
    expect_close(f"bits_per_char(held_out) (order {order}, k = {k})", got, want, rtol=1e-7)


@check(
    points=1, title={"en": "perplexity = 2 ** bits per char", "zh": "困惑度 = 2 ** 每字符比特数"}
)
def perplexity(ctx):
    rng = ctx.rng
    train, held_out = _corpus(rng)
    model = _fitted(ctx, train, 3, 1.0)
    ref = ctx.reference.CharNGram(order=3, k=1.0).fit(train)
    got, want = model.perplexity(held_out), ref.perplexity(held_out)
    if isinstance(got, (int, float)) and math.isclose(
        got, math.exp(ref.bits_per_char(held_out)), rel_tol=1e-7
    ):
        _fail(
            "perplexity returned e ** (bits per char). Perplexity is 2 ** (bits per char) = e ** (nats per char): the base of the power must match the unit of the cross-entropy.",
            "perplexity 返回的是 e ** (每字符比特数)。困惑度是 2 ** (每字符比特数) = e ** (每字符奈特数)：幂的底数必须与交叉熵的单位一致。",
        )
    expect_close("perplexity(held_out)", got, want, rtol=1e-7)


@check(
    points=1,
    title={
        "en": "next_log_probs before fit raises RuntimeError",
        "zh": "fit 之前调用 next_log_probs 抛出 RuntimeError",
    },
)
def before_fit(ctx):
    model = ctx.learner.CharNGram(order=2, k=1.0)
    with expect_raises("CharNGram().next_log_probs('a') before fit", "RuntimeError"):
        model.next_log_probs("a")
