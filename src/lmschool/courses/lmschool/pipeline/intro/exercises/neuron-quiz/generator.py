"""Small whole numbers for a neuron with ReLU; about one learner in three gets a negative sum (output 0)."""


def generate(rng):
    x1, x2 = (int(v) for v in rng.integers(1, 6, size=2))
    w1, w2 = (int(v) for v in rng.integers(-4, 5, size=2))
    b = int(rng.integers(-5, 6))
    total = w1 * x1 + w2 * x2 + b
    answer = max(total, 0)
    return {
        "params": {
            "x1": x1,
            "x2": x2,
            "w1": w1,
            "w2": w2,
            "b": b,
            "product1": w1 * x1,
            "product2": w2 * x2,
            "total": total,
            "answer": answer,
        },
        "answer": float(answer),
    }
