"""Receptive field of a stack of stride-1 Conv1d layers: 1 + L * (k - 1) * dilation."""


def generate(rng):
    layers = int(rng.integers(2, 5))
    k = int(rng.choice([3, 5, 7]))
    dilation = int(rng.choice([1, 2]))
    answer = 1 + layers * (k - 1) * dilation
    return {
        "params": {
            "layers": layers,
            "k": k,
            "dilation": dilation,
            "k_minus_1_times_d": (k - 1) * dilation,
            "answer": answer,
        },
        "answer": answer,
    }
