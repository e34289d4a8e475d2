"""Which rows of an embedding table a batch touches: one-hot times a matrix is a lookup."""


def generate(rng):
    V = int(rng.choice([50, 65, 100]))
    D = int(rng.choice([16, 32, 64]))
    n = int(rng.integers(6, 10))
    pool = rng.choice(V, size=int(rng.integers(3, n)), replace=False)
    ids = [int(i) for i in rng.choice(pool, size=n)]
    distinct = len(set(ids))
    return {
        "params": {
            "V": V,
            "D": D,
            "ids": ", ".join(str(i) for i in ids),
            "n": n,
            "distinct": distinct,
            "zero": V - distinct,
        },
        "answer": distinct,
    }
