"""Share of occurrences that a min-count cut-off sends to the rare-character token."""

import numpy as np


def generate(rng):
    counts = [1, 2, 3, 5, 8, 12, 20, 50, 200]
    types = [int(rng.integers(400, 900)), int(rng.integers(200, 400)), int(rng.integers(120, 250))]
    types += [int(rng.integers(80, 160)), int(rng.integers(60, 120)), int(rng.integers(50, 100))]
    types += [int(rng.integers(60, 120)), int(rng.integers(100, 200)), int(rng.integers(400, 700))]
    k = int(rng.choice([3, 5, 10, 20]))
    total = sum(n * c for n, c in zip(types, counts, strict=True))
    rare = sum(n * c for n, c in zip(types, counts, strict=True) if c < k)
    rare_types = sum(n for n, c in zip(types, counts, strict=True) if c < k)
    answer = round(100 * rare / total, 2)
    table = ", ".join(f"×{c}: {n}" for n, c in zip(types, counts, strict=True))
    params = {
        "total": f"{total:,}",
        "table": table,
        "k": k,
        "rare": f"{rare:,}",
        "types": rare_types,
        "answer": f"{answer:.2f}",
    }
    return {"params": params, "answer": float(np.round(answer, 2))}
