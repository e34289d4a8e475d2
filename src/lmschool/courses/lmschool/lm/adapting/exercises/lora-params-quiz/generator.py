"""LoRA on W_q and W_v of every layer: 2 L r (d + d) trainable parameters."""


def generate(rng):
    L = int(rng.choice([12, 24, 32, 40]))
    d = int(rng.choice([768, 1024, 2048, 4096, 5120]))
    r = int(rng.choice([4, 8, 16]))
    per = r * 2 * d  # A (r, d) + B (d, r)
    answer = 2 * L * per
    full = 2 * L * d * d
    return {
        "params": {
            "L": L,
            "d": d,
            "r": r,
            "per": per,
            "answer": answer,
            "full": full,
            "share": f"{answer / full:.2%}",
        },
        "answer": answer,
    }
