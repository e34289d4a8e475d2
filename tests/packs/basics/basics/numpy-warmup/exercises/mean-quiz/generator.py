"""Five random integers; the answer is their mean."""


def generate(rng):
    values = [int(v) for v in rng.integers(-20, 50, size=5)]
    return {
        "params": {"values": ", ".join(str(v) for v in values), "total": sum(values)},
        "answer": sum(values) / len(values),
    }
