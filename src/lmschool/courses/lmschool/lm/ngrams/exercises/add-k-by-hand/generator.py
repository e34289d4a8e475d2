"""One add-k smoothed probability from counts, seen or unseen."""


def generate(rng):
    V = int(rng.choice([27, 65, 96]))
    total = int(rng.integers(20, 400))  # count(h)
    seen = bool(rng.random() < 0.6)
    c = int(rng.integers(1, max(2, total // 3))) if seen else 0
    k = float(rng.choice([0.5, 0.1, 1.0]))
    answer = (c + k) / (total + k * V)
    return {
        "params": {"V": V, "total": total, "c": c, "k": f"{k:g}", "answer": f"{answer:.5f}"},
        "answer": answer,
    }
