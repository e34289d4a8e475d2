"""P(y = 1 | x) for a two-feature logistic model with small integer weights."""

import math


def generate(rng):
    while True:
        w1, w2 = (int(v) for v in rng.integers(-3, 4, size=2))
        x1, x2 = (
            float(v) for v in rng.choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0], size=2)
        )
        b = float(rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0]))
        z = w1 * x1 + w2 * x2 + b
        if 0.25 <= abs(z) <= 4.0:  # a probability clearly away from 0.5, 0 and 1
            break
    p = 1.0 / (1.0 + math.exp(-z))
    return {
        "params": {
            "w1": w1,
            "w2": w2,
            "b": b,
            "x1": x1,
            "x2": x2,
            "z": round(z, 6),
            "p": round(p, 6),
        },
        "answer": p,
    }
