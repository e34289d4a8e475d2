"""Layer sizes for a small fully connected network; the answer is its number of weights and biases."""


def generate(rng):
    n_in = int(rng.choice([2, 3, 4, 5, 8, 10, 64]))
    h1, h2 = (int(v) for v in rng.integers(3, 17, size=2))
    n_out = int(rng.choice([1, 2, 3, 10]))
    p1, p2, p3 = n_in * h1 + h1, h1 * h2 + h2, h2 * n_out + n_out
    total = p1 + p2 + p3
    return {
        "params": {
            "n_in": n_in,
            "h1": h1,
            "h2": h2,
            "n_out": n_out,
            "p1": p1,
            "p2": p2,
            "p3": p3,
            "total": total,
        },
        "answer": float(total),
    }
