"""Output width of a conv layer: (H + 2p - k) // s + 1, with sizes the stride often does not divide."""


def generate(rng):
    k = int(rng.choice([3, 5, 7]))
    s = int(rng.integers(2, 4))
    p = int(rng.integers(0, (k + 1) // 2 + 1))
    h = int(rng.integers(20, 64))
    answer = (h + 2 * p - k) // s + 1
    return {
        "params": {"k": k, "s": s, "p": p, "h": h, "two_p": 2 * p, "answer": answer},
        "answer": answer,
    }
