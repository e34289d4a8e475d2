"""The keep probability of word2vec's subsampling of frequent words."""

import math


def generate(rng):
    t = float(rng.choice([1e-4, 1e-5]))
    share = float(rng.choice([0.002, 0.004, 0.01, 0.02, 0.03]))
    keep = min(1.0, math.sqrt(t / share))
    return {
        "params": {
            "t": f"{t:g}",
            "f": f"{share:g}",
            "pct": f"{share:.1%}",
            "answer": f"{keep:.4f}",
        },
        "answer": keep,
    }
