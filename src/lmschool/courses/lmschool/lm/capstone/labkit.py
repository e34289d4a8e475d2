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

This file lives in the lesson folder, outside every exercise, so learners never see it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from charngram import KneserNey, bits_per_char, unigram_log_probs

from lmschool.grading.checks import fail
from lmschool.grading.proxy import LearnerError, RemoteObject
from lmschool.ml import datasets, textgen

CHUNK = 500  # contexts per call to log_probs


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


def _esc(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _fail(en: str, zh: str) -> None:
    """Fail with a literal message (messages are str.format templates)."""
    fail({"en": _esc(en), "zh": _esc(zh)})


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

_FITTED: dict[tuple[str, int], object] = {}  # (industry, hidden seed) -> handle or LearnerError


def fitted(ctx, lab: Lab):  # noqa: ANN001, ANN201
    """The learner's model fitted on the training text (cached for the other checks)."""
    key = (lab.industry, ctx.hidden_seed)
    if key not in _FITTED:
        data = lab_data(lab.industry, ctx.hidden_seed)
        model = ctx.learner.LanguageModel()
        try:
            out = model.fit(data.train, data.alphabet)
        except LearnerError as exc:
            _FITTED[key] = exc
            raise
        _FITTED[key] = (model, out)
    got = _FITTED[key]
    if isinstance(got, LearnerError):
        _fail(
            f"LanguageModel().fit(text, alphabet) raised {got.type_name}: {got.message.splitlines()[0] if got.message else ''} (see the first check).",
            f"LanguageModel().fit(text, alphabet) 抛出了 {got.type_name}：{got.message.splitlines()[0] if got.message else ''}（见第一项检查）。",
        )
    return got


def log_probs(model, contexts: list[str], alphabet: str, what: str) -> np.ndarray:  # noqa: ANN001
    """The learner's (N, V) answer, checked for type, shape, finiteness and normalisation."""
    V, N = len(alphabet), len(contexts)
    rows = []
    for k in range(0, N, CHUNK):
        part = contexts[k : k + CHUNK]
        got = model.log_probs(part)
        if isinstance(got, RemoteObject):
            _fail(
                f"log_probs({what}) must return a NumPy array (or torch tensor) of shape (N, {V}), not a {got.type_name}.",
                f"log_probs({what}) 必须返回形状为 (N, {V}) 的 NumPy 数组（或 torch 张量），而不是 {got.type_name}。",
            )
        try:
            arr = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            _fail(
                f"log_probs({what}) must return an array of numbers of shape (N, {V}), got {type(got).__name__}.",
                f"log_probs({what}) 必须返回形状为 (N, {V}) 的数值数组，实际得到 {type(got).__name__}。",
            )
        if arr.shape != (len(part), V):
            hint_en = hint_zh = ""
            if arr.ndim == 2 and arr.shape[0] == len(part) and arr.shape[1] < V:
                hint_en = f" One column per character of alphabet ({V}), also for characters your training text never shows; {arr.shape[1]} columns looks like the characters you saw."
                hint_zh = f" alphabet 中的每个字符（共 {V} 个）各占一列，训练文本中没出现过的字符也要有；{arr.shape[1]} 列看起来只是你见过的字符。"
            elif arr.ndim == 1:
                hint_en = " Return the whole distribution of every row, not one number per context."
                hint_zh = " 每一行都要返回整个分布，而不是每个上下文一个数。"
            _fail(
                f"log_probs({what}) for {len(part)} contexts returned shape {arr.shape}; expected ({len(part)}, {V}).{hint_en}",
                f"对 {len(part)} 个上下文，log_probs({what}) 返回的形状为 {arr.shape}；应为 ({len(part)}, {V})。{hint_zh}",
            )
        if np.isnan(arr).any() or np.isposinf(arr).any():
            r = int(np.flatnonzero(np.isnan(arr).any(axis=1) | np.isposinf(arr).any(axis=1))[0])
            _fail(
                f"log_probs({what}) returned NaN or +inf (first in row {k + r}, context {part[r][-12:]!r}). NaN usually comes from 0 / 0: a context never seen in training, with nothing to fall back on. Smooth, and back off to shorter contexts (down to letter frequencies, or uniform) when a context is unknown.",
                f"log_probs({what}) 返回了 NaN 或 +inf（第一次出现在第 {k + r} 行，上下文 {part[r][-12:]!r}）。NaN 通常来自 0 / 0：训练中从未见过的上下文，又没有可以退回的估计。请做平滑，并在上下文未知时回退到更短的上下文（直到字母频率或均匀分布）。",
            )
        rows.append(arr)
        if k == 0:
            _normalised(arr, what)
    out = np.concatenate(rows)
    _normalised(out, what)
    return out


def _normalised(arr: np.ndarray, what: str) -> None:
    top = arr.max(axis=1, keepdims=True)
    lse = (top + np.log(np.exp(arr - top).sum(axis=1, keepdims=True)))[:, 0]
    bad = np.flatnonzero(np.abs(lse) > 1e-3)
    if len(bad) == 0:
        return
    r = int(bad[0])
    if np.all(arr >= 0) and np.allclose(arr.sum(axis=1), 1.0, atol=1e-3):
        _fail(
            f"log_probs({what}) returned probabilities (row {r} sums to 1): return their natural logarithms, np.log(p).",
            f"log_probs({what}) 返回的是概率（第 {r} 行之和为 1）：请返回它们的自然对数 np.log(p)。",
        )
    base2 = np.log2(np.exp2(arr).sum(axis=1))
    if np.all(np.abs(base2) < 1e-3):
        _fail(
            f"log_probs({what}) returned base-2 logarithms (2 ** row sums to 1): use natural logarithms (np.log, torch.log_softmax).",
            f"log_probs({what}) 返回的是以 2 为底的对数（2 ** 行 之和为 1）：请使用自然对数（np.log、torch.log_softmax）。",
        )
    _fail(
        f"Row {r} of log_probs({what}) is not a log-distribution: log(sum(exp(row))) = {lse[r]:.4g}, not 0. Normalise every row over the whole alphabet, e.g. with log_softmax, or log(counts / counts.sum()).",
        f"log_probs({what}) 的第 {r} 行不是对数分布：log(sum(exp(row))) = {lse[r]:.4g}，而不是 0。请在整个字母表上对每一行归一化，例如用 log_softmax，或 log(counts / counts.sum())。",
    )


# --- the checks -----------------------------------------------------------------------


def fit_returns_self(ctx, lab: Lab) -> None:  # noqa: ANN001
    model, out = fitted(ctx, lab)
    if not (isinstance(out, RemoteObject) and out == model):
        _fail(
            "fit(text, alphabet) must return self, so that LanguageModel().fit(text, alphabet).log_probs(contexts) works.",
            "fit(text, alphabet) 必须返回 self，这样 LanguageModel().fit(text, alphabet).log_probs(contexts) 才能工作。",
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
    batch = log_probs(model, contexts, data.alphabet, "40 contexts")
    for r in (0, 17, 39):
        alone = log_probs(model, [contexts[r]], data.alphabet, "one context")[0]
        gap = float(np.abs(np.exp(alone) - np.exp(batch[r])).max())
        if gap > 1e-3:
            _fail(
                f"The distribution for one context changes with the other contexts passed with it (by up to {gap:.3g} in probability). Each row must depend on its own context only: no statistics of the batch, no state kept between rows.",
                f"同一个上下文的分布会随同一批中的其他上下文而改变（概率最多相差 {gap:.3g}）。每一行只能依赖它自己的上下文：不能用整批的统计量，也不能在行与行之间保留状态。",
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
        _fail(
            f"Your model gave probability 0 to the character that came next at {k} of the {n} hidden positions (e.g. {c!r}): one such position makes the loss infinite. Smooth: keep some probability for every character of the alphabet in every context.",
            f"在 {n} 个隐藏位置中，有 {k} 处你的模型给真实的下一个字符（例如 {c!r}）的概率为 0：只要有一处，损失就是无穷大。请做平滑：在任何上下文中都给字母表中的每个字符留一点概率。",
        )
    bpc = float(-on_target.mean() / np.log(2))
    if lab.floor and bpc < lab.floor:
        _fail(
            f"Your model scores {bpc:.3f} bits per character on text it has never seen, below {lab.floor}: no model trained on the given text within this budget comes close (the best we know of reach about 2.3). The hidden text has most likely leaked into your model (for example tiny Shakespeare pasted into your file): this is the contamination the lesson warns about, and it does not count.",
            f"你的模型在从未见过的文本上得到每字符 {bpc:.3f} 比特，低于 {lab.floor}：在这个预算内，只用给定文本训练的模型都到不了这里（我们所知最好的约为 2.3）。隐藏文本很可能泄露进了你的模型（例如把 tiny Shakespeare 贴进了文件）：这正是课文警告的数据污染，不能算数。",
        )
    if bpc <= lab.bar:
        return
    base = _baselines(lab.industry, ctx.hidden_seed)
    en = (
        f"On {n} hidden characters your model scores {bpc:.3f} bits per character; the bar is {lab.bar:.2f}."
        f" On the same characters: uniform {np.log2(V):.2f}, letter frequencies (unigram) {base['unigram']:.2f},"
        f" a Kneser-Ney trigram {base['trigram']:.2f}, the grader's Kneser-Ney {base['order']}-gram {base['best']:.2f}."
    )
    zh = (
        f"在 {n} 个隐藏字符上，你的模型得到每字符 {bpc:.3f} 比特；要求不超过 {lab.bar:.2f}。"
        f"同样这些字符上：均匀分布 {np.log2(V):.2f}，字母频率（一元模型）{base['unigram']:.2f}，"
        f"Kneser-Ney 三元模型 {base['trigram']:.2f}，评分程序自己的 Kneser-Ney {base['order']} 元模型 {base['best']:.2f}。"
    )
    if np.allclose(lp, lp[:1], atol=1e-6):
        en += " Every context gets the same distribution: your model ignores the context. Predict from the characters before each position."
        zh += " 每个上下文得到的分布都一样：你的模型忽略了上下文。请根据每个位置之前的字符来预测。"
    elif bpc > base["unigram"] - 0.05:
        en += " That is no better than letter frequencies: check that fit learns from `text` (not from `alphabet`) and that log_probs reads the END of each context (the characters just before the position)."
        zh += " 这并不比字母频率好：请检查 fit 是从 `text`（而不是 `alphabet`）中学习的，并且 log_probs 读取的是每个上下文的末尾（紧挨着该位置之前的字符）。"
    else:
        en += " Use a longer context (a higher-order n-gram with interpolated smoothing, or a small GPT trained for most of your budget), tune it on a validation part of the training text, or mix two models."
        zh += " 请使用更长的上下文（带插值平滑的高阶 n 元模型，或者用大部分预算训练的小型 GPT），在训练文本中留出一部分做验证来调参，或者把两个模型混合起来。"
    _fail(en, zh)


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
