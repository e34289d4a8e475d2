"""Parameters of a conv layer: C_out * (C_in * k * k + 1), independent of the image size."""


def generate(rng):
    c_in = int(rng.choice([1, 3, 8, 16, 32]))
    c_out = int(rng.choice([6, 16, 32, 64]))
    k = int(rng.choice([3, 5]))
    h = int(rng.choice([28, 32, 64]))
    answer = c_out * (c_in * k * k + 1)
    dense = (c_in * h * h) * (c_out * h * h)
    return {
        "params": {
            "c_in": c_in,
            "c_out": c_out,
            "k": k,
            "h": h,
            "answer": answer,
            "dense": f"{dense:,}",
        },
        "answer": answer,
    }
