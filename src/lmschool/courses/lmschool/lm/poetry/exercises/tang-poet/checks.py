"""Hidden checks for lm/poetry/tang-poet: held-out loss on hidden quatrains, valid poems.

The 400 hidden quatrains are drawn with the grader's secret seed (``ctx.hidden_seed``)
from ../../poems.py's corpus (the lesson folder, which no learner sees); the learner's
code gets only the training poems, as arguments. The held-out loss is computed here from
the log-probabilities the learner's model returns, asked one context length at a time
(shortest first), so that no request shows a token before it was predicted. The bar is the
Kneser-Ney trigram's loss on the same hidden poems minus MARGIN: the trigram is the best
order of a smoothed character n-gram on these poems (bench/lm_poetry.py measures orders
1-6), and the reference GPT beats it by 0.35-0.41 nats on the splits measured there.
"""

import functools
import sys
from pathlib import Path

import numpy as np

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check, expect

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import poems  # noqa: E402

MARGIN = 0.2  # nats per token below the best n-gram
PLAUSIBLE = 7.0  # nats per token of written poems under a character bigram (random: ~8.3)
N_SEEDS = 5  # poems written per form
NATS = kit.Metric("held-out loss in nats per token", "留出损失（每词元奈特数）", False)


@functools.lru_cache(maxsize=2)
def _data(hidden_seed):
    """Training poems (rare characters as □), the vocabulary, the hidden poems, the baseline."""
    train, hidden = poems.split(hidden_seed)
    vocab = poems.build_vocab(train)
    known = frozenset(vocab)
    train = [poems.map_rare(p, known) for p in train]
    return train, vocab, hidden


@functools.lru_cache(maxsize=2)
def _baseline(hidden_seed):
    train, vocab, hidden = _data(hidden_seed)
    return poems.ngram_loss(train, hidden, vocab, order=3)


def _fitted(ctx):
    def fit():
        train, vocab, _ = _data(ctx.hidden_seed)
        model = ctx.learner.PoetModel()
        return model, model.fit(train, vocab)

    return kit.fitted_once(ctx, ctx.hidden_seed, fit, "PoetModel().fit(poems, vocab)")


def _log_probs(got, n, V, call):
    """The learner's (n, V) log-probabilities as float64, normalised, or a failure that says why."""
    return kit.expect_log_distributions(
        got, n, V, call, symbols=("token of vocab", "vocab 中的词元")
    )


@check(
    points=1,
    title={
        "en": "next_log_probs before fit raises RuntimeError",
        "zh": "fit 之前调用 next_log_probs 会抛出 RuntimeError",
    },
)
def not_fitted(ctx):
    kit.expect_predict_before_fit_raises(
        ctx.learner.PoetModel(),
        ["白日"],
        call="PoetModel().next_log_probs(['白日']) before fit",
        method="next_log_probs",
    )


@check(
    points=1, title={"en": "fit(poems, vocab) returns self", "zh": "fit(poems, vocab) 返回 self"}
)
def fit_returns_self(ctx):
    model, out = _fitted(ctx)
    kit.expect_returns_self(model, out, "fit(poems, vocab)")


@check(
    points=2,
    title={
        "en": "next_log_probs returns normalised log-probabilities",
        "zh": "next_log_probs 返回归一化的对数概率",
    },
)
def normalised(ctx):
    model, _ = _fitted(ctx)
    train, vocab, _ = _data(ctx.hidden_seed)
    picks = ctx.rng.choice(len(train), size=20, replace=False)
    contexts = [""] + [train[i][: int(ctx.rng.integers(1, len(train[i]) + 1))] for i in picks]
    _log_probs(
        model.next_log_probs(contexts),
        len(contexts),
        len(vocab),
        f"next_log_probs(a list of {len(contexts)} contexts)",
    )


@check(
    points=5,
    title={
        "en": "Held-out loss beats the best n-gram by 0.2 nats",
        "zh": "留出损失比最好的 n 元模型低 0.2 奈特",
    },
)
def held_out_loss(ctx):
    model, _ = _fitted(ctx)
    _, vocab, hidden = _data(ctx.hidden_seed)
    contexts, targets = poems.contexts(hidden, vocab)
    lengths = np.array([len(c) for c in contexts])
    picked = np.zeros(len(contexts))
    for length in np.unique(lengths):  # shortest first: nothing is shown before it is predicted
        rows = np.flatnonzero(lengths == length)
        call = f"next_log_probs(the {len(rows)} hidden contexts of length {length})"
        lp = _log_probs(
            model.next_log_probs([contexts[i] for i in rows]), len(rows), len(vocab), call
        )
        picked[rows] = lp[np.arange(len(rows)), targets[rows]]
    loss = float(-picked.mean())
    baseline = _baseline(ctx.hidden_seed)
    bar = baseline - MARGIN
    if not np.isfinite(loss):
        kit.fail_text(
            "Some hidden token gets probability 0 (log-probability -inf): the held-out loss is infinite. Keep a little probability for every token the form allows, □ included (hidden poems contain rare characters).",
            "某个隐藏词元的概率为 0（对数概率为 -inf）：留出损失为无穷大。请给体式允许的每个词元都保留一点概率，包括 □（隐藏的诗里有生僻字）。",
        )
    kit.quality_bar(
        NATS,
        loss,
        bar,
        where=kit.Noun(
            f"the {len(targets)} tokens of the {len(hidden)} hidden quatrains",
            f"{len(hidden)} 首隐藏绝句的 {len(targets)} 个词元上",
        ),
        baselines=[kit.Baseline("the Kneser-Ney trigram", "Kneser-Ney 三元模型", {NATS: baseline})],
        advice=(
            f"The bar is the trigram's loss minus {MARGIN}. A unigram model scores about 6.3, an n-gram told the form about 5.0, the reference GPT about 4.9. Train longer or wider, and check that your predictions use the whole context and its position in the poem.",
            f"要求是三元模型的损失减去 {MARGIN}。一元模型约为 6.3，被告知体式的 n 元模型约为 5.0，参考 GPT 约为 4.9。请训练得更久或更宽，并检查你的预测是否用到了整个上下文及其在诗中的位置。",
        ),
    )


def _written(ctx, model, form, seed):
    call = f"write({form!r}, seed={seed})"
    got = model.write(form, seed)
    if not isinstance(got, str):
        kit.fail_text(f"{call} must return a string.", f"{call} 必须返回字符串。")
    return got


def _describe(poem):
    parts = [len(line) for line in poems.lines(poem)]
    marks = "".join(c for c in poem if not c.isalpha() and c != poems.UNK)
    return parts, marks


@check(
    points=2,
    title={
        "en": "Every written poem has the form asked for",
        "zh": "写出的每首诗都符合所要求的体式",
    },
)
def valid_poems(ctx):
    model, _ = _fitted(ctx)
    for form in poems.FORMS.values():
        for seed in ctx.rng.integers(0, 10_000, size=N_SEEDS):
            poem = _written(ctx, model, form, int(seed))
            if not poems.is_valid(poem, form):
                lengths, marks = _describe(poem)
                unk = (
                    " It contains □: never let the sampler choose the rare-character token."
                    if poems.UNK in poem
                    else ""
                )
                unk_zh = " 诗中含有 □：采样时绝不能选生僻字词元。" if poems.UNK in poem else ""
                kit.fail_text(
                    f"write({form!r}, seed={int(seed)}) returned {poem!r}: lines of {lengths} characters with the marks {marks!r}, not the form {form!r}.{unk} Sample under the form's mask (constrained decoding), so that every poem is valid by construction.",
                    f"write({form!r}, seed={int(seed)}) 返回了 {poem!r}：各行字数为 {lengths}，标点为 {marks!r}，不符合体式 {form!r}。{unk_zh}请在体式的掩码下采样（约束解码），使每首诗在构造上就合乎体式。",
                )


@check(
    points=1,
    title={
        "en": "Seeds: the same seed gives the same poem, different seeds different poems",
        "zh": "种子：相同的种子给出相同的诗，不同的种子给出不同的诗",
    },
)
def seeds(ctx):
    model, _ = _fitted(ctx)
    for form in poems.FORMS.values():
        seeds_ = [int(s) for s in ctx.rng.choice(10_000, size=N_SEEDS, replace=False)]
        written = [_written(ctx, model, form, s) for s in seeds_]
        expect(
            _written(ctx, model, form, seeds_[0]) == written[0],
            {
                "en": f"write({form!r}, seed={seeds_[0]}) gave two different poems: seed the sampler's generator with the seed (torch.Generator().manual_seed(seed) or np.random.default_rng(seed)).",
                "zh": f"write({form!r}, seed={seeds_[0]}) 两次给出了不同的诗：请用 seed 给采样器的随机数生成器设种子（torch.Generator().manual_seed(seed) 或 np.random.default_rng(seed)）。",
            },
        )
        expect(
            len(set(written)) >= N_SEEDS - 1,
            {
                "en": f"write({form!r}, seed) gave only {len(set(written))} different poems for {N_SEEDS} different seeds: sample (temperature around 0.8-1) instead of decoding greedily, and use the seed.",
                "zh": f"对 {N_SEEDS} 个不同的 seed，write({form!r}, seed) 只给出了 {len(set(written))} 首不同的诗：请采样（温度 0.8 到 1 左右），而不是贪心解码，并使用 seed。",
            },
        )


@check(
    points=1,
    title={
        "en": "Written poems are samples of a model of Tang poetry",
        "zh": "写出的诗是唐诗模型的样本",
    },
)
def plausible(ctx):
    model, _ = _fitted(ctx)
    train, vocab, _ = _data(ctx.hidden_seed)
    written = [_written(ctx, model, form, s) for form in poems.FORMS.values() for s in range(3)]
    known = frozenset(vocab)
    if any(c not in known for p in written for c in p):
        kit.fail_text(
            "A written poem contains characters that are not in vocab: write only tokens of the vocabulary.",
            "写出的诗里有不在 vocab 中的字：只能写词表中的词元。",
        )
    nll = poems.bigram_surprise(train, vocab, written)
    if nll > PLAUSIBLE:
        kit.fail_text(
            f"The written poems score {nll:.2f} nats per token under a character bigram of the training poems (real poems about 5.3, random characters about 8.3; the bar is {PLAUSIBLE}): they do not come from a model of the poems. Sample each character from your model's distribution given the poem so far.",
            f"在用训练诗拟合的字符二元模型下，写出的诗为每词元 {nll:.2f} 奈特（真实的诗约 5.3，随机的字约 8.3；要求不超过 {PLAUSIBLE}）：它们不是从诗的模型中采样得到的。请根据已写出的部分，从你的模型的分布中逐字采样。",
        )
