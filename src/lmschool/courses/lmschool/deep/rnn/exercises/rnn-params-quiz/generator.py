"""Number of parameters of a one-layer torch RNN, GRU or LSTM with learner-specific sizes."""

GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def generate(rng):
    kind = str(rng.choice(["RNN", "GRU", "LSTM"]))
    D = int(rng.integers(3, 40))
    H = int(rng.integers(8, 129))
    gates = GATES[kind]
    answer = (
        gates * H * (D + H + 2)
    )  # torch.nn.<kind>(D, H): weight_ih, weight_hh, bias_ih, bias_hh
    return {
        "params": {"kind": kind, "D": D, "H": H, "gates": gates, "answer": answer},
        "answer": answer,
    }
