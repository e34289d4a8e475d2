"""Data for the lm/poetry lab: Tang quatrains, their vocabulary, the form rules, a baseline.

The checks of ``exercises/tang-poet`` and ``bench/lm_poetry.py`` import this module (the
lesson folder is on their path); learner code never sees it, and the sandbox never sees
the corpus: the checks hand the training poems to the learner's code as arguments.

- ``quatrains()``: the poems of the corpus whose body is exactly four lines of five or
  seven characters punctuated ``，。，。`` (a 五言绝句 or a 七言绝句 by form), one per
  group of near-copies (poems that share a line), so no held-out poem has a twin in training;
- ``split(seed)``: the held-out poems the lab grades on, drawn with the grader's hidden seed;
- ``build_vocab(poems)``: ``["\\n", "□"]`` (end of poem, rare character) and every character
  seen at least ``MIN_COUNT`` times in the training poems;
- ``is_valid(poem, form)``: the form as a rule;
- ``ngram_loss`` (the baseline the lab must beat) and ``bigram_surprise`` (are written
  poems samples of a model of the poems?).
"""

from __future__ import annotations

import functools
import re
from collections import Counter

import numpy as np

END = "\n"  # ends every poem (and starts the next one in a stream of poems)
UNK = "□"  # stands for every rare character (the corpus itself uses □ for illegible ones)
FORMS = {"wuyan": "5，5。5，5。", "qiyan": "7，7。7，7。"}  # 五言绝句, 七言绝句
MIN_COUNT = 10  # a character seen fewer times in the training poems becomes UNK
N_HIDDEN = 400  # held-out poems the lab grades on
LETTER = r"[^\W\d_]"  # one "letter": every Chinese character, never punctuation or □
QUATRAIN = re.compile(
    rf"(?:{LETTER}{{5}}，{LETTER}{{5}}。){{2}}|(?:{LETTER}{{7}}，{LETTER}{{7}}。){{2}}"
)


def bodies(text: str) -> list[str]:
    """The body of every poem of the corpus text (blocks of title, author, body)."""
    return [block.split("\n")[2] for block in text.strip("\n").split("\n\n")]


def lines(poem: str) -> list[str]:
    """The lines of a poem, without their punctuation."""
    return re.findall(r"[^，。？！；：、]+", poem)


def distinct(poems: list[str]) -> list[str]:
    """One poem per group of poems that share a line (a variant copy, a quotation), the first.

    Groups are the connected components of "shares a whole line with": a poem recorded
    twice with one character changed shares its other lines with its copy.
    """
    parent = list(range(len(poems)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[str, int] = {}
    for i, poem in enumerate(poems):
        for line in lines(poem):
            j = first_with.setdefault(line, i)
            parent[root(i)] = root(j)
    seen: set[int] = set()
    out = []
    for i, poem in enumerate(poems):
        if root(i) not in seen:
            seen.add(root(i))
            out.append(poem)
    return out


@functools.cache
def quatrains() -> tuple[str, ...]:
    """The corpus's quatrains, one per group of near-copies, in corpus order."""
    from lmschool.ml import datasets

    found = [b for b in bodies(datasets.load("tang-poems")) if QUATRAIN.fullmatch(b)]
    return tuple(distinct(found))


def split(seed: int, n_hidden: int = N_HIDDEN) -> tuple[list[str], list[str]]:
    """(training poems, held-out poems): ``n_hidden`` quatrains drawn at random, the rest to train."""
    poems = quatrains()
    order = np.random.default_rng(seed).permutation(len(poems))
    hidden = [poems[i] for i in sorted(order[:n_hidden])]
    train = [poems[i] for i in sorted(order[n_hidden:])]
    return train, hidden


def build_vocab(poems: list[str], min_count: int = MIN_COUNT) -> list[str]:
    """[END, UNK] + the characters seen at least ``min_count`` times, in code-point order."""
    counts = Counter(c for p in poems for c in p)
    return [END, UNK] + sorted(c for c, n in counts.items() if n >= min_count)


def map_rare(poem: str, known: set[str] | frozenset[str]) -> str:
    """The poem with every character outside ``known`` replaced by UNK."""
    return "".join(c if c in known else UNK for c in poem)


def parse_form(form: str) -> list[tuple[int, str]]:
    """'5，5。5，5。' -> [(5, '，'), (5, '。'), (5, '，'), (5, '。')]: line lengths and their marks."""
    parts = re.findall(r"(\d+)(\D)", form)
    if not parts or "".join(n + mark for n, mark in parts) != form:
        raise ValueError(f"form must look like '5，5。5，5。', got {form!r}")
    return [(int(n), mark) for n, mark in parts]


def is_valid(poem: str, form: str) -> bool:
    """True when ``poem`` has exactly the lines of ``form``, each of letters (no □) and its mark."""
    pattern = "".join(f"{LETTER}{{{n}}}{re.escape(mark)}" for n, mark in parse_form(form))
    return re.fullmatch(pattern, poem) is not None and UNK not in poem


def ngram_loss(train: list[str], hidden: list[str], vocab: list[str], order: int) -> float:
    """Held-out loss (nats per token, END included) of an interpolated Kneser-Ney n-gram.

    Poems form one stream, each followed by END, for training and for scoring alike: the
    context of a poem's first character is the END of the poem before it (and, for long
    orders, that poem's last characters, which say next to nothing about this one).
    """
    from lmschool.ml.text import NGramLM

    known = frozenset(vocab)
    stream = END + "".join(map_rare(p, known) + END for p in train)
    lm = NGramLM(order=order, smoothing="kneser-ney", vocabulary=vocab).fit(stream)
    scored = "".join(map_rare(p, known) + END for p in hidden)
    return float(-lm.log_probs(END + scored)[1:].mean())  # the leading END is context only


def bigram_surprise(train: list[str], vocab: list[str], written: list[str]) -> float:
    """Mean nats per token of ``written`` poems (END included) under a Kneser-Ney bigram of ``train``.

    Real held-out poems score about 5.3 and random letters about 8.3: a check that written
    poems come from a model of the poems, whatever that model is.
    """
    from lmschool.ml.text import NGramLM

    stream = END + "".join(p + END for p in train)
    lm = NGramLM(order=2, smoothing="kneser-ney", vocabulary=vocab).fit(stream)
    return float(-lm.log_probs(END + "".join(p + END for p in written))[1:].mean())


def mean_nll(log_probs: np.ndarray, targets: np.ndarray) -> float:
    """Mean of -log_probs[i, targets[i]]: the cross-entropy of next-token predictions, in nats."""
    return float(-log_probs[np.arange(len(targets)), targets].mean())


def contexts(poems: list[str], vocab: list[str]) -> tuple[list[str], np.ndarray]:
    """Every prefix of every poem (after rare characters become UNK) and the token after it."""
    known = frozenset(vocab)
    index = {t: i for i, t in enumerate(vocab)}
    ctx, nxt = [], []
    for p in poems:
        tokens = map_rare(p, known) + END
        for i, t in enumerate(tokens):
            ctx.append(tokens[:i])
            nxt.append(index[t])
    return ctx, np.array(nxt, dtype=np.int64)
