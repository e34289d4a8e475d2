"""The number of trainable parameters of an MLP with per-learner layer sizes."""


def generate(rng):
    d_in = int(rng.choice([32, 64, 100, 784]))
    h1 = int(rng.choice([64, 128, 256]))
    h2 = int(rng.choice([16, 32, 64]))
    c = int(rng.choice([2, 5, 10]))
    p1, p2, p3 = (d_in + 1) * h1, (h1 + 1) * h2, (h2 + 1) * c
    return {
        "params": {
            "d_in": d_in,
            "h1": h1,
            "h2": h2,
            "c": c,
            "p1": p1,
            "p2": p2,
            "p3": p3,
            "total": p1 + p2 + p3,
        },
        "answer": p1 + p2 + p3,
    }
