"""PyTorch's mean cross-entropy (nats per character) to bits per character."""

import math


def generate(rng):
    nats = round(float(rng.uniform(1.3, 2.6)), 3)
    bits = nats / math.log(2)
    return {
        "params": {"nats": f"{nats:.3f}", "bits": f"{bits:.3f}", "ppl": f"{math.exp(nats):.2f}"},
        "answer": bits,
    }
