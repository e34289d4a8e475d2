"""Number of optimizer steps: epochs * ceil(n / b), with n not a multiple of b."""


def generate(rng):
    b = int(rng.choice([16, 32, 64, 100, 128]))
    full = int(rng.integers(5, 60))
    rest = int(rng.integers(1, b))
    n = full * b + rest
    epochs = int(rng.integers(3, 21))
    per_epoch = full + 1
    return {
        "params": {
            "n": n,
            "b": b,
            "epochs": epochs,
            "full": full,
            "rest": rest,
            "per_epoch": per_epoch,
            "total": epochs * per_epoch,
            "dropped": epochs * full,
        },
        "answer": epochs * per_epoch,
    }
