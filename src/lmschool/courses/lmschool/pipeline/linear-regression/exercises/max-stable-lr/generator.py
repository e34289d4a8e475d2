"""Largest stable learning rate for y ≈ w x: the threshold 2 / L''(w) = N / Σ x²."""


def generate(rng):
    n = int(rng.integers(3, 6))
    xs = [int(v) for v in rng.integers(-4, 5, size=n)]
    while sum(x * x for x in xs) == 0:
        xs = [int(v) for v in rng.integers(-4, 5, size=n)]
    sq = sum(x * x for x in xs)
    curvature = 2.0 * sq / n
    return {
        "params": {
            "xs": ", ".join(str(x) for x in xs),
            "n": n,
            "sq": sq,
            "curvature": round(curvature, 6),
            "answer": round(2.0 / curvature, 6),
        },
        "answer": 2.0 / curvature,
    }
