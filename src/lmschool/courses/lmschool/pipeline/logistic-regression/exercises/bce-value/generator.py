"""The cross-entropy of one example from its logit and label."""

import math


def generate(rng):
    z = float(rng.choice([-1.0, 1.0]) * rng.choice([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0]))
    y = int(rng.integers(0, 2))
    loss = math.log1p(math.exp(z)) - y * z if z < 0 else z + math.log1p(math.exp(-z)) - y * z
    p = 1.0 / (1.0 + math.exp(-z))
    return {
        "params": {"z": z, "y": y, "p": round(p, 6), "loss": round(loss, 6)},
        "answer": loss,
    }
