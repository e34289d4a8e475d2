"""A string mixing ASCII, accented Latin, Chinese and an emoji: how many UTF-8 bytes?"""

PIECES = {
    1: ["a", "Z", "7", " ", "!", "\n"],
    2: ["é", "ü", "ñ", "ß", "Ω"],
    3: ["詩", "月", "春", "風", "，", "。"],
    4: ["🙂", "🌙", "𠀋"],
}


def generate(rng):
    counts = {1: int(rng.integers(2, 6)), 2: int(rng.integers(1, 3)), 3: int(rng.integers(2, 6))}
    counts[4] = int(rng.integers(0, 2))
    chars = [str(rng.choice(PIECES[k])) for k, n in counts.items() for _ in range(n)]
    order = rng.permutation(len(chars))
    text = "".join(chars[i] for i in order)
    answer = len(text.encode("utf-8"))
    return {
        "params": {
            "text": repr(text),
            "n_chars": len(text),
            "n1": counts[1],
            "n2": counts[2],
            "n3": counts[3],
            "n4": counts[4],
            "answer": answer,
        },
        "answer": answer,
    }
