"""The standard deviation of He initialisation for a per-learner fan-in."""

import math


def generate(rng):
    fan_in = int(rng.choice([50, 72, 128, 200, 288, 512, 800]))
    fan_out = int(rng.choice([10, 32, 64, 100]))
    std = math.sqrt(2.0 / fan_in)
    return {
        "params": {
            "fan_in": fan_in,
            "fan_out": fan_out,
            "var": round(2.0 / fan_in, 6),
            "std": round(std, 6),
        },
        "answer": std,
    }
