"""Incomes with gaps and one very large value; the answer is the median of the known values."""

import statistics


def generate(rng):
    count = int(rng.integers(5, 9))
    known = [int(v) for v in rng.integers(20, 90, size=count - 1)] + [int(rng.integers(400, 1500))]
    order = rng.permutation(count + 2)
    column = [str(known[i]) if i < count else "NaN" for i in order]
    median = statistics.median(known)
    return {
        "params": {
            "values": ", ".join(column),
            "count": count,
            "ordered": ", ".join(str(v) for v in sorted(known)),
            "answer": f"{median:g}",
            "mean": f"{sum(known) / count:.1f}",
        },
        "answer": float(median),
    }
