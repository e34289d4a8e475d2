"""Memory of the (B, h, T, T) float32 attention weights of one layer, in MiB."""


def generate(rng):
    B = int(rng.choice([4, 8, 16, 32]))
    H = int(rng.choice([4, 8, 12, 16]))
    T = int(rng.choice([512, 1024, 2048, 4096]))
    nbytes = B * H * T * T * 4
    answer = nbytes / 2**20
    return {
        "params": {"B": B, "H": H, "T": T, "bytes": f"{nbytes:,}", "answer": f"{answer:g}"},
        "answer": answer,
    }
