"""Memory of a full key-value cache: 2 (keys, values) x L x B x T x C numbers."""


def generate(rng):
    L = int(rng.choice([12, 24, 32, 48]))
    C = int(rng.choice([768, 1024, 2048, 4096]))
    T = int(rng.choice([1024, 2048, 4096, 8192]))
    B = int(rng.choice([1, 4, 8]))
    dtype, nbytes = [("float16", 2), ("bfloat16", 2), ("float32", 4)][int(rng.integers(0, 3))]
    total = 2 * L * B * T * C * nbytes
    answer = total / 2**20
    params = {
        "L": L,
        "C": C,
        "T": T,
        "B": B,
        "dtype": dtype,
        "bytes": nbytes,
        "total_bytes": total,
        "answer": f"{answer:g}",
    }
    return {"params": params, "answer": answer}
