"""Hidden checks for lm/tokens/bpe: merges, tie rule, runs, stopping, encode order, round trip.

Corpora come from corpora.py beside this file (public-domain lines, no data set needed),
drawn with the learner's seed. When merges differ, the check replays the reference up to
the first difference and says why the pair chosen was not the right one (a tie broken
the other way, overlapping pairs not counted, code points instead of bytes, ...).
"""

import corpora

from lmschool.grading.checks import check, expect_equal, fail
from lmschool.grading.proxy import LearnerError, RemoteObject


def _fail(en: str, zh: str) -> None:
    fail({"en": en, "zh": zh})


def _show(pair, vocab) -> str:
    a, b = pair
    if a not in vocab or b not in vocab:
        return f"({a}, {b})"
    return f"({a}, {b}) = {vocab[a]!r} + {vocab[b]!r}"


def _vocab(merges) -> dict[int, bytes]:
    vocab = {i: bytes([i]) for i in range(256)}
    for i, (a, b) in enumerate(merges):
        if a in vocab and b in vocab:
            vocab[256 + i] = vocab[a] + vocab[b]
    return vocab


def _as_merges(got, name: str) -> list[tuple[int, int]]:
    if isinstance(got, RemoteObject) or not isinstance(got, (list, tuple)):
        _fail(
            f"{name} must return a list of pairs (a, b), not {getattr(got, 'type_name', type(got).__name__)}.",
            f"{name} 必须返回由编号对 (a, b) 组成的列表，而不是 {getattr(got, 'type_name', type(got).__name__)}。",
        )
    out = []
    for m in got:
        if (
            not isinstance(m, (list, tuple))
            or len(m) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in m)
        ):
            _fail(
                f"every merge must be a pair of two int ids (a, b); got {m!r}.",
                f"每条合并规则都必须是由两个 int 编号组成的对 (a, b)；你给出的是 {m!r}。",
            )
        out.append((int(m[0]), int(m[1])))
    return out


def _as_ids(got, name: str) -> list[int]:
    if isinstance(got, RemoteObject) or not isinstance(got, (list, tuple)):
        _fail(
            f"{name} must return a list of int ids.",
            f"{name} 必须返回由 int 编号组成的列表。",
        )
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in got):
        _fail(
            f"{name} must return a list of int ids; it holds {sorted({type(x).__name__ for x in got})}.",
            f"{name} 必须返回由 int 编号组成的列表；你的列表里有 {sorted({type(x).__name__ for x in got})}。",
        )
    return [int(x) for x in got]


def _stats(ids):
    counts = {}
    for pair in zip(ids, ids[1:], strict=False):
        counts[pair] = counts.get(pair, 0) + 1
    return counts


def _first_seen(ids, pairs):
    for pair in zip(ids, ids[1:], strict=False):
        if pair in pairs:
            return pair
    return None


def _diagnose(ctx, text, vocab_size, got, want):
    """Fail with the reason for the first merge that differs from the reference."""
    bad = next((i for i, (a, b) in enumerate(got) if max(a, b) >= 256 + i), None)
    if bad is not None:
        _fail(
            f"Merge {bad} uses an id that does not exist yet ({_show(got[bad], {})}). Start from the bytes, list(text.encode('utf-8')) (ids 0-255), not from code points (ord('月') is 26376), and give merge i the id 256 + i.",
            f"第 {bad} 次合并用到了一个还不存在的编号（{_show(got[bad], {})}）。应从字节 list(text.encode('utf-8'))（编号 0-255）出发，而不是从码位出发（ord('月') 是 26376），并让第 i 次合并得到编号 256 + i。",
        )
    ids = list(text.encode("utf-8"))
    for i, pair in enumerate(want):
        if i >= len(got):
            break
        if got[i] != pair:
            vocab = _vocab(want[:i])
            stats = _stats(ids)
            mine, right = got[i], pair
            c_mine, c_right = stats.get(mine, 0), stats[right]
            where = f"Merge {i} (new id {256 + i})"
            where_zh = f"第 {i} 次合并（新编号 {256 + i}）"
            if c_mine == c_right:
                tied = {p for p, c in stats.items() if c == c_right}
                first = _first_seen(ids, tied)
                how = (
                    " Your code kept the tied pair it met first in the text (max(stats, key=stats.get) does that)."
                    if mine == first
                    else (" Your code took the largest tied pair." if mine == max(tied) else "")
                )
                how_zh = (
                    " 你的代码在并列时保留了文本中最先遇到的那一对（max(stats, key=stats.get) 就是这样）。"
                    if mine == first
                    else (" 你的代码取了并列中最大的那一对。" if mine == max(tied) else "")
                )
                _fail(
                    f"{where}: you chose {_show(mine, vocab)}, the reference {_show(right, vocab)}; both occur {c_right} times, a tie. Ties go to the SMALLEST pair (compare a, then b).{how}",
                    f"{where_zh}：你选了 {_show(mine, vocab)}，参考答案是 {_show(right, vocab)}；两者都出现 {c_right} 次，是并列。并列时取最小的一对（先比较 a，再比较 b）。{how_zh}",
                )
            if c_mine == 0:
                _fail(
                    f"{where}: you chose {_show(mine, vocab)}, which does not occur in the text at that point; the reference merges {_show(right, vocab)} ({c_right} times). Apply each merge to the ids before counting the next one, and count pairs of the current ids.",
                    f"{where_zh}：你选了 {_show(mine, vocab)}，而此时文本中根本没有这一对；参考答案合并的是 {_show(right, vocab)}（{c_right} 次）。每次合并后都要先更新编号序列，再统计下一轮的对。",
                )
            if mine[0] == mine[1] or right[0] == right[1]:
                _fail(
                    f"{where}: you chose {_show(mine, vocab)} ({c_mine} times counting overlaps), the reference {_show(right, vocab)} ({c_right} times). Count every adjacent pair, overlapping ones too ('a a a' holds (a, a) twice), and merge left to right ('a a a' -> 'X a').",
                    f"{where_zh}：你选了 {_show(mine, vocab)}（计入重叠时出现 {c_mine} 次），参考答案是 {_show(right, vocab)}（{c_right} 次）。所有相邻的对都要计数，重叠的也算（'a a a' 中 (a, a) 出现两次），合并时从左到右（'a a a' -> 'X a'）。",
                )
            _fail(
                f"{where}: you chose {_show(mine, vocab)}, which occurs {c_mine} times; {_show(right, vocab)} occurs {c_right} times. Count every adjacent pair of the current ids (zip(ids, ids[1:])), overlaps included, and take the most frequent.",
                f"{where_zh}：你选了 {_show(mine, vocab)}，它出现 {c_mine} 次；而 {_show(right, vocab)} 出现 {c_right} 次。请统计当前编号序列中所有相邻的对（zip(ids, ids[1:])），包括重叠的对，并取出现最多的一对。",
            )
        ids = ctx.reference.merge(ids, pair, 256 + i)
    if len(got) != len(want):
        _fail(
            f"train_bpe(text, vocab_size={vocab_size}) returned {len(got)} merges; it must return {len(want)} (vocab_size - 256 = {vocab_size - 256}, or fewer only when fewer than two ids are left).",
            f"train_bpe(text, vocab_size={vocab_size}) 返回了 {len(got)} 条合并；应为 {len(want)} 条（vocab_size - 256 = {vocab_size - 256}，只有剩下的编号不足两个时才能更少）。",
        )


def _compare_training(ctx, text, vocab_size):
    got = _as_merges(ctx.learner.train_bpe(text, vocab_size), "train_bpe(text, vocab_size)")
    want = ctx.reference.train_bpe(text, vocab_size)
    if got != want:
        _diagnose(ctx, text, vocab_size, got, want)
    expect_equal(f"train_bpe(text, {vocab_size})", got, want)


@check(points=2, title={"en": "Merges on English text", "zh": "英文文本上的合并规则"})
def english_merges(ctx):
    text = corpora.english(ctx.rng, 30)
    _compare_training(ctx, text, 256 + int(ctx.rng.integers(40, 60)))


@check(
    points=2,
    title={
        "en": "Merges on Chinese text (3 bytes a character)",
        "zh": "中文文本上的合并规则（每字 3 字节）",
    },
)
def chinese_merges(ctx):
    text = corpora.chinese(ctx.rng, 8)
    _compare_training(ctx, text, 256 + int(ctx.rng.integers(40, 60)))


def _tie_text(rng):
    """Four two-letter words, 3 times each, each followed by a separator used only once."""
    letters = [chr(c) for c in rng.permutation(range(ord("a"), ord("z") + 1))[:8]]
    words = [letters[2 * i] + letters[2 * i + 1] for i in range(4)]
    smallest = min(words, key=lambda w: (ord(w[0]), ord(w[1])))
    seps = list("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    while True:
        order = [w for w in words for _ in range(3)]
        order = [order[i] for i in rng.permutation(len(order))]
        if order[0] != smallest and order[-1] != smallest:
            break
    picked = rng.permutation(seps)[: len(order)]
    return "".join(w + s for w, s in zip(order, picked, strict=True))


@check(
    points=2,
    title={"en": "Ties go to the smallest pair", "zh": "并列时取最小的一对"},
)
def ties(ctx):
    text = _tie_text(ctx.rng)
    _compare_training(ctx, text, 258)


@check(
    points=1,
    title={
        "en": "Runs of one character: overlapping pairs, merged left to right",
        "zh": "同一字符连续重复：重叠的对，从左到右合并",
    },
)
def runs(ctx):
    rng = ctx.rng
    parts = []
    for _ in range(12):
        c = str(rng.choice(list("abo")))
        parts.append(c * int(rng.integers(2, 8)) + str(rng.choice(list(" .,!\n"))))
    text = "".join(parts)
    _compare_training(ctx, text, 256 + 8)
    got = _as_ids(ctx.learner.encode("aaaaa", [(97, 97)]), "encode('aaaaa', [(97, 97)])")
    expect_equal("encode('aaaaa', [(97, 97)]) (left to right: X X a)", got, [256, 256, 97])


@check(
    points=1,
    title={"en": "vocab_size and the stopping rule", "zh": "vocab_size 与停止条件"},
)
def stopping(ctx):
    text = corpora.english(ctx.rng, 10)
    size = 256 + int(ctx.rng.integers(5, 15))
    got = _as_merges(ctx.learner.train_bpe(text, size), f"train_bpe(text, {size})")
    if len(got) != size - 256:
        _fail(
            f"train_bpe(text, vocab_size={size}) returned {len(got)} merges; a vocabulary of {size} ids is the 256 bytes plus {size - 256} merges.",
            f"train_bpe(text, vocab_size={size}) 返回了 {len(got)} 条合并；{size} 个编号的词表 = 256 个字节 + {size - 256} 条合并。",
        )
    expect_equal(
        "train_bpe(text, 256)",
        _as_merges(ctx.learner.train_bpe(text, 256), "train_bpe(text, 256)"),
        [],
    )
    word = "".join(ctx.rng.choice(list("xyz"), size=3))
    expect_equal(
        f"train_bpe({word!r}, 300) (3 bytes: two merges, then one id is left)",
        _as_merges(ctx.learner.train_bpe(word, 300), f"train_bpe({word!r}, 300)"),
        ctx.reference.train_bpe(word, 300),
    )
    expect_equal(
        "train_bpe('', 300)", _as_merges(ctx.learner.train_bpe("", 300), "train_bpe('', 300)"), []
    )


def _greedy(text, merges):
    """Longest match first, a tokenizer that is NOT BPE."""
    vocab = _vocab(merges)
    by_bytes = {v: k for k, v in vocab.items()}
    data, out, i = text.encode("utf-8"), [], 0
    longest = max(len(v) for v in vocab.values())
    while i < len(data):
        for n in range(min(longest, len(data) - i), 0, -1):
            if data[i : i + n] in by_bytes:
                out.append(by_bytes[data[i : i + n]])
                i += n
                break
    return out


def _scan(text, merges):
    """Merge the leftmost pair that has any merge, repeatedly: ignores the merge order."""
    rank = {tuple(p): i for i, p in enumerate(merges)}
    ids = list(text.encode("utf-8"))
    while True:
        for j in range(len(ids) - 1):
            if (ids[j], ids[j + 1]) in rank:
                ids = ids[:j] + [256 + rank[ids[j], ids[j + 1]]] + ids[j + 2 :]
                break
        else:
            return ids


@check(
    points=2,
    title={
        "en": "encode applies the merges in the order they were learned",
        "zh": "encode 按学到的顺序应用合并规则",
    },
)
def encode_order(ctx):
    merges = ctx.reference.train_bpe(corpora.english(ctx.rng, 30), 256 + 60)
    for _ in range(20):  # a text on which the usual shortcuts give other ids
        text = corpora.english(ctx.rng, 4)
        want = ctx.reference.encode(text, merges)
        if _greedy(text, merges) != want and _scan(text, merges) != want:
            break
    got = _as_ids(ctx.learner.encode(text, merges), "encode(text, merges)")
    if got != want:
        if got == _greedy(text, merges):
            _fail(
                "encode takes the longest known token at each position (greedy longest match). BPE does not: it applies merge 0 everywhere, then merge 1, and so on, so the ids are those training would have produced.",
                "encode 在每个位置都取最长的已知词元（贪心最长匹配）。BPE 不是这样：它先在所有位置应用第 0 条合并，再应用第 1 条，依此类推，这样得到的编号与训练时产生的一致。",
            )
        if got == _scan(text, merges):
            _fail(
                "encode merges the leftmost pair that has a merge, whatever its rank. Apply the merges in the order they were learned: merge 0 everywhere first, then merge 1, ...",
                "encode 总是合并最左边的、有对应规则的那一对，而不管它的先后顺序。请按学到的顺序应用合并：先在所有位置应用第 0 条，再应用第 1 条……",
            )
    expect_equal("encode(text, merges)", got, want)


@check(
    points=2,
    title={
        "en": "Round trip on text with characters never seen in training",
        "zh": "含训练时未见字符的文本能原样还原",
    },
)
def round_trip(ctx):
    rng = ctx.rng
    merges = ctx.reference.train_bpe(corpora.english(rng, 20), 256 + 40)
    pieces = ["First", " citizen", "月光", "，", "🙂", "café", "\t", "\n", "naïve", "詩", "Ωμέγα"]
    text = "".join(str(p) for p in rng.choice(pieces, size=12))
    ids = _as_ids(ctx.learner.encode(text, merges), "encode(text, merges)")
    expect_equal(
        "encode(text, merges) on unseen characters", ids, ctx.reference.encode(text, merges)
    )
    back = ctx.learner.decode(ids, merges)
    if not isinstance(back, str):
        _fail(
            "decode must return a str (bytes.decode('utf-8', errors='replace')), not bytes or a list.",
            "decode 必须返回 str（bytes.decode('utf-8', errors='replace')），而不是 bytes 或列表。",
        )
    expect_equal(f"decode(encode({text!r}))", back, text)
    zh_merges = ctx.reference.train_bpe(corpora.chinese(rng, 6), 256 + 40)
    zh_text = corpora.chinese(rng, 2) + "English 🙂"
    ids = _as_ids(ctx.learner.encode(zh_text, zh_merges), "encode(text, merges)")
    expect_equal(
        "decode(encode(text)) with merges learned on Chinese",
        ctx.learner.decode(ids, zh_merges),
        zh_text,
    )


@check(
    points=1,
    title={"en": "Half a character decodes to U+FFFD", "zh": "半个字符解码为 U+FFFD"},
)
def half_character(ctx):
    merges = ctx.reference.train_bpe(corpora.chinese(ctx.rng, 4), 256 + 20)
    char = str(ctx.rng.choice(list("詩酒花月")))
    ids = list(char.encode("utf-8"))[:2] + [ord("a")]
    want = ctx.reference.decode(ids, merges)
    try:
        got = ctx.learner.decode(ids, merges)
    except LearnerError as exc:
        if exc.type_name == "NotImplementedError":
            _fail(
                f"decode raised NotImplementedError: {exc.message}",
                f"decode 抛出了 NotImplementedError：{exc.message}",
            )
        _fail(
            f"decode({ids}) raised {exc.type_name}: those bytes are the first 2 of the 3 bytes of '{char}' followed by 'a'. Decode with errors='replace' so that half a character becomes '\\ufffd'.",
            f"decode({ids}) 抛出了 {exc.type_name}：这些字节是“{char}”的 3 个字节中的前 2 个，后面跟着 'a'。请用 errors='replace' 解码，让半个字符变成 '\\ufffd'。",
        )
    expect_equal(f"decode({ids})", got, want)
    expect_equal("encode('', merges)", _as_ids(ctx.learner.encode("", merges), "encode('')"), [])
    expect_equal("decode([], merges)", ctx.learner.decode([], merges), "")
