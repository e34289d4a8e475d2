"""Nearest neighbour by cosine, where the Euclidean and the dot-product answers differ."""

import numpy as np

WORDS = ["river", "stream", "mountain", "moon", "wine", "horse"]


def _cos(a, b):
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def generate(rng):
    while True:
        q = rng.integers(-4, 5, size=3).astype(float)
        cands = [rng.integers(-6, 7, size=3).astype(float) for _ in range(3)]
        if any(np.linalg.norm(c) == 0 for c in cands) or np.linalg.norm(q) == 0:
            continue
        cos = [_cos(q, c) for c in cands]
        dist = [float(np.linalg.norm(q - c)) for c in cands]
        dot = [float(q @ c) for c in cands]
        i_cos, i_dist, i_dot = int(np.argmax(cos)), int(np.argmin(dist)), int(np.argmax(dot))
        ranked = sorted(cos, reverse=True)
        # three different answers, and a clear cosine winner
        if len({i_cos, i_dist, i_dot}) == 3 and ranked[0] - ranked[1] > 0.05:
            break
    names = [str(w) for w in rng.choice(WORDS[1:], size=3, replace=False)]
    fmt = lambda v: "(" + ", ".join(f"{x:g}" for x in v) + ")"  # noqa: E731
    return {
        "params": {
            "q": fmt(q),
            "a": names[0],
            "va": fmt(cands[0]),
            "b": names[1],
            "vb": fmt(cands[1]),
            "c": names[2],
            "vc": fmt(cands[2]),
            "cos_word": names[i_cos],
            "dist_word": names[i_dist],
            "dot_word": names[i_dot],
            "cos_a": f"{cos[0]:.3f}",
            "cos_b": f"{cos[1]:.3f}",
            "cos_c": f"{cos[2]:.3f}",
        }
    }
