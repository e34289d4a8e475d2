"""Bits per character from a per-token loss: nats/token * tokens / characters / ln 2."""

import math


def generate(rng):
    chars = int(rng.integers(40, 120)) * 1000
    per_token = float(rng.uniform(2.6, 4.2))  # characters per token for English BPE
    tokens = int(round(chars / per_token))
    nats = round(float(rng.uniform(2.4, 4.0)), 2)
    total = nats * tokens
    answer = total / chars / math.log(2)
    return {
        "params": {
            "nats": f"{nats:.2f}",
            "chars": f"{chars:,}",
            "tokens": f"{tokens:,}",
            "total": f"{total:,.0f}",
            "npc": f"{total / chars:.4f}",
            "answer": f"{answer:.4f}",
        },
        "answer": answer,
    }
