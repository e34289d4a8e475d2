"""Numbers of numeric columns and of categories; the answer is the width after one-hot encoding."""


def generate(rng):
    numeric = int(rng.integers(2, 12))
    k = int(rng.integers(3, 15))
    return {
        "params": {"numeric": numeric, "k": k, "answer": numeric + k},
        "answer": float(numeric + k),
    }
