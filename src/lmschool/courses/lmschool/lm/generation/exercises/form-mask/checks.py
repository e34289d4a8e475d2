"""Hidden checks for lm/generation/form-mask: the allowed-next-token mask of a poem's form.

Poems are drawn from a pool of characters for the two quatrain forms and for irregular
forms (other lengths, other marks); every prefix of a poem is a valid input, and broken
texts must raise ValueError. Wrong masks are described token by token.
"""

import re

import numpy as np

from lmschool.grading.checks import check, expect_raises, fail
from lmschool.grading.proxy import LearnerError, RemoteObject

END, UNK = "\n", "□"
POOL = "山水風月花春秋雲日人天江夜雪歸來不見無時何處長相思舟城門柳煙"
MARKS = "，。？！；"
QUATRAINS = ["5，5。5，5。", "7，7。7，7。"]


def _fail(en, zh):
    fail({"en": en, "zh": zh})


def _vocab(rng):
    """END, □, the marks, 「、」, a two-character token and a shuffled pool of letters."""
    tokens = [END, UNK, *MARKS, "、", "月明", *POOL]
    return [tokens[i] for i in rng.permutation(len(tokens))]


def _irregular(rng):
    n_lines = int(rng.integers(2, 5))
    return "".join(f"{int(rng.integers(1, 10))}{rng.choice(list(MARKS))}" for _ in range(n_lines))


def _poem(rng, form):
    lines = [(int(n), m) for n, m in re.findall(r"(\d+)(\D)", form)]
    return "".join("".join(rng.choice(list(POOL), size=n)) + m for n, m in lines)


def _show(tokens):
    """Tokens by name, but a long run of letters as a count with a few examples."""
    letters = [t for t in tokens if len(t) == 1 and t.isalpha()]
    others = [repr(t) for t in tokens if t not in letters]
    if len(letters) > 4:
        others.append(f"{len(letters)} letters ({' '.join(letters[:3])} ...)")
    else:
        others += [repr(t) for t in letters]
    return ", ".join(others) or "nothing"


def _show_zh(tokens):
    letters = [t for t in tokens if len(t) == 1 and t.isalpha()]
    others = [repr(t) for t in tokens if t not in letters]
    if len(letters) > 4:
        others.append(f"{len(letters)} 个字（{' '.join(letters[:3])} ……）")
    else:
        others += [repr(t) for t in letters]
    return "、".join(others) or "无"


def _mask(ctx, text, form, vocab):
    call = f"allowed_next({text!r}, {form!r}, vocab)"
    try:
        got = ctx.learner.allowed_next(text, form, vocab)
    except LearnerError as exc:
        _fail(
            f"{call} raised {exc.type_name}: {exc.message}. This text IS a valid start of a poem of form {form!r}: read the line lengths and marks from the form, line by line.",
            f"{call} 抛出了 {exc.type_name}：{exc.message}。这段文本**是**体式 {form!r} 的诗的合法开头：请从体式中逐行读出字数和标点。",
        )
    if isinstance(got, RemoteObject) or not isinstance(got, (np.ndarray, list, tuple)):
        _fail(
            f"{call} must return a NumPy array of booleans.",
            f"{call} 必须返回由布尔值组成的 NumPy 数组。",
        )
    arr = np.asarray(got)
    if arr.shape != (len(vocab),):
        _fail(
            f"{call} returned shape {arr.shape}; expected ({len(vocab)},): one True/False per token of vocab, in vocab's order.",
            f"{call} 返回的形状为 {arr.shape}；应为 ({len(vocab)},)：按 vocab 的顺序，每个词元一个 True/False。",
        )
    if arr.dtype != np.bool_:
        _fail(
            f"{call} returned dtype {arr.dtype}; return a boolean array (np.array([...], dtype=bool)).",
            f"{call} 返回的 dtype 为 {arr.dtype}；请返回布尔数组（np.array([...], dtype=bool)）。",
        )
    return arr


def _compare(ctx, text, form, vocab):
    got = _mask(ctx, text, form, vocab)
    want = np.asarray(ctx.reference.allowed_next(text, form, vocab))
    if np.array_equal(got, want):
        return
    extra = [t for t, g, w in zip(vocab, got, want, strict=True) if g and not w]
    missing = [t for t, g, w in zip(vocab, got, want, strict=True) if w and not g]
    call = f"allowed_next({text!r}, {form!r}, vocab)"
    why_en, why_zh = "", ""
    if UNK in extra or END in extra:
        why_en = " □ and END are never letters: only one-character tokens with str.isalpha() may fill a line."
        why_zh = " □ 和 END 都不是字：只有单个字符且 str.isalpha() 为真的词元才能填进一行。"
    elif "月明" in extra:
        why_en = " '月明' is a token of two characters: only one-character tokens count as letters."
        why_zh = " '月明' 是由两个字符组成的词元：只有单个字符的词元才算字。"
    _fail(
        f"{call} allows {_show(extra)} that it should not, and forbids {_show(missing)} that it should allow (want {int(want.sum())} allowed tokens, you allow {int(got.sum())}).{why_en}",
        f"{call} 允许了不该允许的 {_show_zh(extra)}，又禁止了应该允许的 {_show_zh(missing)}（应允许 {int(want.sum())} 个词元，你允许了 {int(got.sum())} 个）。{why_zh}",
    )


@check(
    points=1,
    title={"en": "The first token of a poem: letters only", "zh": "诗的第一个词元：只能是字"},
)
def start_of_poem(ctx):
    vocab = _vocab(ctx.rng)
    for form in QUATRAINS:
        _compare(ctx, "", form, vocab)


@check(
    points=3,
    title={
        "en": "Random prefixes of quatrains and of irregular forms",
        "zh": "绝句和不规则体式的随机前缀",
    },
)
def random_prefixes(ctx):
    vocab = _vocab(ctx.rng)
    for form in [*QUATRAINS, _irregular(ctx.rng), _irregular(ctx.rng)]:
        poem = _poem(ctx.rng, form)
        for cut in sorted(ctx.rng.choice(len(poem), size=min(10, len(poem)), replace=False)):
            _compare(ctx, poem[:cut], form, vocab)


@check(
    points=2,
    title={
        "en": "After a full line: only that line's mark",
        "zh": "一行写满之后：只能是该行的标点",
    },
)
def end_of_line(ctx):
    vocab = _vocab(ctx.rng)
    marks = list(ctx.rng.permutation(list(MARKS)))
    forms = [
        "5，5。5，5。",
        "7，7。7，7。",
        f"4{marks[0]}4{marks[0]}4{marks[1]}",
        f"3{marks[2]}6{marks[3]}2{marks[4]}",
    ]
    for form in forms:
        poem = _poem(ctx.rng, form)
        ends = [m.start() for m in re.finditer(f"[{MARKS}]", poem)]
        for e in ends:
            _compare(ctx, poem[:e], form, vocab)  # n letters written: the mark comes next
            _compare(ctx, poem[: e - 1], form, vocab)  # one letter short: still letters


@check(points=1, title={"en": "A complete poem: only END", "zh": "整首诗写完：只能是 END"})
def complete_poem(ctx):
    vocab = _vocab(ctx.rng)
    for form in [*QUATRAINS, _irregular(ctx.rng)]:
        _compare(ctx, _poem(ctx.rng, form), form, vocab)


@check(
    points=2,
    title={
        "en": "Texts that break the form raise ValueError",
        "zh": "不合体式的文本会抛出 ValueError",
    },
)
def broken_texts(ctx):
    vocab = _vocab(ctx.rng)
    form = str(ctx.rng.choice(QUATRAINS))
    n = int(form[0])
    poem = _poem(ctx.rng, form)
    other = "。" if poem[n] == "，" else "，"
    cases = {
        "a mark inside the first line": poem[: n - 2] + "，",
        "the wrong mark after the first line": poem[:n] + other,
        "a first line one letter too long": poem[:n] + "山",
        "a letter after the last mark": poem + "山",
        "□ inside a line": poem[: n + 3] + UNK,
    }
    for what, text in cases.items():
        with expect_raises(f"allowed_next({text!r}, {form!r}, vocab) ({what})", "ValueError"):
            ctx.learner.allowed_next(text, form, vocab)
