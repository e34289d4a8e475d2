"""Grading shared by the five capstone labs (each lab's checks.py imports it).

A lab asks for a character-level interface, whatever the model does inside:

    model = LanguageModel().fit(text, alphabet)     # in the sandbox, on the training text
    model.log_probs(contexts) -> (N, V)             # ln P(next character | context) per row

and the bits per character are computed here, on the trusted side, from the row entry of
the character that really came next. Why this interface:

- **comparable across tokenizers**: characters are the one unit every model can be
  scored on; a BPE model has to turn its next-token distribution into a next-character
  one, a character model answers directly, and bits per character do not depend on
  how a model cuts text internally (bits per token do);
- **never self-reported**: the model never sees the targets and never reports a loss;
  each row must be a distribution over the whole alphabet (checked: log-sum-exp 0),
  so putting all the mass on one guess costs what it should;
- **no peeking**: scored positions are spaced ``context + 1`` characters apart in the
  hidden text, so no context contains the character another row is scored on.

The hidden data comes from ``ctx.hidden_seed`` (the grader's secret), never from the
learner's visible seed: for an industry, the source's parametrisation
(``textgen.make_style``: people, places, kinds of document, lexicon, conventions), the
training text and the hidden text; for the general lab, which window of tiny
Shakespeare is held out (the rest is the training text). The model is fitted once per
grading and shared by the checks. Bars and the reference's spread over seeds come from
bench/lm_capstone.py (bench/results/lm-capstone.md); tests/test_lm_capstone.py replays
the grading of the reference on a few seeds.

The mechanics every lab shares (the model fitted once per grading, refusing answers that
are not log-distributions, rows independent of the batch, the bar with its baselines,
bilingual messages) come from the checks API's lab kit (lmschool.grading.labkit); this
file holds what is particular to these five labs: the data, the bars, the n-gram
baselines and the advice. It lives in the lesson folder, outside every exercise, so
learners never see it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from charngram import KneserNey, bits_per_char, unigram_log_probs

from lmschool.grading import labkit as kit
from lmschool.ml import datasets, textgen

CHUNK = 500  # contexts per call to log_probs
BPC = kit.Metric("bits per character", "每字符比特数", higher_is_better=False)


@dataclass(frozen=True)
class Lab:
    industry: str  # "general" grades on tiny Shakespeare, the others on textgen
    context: int  # characters of context before each scored position
    n_positions: int  # scored characters of hidden text
    bar: float  # bits per character to reach (at most)
    train_chars: int = 400_000  # industries: characters of training text
    floor: float = 0.0  # below this the text must have leaked into the model


LABS = {
    "general": Lab("general", context=64, n_positions=2000, bar=2.50, floor=1.5),
    "education": Lab("education", context=128, n_positions=3000, bar=0.40),
    "medicine": Lab("medicine", context=128, n_positions=3000, bar=0.45),
    "finance": Lab("finance", context=128, n_positions=3000, bar=0.90),
    "logistics": Lab("logistics", context=128, n_positions=3000, bar=0.75),
}


@dataclass(frozen=True)
class LabData:
    train: str  # what fit receives
    alphabet: str  # the columns of log_probs, in this order
    contexts: list[str]  # hidden contexts, one per scored position
    targets: np.ndarray  # index in alphabet of the character after each context


@functools.lru_cache(maxsize=2)
def _shakespeare() -> str:
    return datasets.load("tinyshakespeare")


@functools.lru_cache(maxsize=4)
def lab_data(industry: str, seed: int) -> LabData:
    """The training text and the hidden positions of one grading (``seed``: the hidden seed)."""
    lab = LABS[industry]
    K, n = lab.context, lab.n_positions
    size = n * (K + 1)  # position j sits at K + j (K + 1): contexts never hold another target
    rng = np.random.default_rng(np.random.SeedSequence([seed & (2**63 - 1), 7]))
    if industry == "general":
        text = _shakespeare()
        alphabet = "".join(sorted(set(text)))
        start = int(rng.integers(0, len(text) - size))
        hidden = text[start : start + size]
        train = text[:start] + text[start + size :]
    else:
        style_seed, train_seed, hidden_seed = (int(s) for s in rng.integers(0, 2**31, size=3))
        style = textgen.make_style(industry, style_seed)
        alphabet = textgen.ALPHABET
        train = textgen.generate(industry, lab.train_chars, seed=train_seed, style=style)
        hidden = textgen.generate(industry, size, seed=hidden_seed, style=style)
    positions = K + (K + 1) * np.arange(n)
    index = {c: i for i, c in enumerate(alphabet)}
    return LabData(
        train=train,
        alphabet=alphabet,
        contexts=[hidden[p - K : p] for p in positions],
        targets=np.array([index[hidden[p]] for p in positions]),
    )


# --- the learner's model, fitted once per grading ---------------------------------------


def fitted(ctx, lab: Lab):  # noqa: ANN001, ANN201
    """(model, what fit returned): the learner's model fitted on the training text, once."""

    def fit():  # noqa: ANN202
        data = lab_data(lab.industry, ctx.hidden_seed)
        model = ctx.learner.LanguageModel()
        return model, model.fit(data.train, data.alphabet)

    return kit.fitted_once(
        ctx, (lab.industry, ctx.hidden_seed), fit, "LanguageModel().fit(text, alphabet)"
    )


NAN_HINT = (
    "NaN usually comes from 0 / 0: a context never seen in training, with nothing to fall back on. Smooth, and back off to shorter contexts (down to letter frequencies, or uniform) when a context is unknown.",
    "NaN 通常来自 0 / 0：训练中从未见过的上下文，又没有可以退回的估计。请做平滑，并在上下文未知时回退到更短的上下文（直到字母频率或均匀分布）。",
)


def log_probs(model, contexts: list[str], alphabet: str, what: str) -> np.ndarray:  # noqa: ANN001
    """The learner's (N, V) answer, asked CHUNK contexts at a time, each chunk checked."""
    rows = []
    for k in range(0, len(contexts), CHUNK):
        part = contexts[k : k + CHUNK]
        rows.append(
            kit.expect_log_distributions(
                model.log_probs(part),
                len(part),
                len(alphabet),
                f"log_probs({what})"
                + (f" (contexts {k} to {k + len(part) - 1})" if len(contexts) > CHUNK else ""),
                symbols=("character of alphabet", "alphabet 中的字符"),
                nan_hint=NAN_HINT,
            )
        )
    return np.concatenate(rows)


# --- the checks -----------------------------------------------------------------------


def fit_returns_self(ctx, lab: Lab) -> None:  # noqa: ANN001
    model, out = fitted(ctx, lab)
    kit.expect_returns_self(
        model,
        out,
        "fit(text, alphabet)",
        "LanguageModel().fit(text, alphabet).log_probs(contexts)",
    )


def normalised(ctx, lab: Lab) -> None:  # noqa: ANN001
    """Rows are log-distributions over the alphabet, also for short and empty contexts."""
    model, _ = fitted(ctx, lab)
    data = lab_data(lab.industry, ctx.hidden_seed)
    picks = ctx.rng.choice(len(data.contexts), size=20, replace=False)
    contexts = [data.contexts[int(i)] for i in picks]
    contexts += ["", contexts[0][-1:], contexts[1][-5:]]  # the start of a text, and short ones
    log_probs(model, contexts, data.alphabet, "contexts, some of 0, 1 and 5 characters")


def rows_independent(ctx, lab: Lab) -> None:  # noqa: ANN001
    """A context's distribution does not depend on the other contexts of the call."""
    model, _ = fitted(ctx, lab)
    data = lab_data(lab.industry, ctx.hidden_seed)
    picks = ctx.rng.choice(len(data.contexts), size=40, replace=False)
    contexts = [data.contexts[int(i)] for i in picks]
    kit.expect_rows_independent(
        lambda part: np.exp(log_probs(model, list(part), data.alphabet, f"{len(part)} contexts")),
        contexts,
        (0, 17, 39),
        unit=kit.Noun("context", "个上下文"),
        tolerance=1e-3,
        advice=(
            "Each row must depend on its own context only: no statistics of the batch, no state kept between rows.",
            "每一行只能依赖它自己的上下文：不能用整批的统计量，也不能在行与行之间保留状态。",
        ),
    )


def hidden_quality(ctx, lab: Lab) -> None:  # noqa: ANN001
    """Bits per character on the hidden positions, against the bar."""
    model, _ = fitted(ctx, lab)
    data = lab_data(lab.industry, ctx.hidden_seed)
    lp = log_probs(model, data.contexts, data.alphabet, f"{len(data.contexts)} hidden contexts")
    on_target = lp[np.arange(len(data.targets)), data.targets]
    n, V = len(data.targets), len(data.alphabet)
    if np.isneginf(on_target).any():
        k = int(np.isneginf(on_target).sum())
        c = data.alphabet[int(data.targets[np.flatnonzero(np.isneginf(on_target))[0]])]
        kit.fail_text(
            f"Your model gave probability 0 to the character that came next at {k} of the {n} hidden positions (e.g. {c!r}): one such position makes the loss infinite. Smooth: keep some probability for every character of the alphabet in every context.",
            f"在 {n} 个隐藏位置中，有 {k} 处你的模型给真实的下一个字符（例如 {c!r}）的概率为 0：只要有一处，损失就是无穷大。请做平滑：在任何上下文中都给字母表中的每个字符留一点概率。",
        )
    bpc = float(-on_target.mean() / np.log(2))
    if lab.floor and bpc < lab.floor:
        kit.fail_text(
            f"Your model scores {bpc:.3f} bits per character on text it has never seen, below {lab.floor}: no model trained on the given text within this budget comes close (the best we know of reach about 2.3). The hidden text has most likely leaked into your model (for example tiny Shakespeare pasted into your file): this is the contamination the lesson warns about, and it does not count.",
            f"你的模型在从未见过的文本上得到每字符 {bpc:.3f} 比特，低于 {lab.floor}：在这个预算内，只用给定文本训练的模型都到不了这里（我们所知最好的约为 2.3）。隐藏文本很可能泄露进了你的模型（例如把 tiny Shakespeare 贴进了文件）：这正是课文警告的数据污染，不能算数。",
        )

    def baselines() -> list[kit.Baseline]:
        base = _baselines(lab.industry, ctx.hidden_seed)
        return [
            kit.Baseline("uniform", "均匀分布", {BPC: float(np.log2(V))}),
            kit.Baseline(
                "letter frequencies (unigram)", "字母频率（一元模型）", {BPC: base["unigram"]}
            ),
            kit.Baseline("a Kneser-Ney trigram", "Kneser-Ney 三元模型", {BPC: base["trigram"]}),
            kit.Baseline(
                f"the grader's Kneser-Ney {base['order']}-gram",
                f"评分程序自己的 Kneser-Ney {base['order']} 元模型",
                {BPC: base["best"]},
            ),
        ]

    def advice() -> tuple[str, str]:
        if np.allclose(lp, lp[:1], atol=1e-6):
            return (
                "Every context gets the same distribution: your model ignores the context. Predict from the characters before each position.",
                "每个上下文得到的分布都一样：你的模型忽略了上下文。请根据每个位置之前的字符来预测。",
            )
        if bpc > _baselines(lab.industry, ctx.hidden_seed)["unigram"] - 0.05:
            return (
                "That is no better than letter frequencies: check that fit learns from `text` (not from `alphabet`) and that log_probs reads the END of each context (the characters just before the position).",
                "这并不比字母频率好：请检查 fit 是从 `text`（而不是 `alphabet`）中学习的，并且 log_probs 读取的是每个上下文的末尾（紧挨着该位置之前的字符）。",
            )
        return (
            "Use a longer context (a higher-order n-gram with interpolated smoothing, or a small GPT trained for most of your budget), tune it on a validation part of the training text, or mix two models.",
            "请使用更长的上下文（带插值平滑的高阶 n 元模型，或者用大部分预算训练的小型 GPT），在训练文本中留出一部分做验证来调参，或者把两个模型混合起来。",
        )

    kit.quality_bar(
        BPC,
        bpc,
        lab.bar,
        where=kit.Noun(f"{n} hidden characters", f"{n} 个隐藏字符上"),
        baselines=baselines,
        advice=advice,
    )


@functools.lru_cache(maxsize=4)
def _baselines(industry: str, seed: int) -> dict[str, float]:
    """Bits per character of the unigram, a trigram and the better of two higher orders."""
    data = lab_data(industry, seed)
    uni = bits_per_char(
        unigram_log_probs(data.train, data.alphabet, 1)[[0] * len(data.targets)], data.targets
    )
    tri = KneserNey(3).fit(data.train, data.alphabet)
    out = {"unigram": uni, "trigram": bits_per_char(tri.log_probs(data.contexts), data.targets)}
    best, order = np.inf, 0
    for k in (5, 7) if industry == "general" else (6, 8):
        b = bits_per_char(
            KneserNey(k).fit(data.train, data.alphabet).log_probs(data.contexts), data.targets
        )
        if b < best:
            best, order = b, k
    out.update(best=best, order=order)
    return out
