"""Hidden checks for deep/rnn/name-generator: per-character NLL of hidden names.

The names come from ../../seqdata.py (the lesson folder, which no learner sees).
"""

import functools
import itertools
import sys
from pathlib import Path

import numpy as np

from lmschool.grading import labkit as kit
from lmschool.grading.checks import check, expect
from lmschool.grading.proxy import RemoteObject

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import seqdata  # noqa: E402

N_TRAIN, N_TEST, BAR = 3000, 1000, 1.95
NLL = kit.Metric("mean NLL in nats per character", "平均负对数似然（每字符奈特数）", False)


def _log_probs(got, n):
    """One log-probability per name: numbers <= 0 (or -inf), shape (n,)."""
    arr = kit.values(
        got, (n,), f"log_prob(names) for {n} names", what=("numbers", "数"), finite=False
    )
    if np.any(np.isnan(arr)) or np.any(arr > 1e-9):
        kit.fail_text(
            "log_prob returned NaN or a positive number: a log-probability is at most 0.",
            "log_prob 返回了 NaN 或正数：对数概率不会大于 0。",
        )
    return arr


@functools.lru_cache(maxsize=4)
def _draw(seed):
    names = seqdata.make_names(seed, N_TRAIN + N_TEST)
    return names[:N_TRAIN], names[N_TRAIN:]


def _names(ctx):
    return _draw(ctx.hidden_seed)


def _fitted(ctx, train):
    return kit.fit_model(ctx.learner.NameModel(), train, call="fit(names)")


@check(
    points=4,
    title={
        "en": "Per-character NLL of hidden names is below the bar",
        "zh": "隐藏名字上每字符负对数似然低于要求",
    },
)
def hidden_nll(ctx):
    train, test = _names(ctx)
    model = _fitted(ctx, train)
    lp = _log_probs(model.log_prob(test), len(test))
    n_symbols = sum(len(w) + 1 for w in test)  # letters plus one end token per name
    nll = float(-lp.sum() / n_symbols)
    if not np.isfinite(nll):
        kit.fail_text(
            "Some hidden name gets probability 0 (log_prob = -inf): smooth your counts so that every letter of the alphabet and the end token keep some probability in every context.",
            "某个隐藏名字的概率为 0（log_prob = -inf）：请对计数做平滑，使字母表中每个字母和结束符在任何上下文中都保留一些概率。",
        )
    bits_en = bits_zh = ""
    if nll * np.log(2.0) <= BAR:  # the numbers would pass if they were bits
        bits_en = f" If your log_prob uses log2 (bits), the bar is in nats: with np.log your score would be {nll * np.log(2.0):.3f}."
        bits_zh = f" 如果你的 log_prob 用的是 log2（比特），要求是以奈特计的：改用 np.log 后你的分数将是 {nll * np.log(2.0):.3f}。"
    kit.quality_bar(
        NLL,
        nll,
        BAR,
        where=kit.Noun(
            f"the {len(test)} hidden names (end tokens included)",
            f"{len(test)} 个隐藏名字上（含结束符）",
        ),
        advice=(
            "A bigram model scores about 2.1, a smoothed trigram about 1.83, a small GRU about 1.5. Use a longer context (two previous letters or a GRU), natural logs, and smoothing tuned on held-out names."
            + bits_en,
            "二元模型约为 2.1，平滑的三元模型约为 1.83，小型 GRU 约为 1.5。请用更长的上下文（前两个字母或 GRU）、自然对数，并在留出的名字上调节平滑。"
            + bits_zh,
        ),
    )


@check(
    points=2,
    title={
        "en": "Probabilities of short names add up to at most 1",
        "zh": "短名字的概率之和不超过 1",
    },
)
def normalised(ctx):
    train, _ = _names(ctx)
    model = _fitted(ctx, train)
    alphabet = sorted(set("".join(train)))
    short = list(alphabet) + ["".join(p) for p in itertools.product(alphabet, repeat=2)]
    lp = _log_probs(model.log_prob(short), len(short))
    one = float(np.exp(lp[: len(alphabet)]).sum())
    total = float(np.exp(lp).sum())
    if total > 1.0 + 1e-6:
        if total > 1.5:
            kit.fail_text(
                f"The names of one letter have total probability {one:.3f}, and those of one or two letters {total:.3f}, far above 1: log_prob leaves out the end-of-name token. Add log P(end | name) to every name, or the model describes prefixes, not names.",
                f"仅一个字母的名字的概率之和就有 {one:.3f}，一到两个字母的名字为 {total:.3f}：log_prob 漏掉了名字结束符。请给每个名字加上 log P(结束 | 名字)，否则模型描述的是前缀而不是名字。",
            )
        kit.fail_text(
            f"The {len(short)} names of one or two letters have total probability {total:.3f} > 1: your probabilities are not normalised. At every position, P(next symbol | context) over all letters and the end token must sum to 1.",
            f"{len(short)} 个一到两个字母的名字概率之和为 {total:.3f} > 1：你的概率没有归一化。在每个位置上，P(下一个符号 | 上下文) 对所有字母和结束符求和必须为 1。",
        )


@check(
    points=1,
    title={
        "en": "sample returns names over the training alphabet",
        "zh": "sample 返回由训练字母表组成的名字",
    },
)
def samples(ctx):
    train, _ = _names(ctx)
    model = _fitted(ctx, train)
    seed = int(ctx.rng.integers(0, 1000))
    got = model.sample(20, seed)
    if isinstance(got, RemoteObject) or not isinstance(got, (list, tuple)) or len(got) != 20:
        kit.fail_text(
            "sample(20, seed) must return a list of 20 strings.",
            "sample(20, seed) 必须返回由 20 个字符串组成的列表。",
        )
    if not all(isinstance(s, str) for s in got):
        kit.fail_text(
            "sample must return strings (join the letters with ''.join(...)), not lists or arrays.",
            "sample 必须返回字符串（用 ''.join(...) 把字母连起来），而不是列表或数组。",
        )
    alphabet = set("".join(train))
    bad = sorted({c for s in got for c in s} - alphabet)
    if bad:
        kit.fail_text(
            f"Samples contain symbols {bad} that never occur in the training names (start or end markers?). Stop at the end token and do not include it.",
            f"样本中含有训练名字中从未出现的符号 {bad}（开始或结束标记？）。遇到结束符就停止，并且不要把它放进名字。",
        )
    expect(
        sum(1 for s in got if s) >= 15,
        {
            "en": "Most samples are empty strings: the model ends names at once.",
            "zh": "大多数样本是空字符串：模型立刻就结束了名字。",
        },
    )
    again = model.sample(20, seed)
    expect(
        list(again) == list(got),
        {
            "en": "sample(n, seed) must give the same names for the same seed.",
            "zh": "相同的 seed 下 sample(n, seed) 必须给出相同的名字。",
        },
    )


@check(points=1, title={"en": "fit returns self", "zh": "fit 返回 self"})
def fit_returns_self(ctx):
    train, _ = _names(ctx)
    model = ctx.learner.NameModel()
    kit.fit_model(model, train[:500], call="fit(names)", returns_self=True)
