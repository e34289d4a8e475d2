"""A learner-specific two-layer network; the answer is 4 bytes x its number of parameters."""


def generate(rng):
    d = int(rng.choice([16, 20, 30, 64, 784]))
    h = int(rng.choice([8, 32, 64, 100, 128]))
    k = int(rng.choice([2, 3, 5, 10]))
    count = d * h + h + h * k + k
    return {
        "params": {"d": d, "h": h, "k": k, "count": count, "answer_text": 4 * count},
        "answer": 4 * count,
    }
