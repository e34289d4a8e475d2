"""Two BPE merges by hand on a short string over a, b, c, d (ASCII: one byte per letter)."""

SYLLABLES = ["ab", "ab", "ba", "ca", "da", "abc", "cd", "dd", "bc"]


def _merge(ids, pair, new):
    out, i = [], 0
    while i < len(ids):
        if i < len(ids) - 1 and (ids[i], ids[i + 1]) == pair:
            out.append(new)
            i += 2
        else:
            out.append(ids[i])
            i += 1
    return out


def _bpe(text, n_merges):
    ids, merges = list(text), []  # symbols stand for their bytes; new tokens are "XY"-strings
    for _ in range(n_merges):
        stats = {}
        for pair in zip(ids, ids[1:], strict=False):
            stats[pair] = stats.get(pair, 0) + 1
        pair = min(stats, key=lambda p: (-stats[p], p))
        merges.append((pair, stats[pair]))
        ids = _merge(ids, pair, pair[0] + pair[1])
    return ids, merges


def generate(rng):
    while True:  # both merges must be real repetitions, not a tie among single pairs
        text = "".join(str(rng.choice(SYLLABLES)) for _ in range(int(rng.integers(5, 8))))
        ids, merges = _bpe(text, 2)
        (p1, c1), (p2, c2) = merges
        if c2 >= 2:
            break
    return {
        "params": {
            "text": text,
            "n": len(text),
            "m1": f"{p1[0]} + {p1[1]}",
            "c1": c1,
            "m2": f"{p2[0]} + {p2[1]}",
            "c2": c2,
            "tokens": " ".join(ids),
            "answer": len(ids),
        },
        "answer": len(ids),
    }
