"""Perplexity from a cross-entropy in bits per character."""

import math


def generate(rng):
    bits = round(float(rng.uniform(1.2, 4.8)), 2)
    answer = 2.0**bits
    return {
        "params": {
            "bits": f"{bits:.2f}",
            "answer": f"{answer:.3f}",
            "nats": f"{bits * math.log(2):.3f}",
        },
        "answer": answer,
    }
