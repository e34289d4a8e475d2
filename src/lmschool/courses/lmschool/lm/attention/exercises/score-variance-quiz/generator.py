"""Standard deviation of q . k for independent zero-mean entries: sqrt(d_k) * s_q * s_k."""

import math


def generate(rng):
    d = int(rng.choice([16, 32, 64, 128, 256, 512]))
    sq = float(rng.choice([0.5, 1.0, 1.5, 2.0]))
    sk = float(rng.choice([0.5, 1.0, 2.0, 3.0]))
    answer = math.sqrt(d) * sq * sk
    return {
        "params": {"d": d, "sq": f"{sq:g}", "sk": f"{sk:g}", "answer": f"{answer:.4g}"},
        "answer": answer,
    }
