"""Four positive and four negative scores (all distinct); AUC = share of correctly ordered pairs."""


def generate(rng):
    values = [
        round(float(v), 2) for v in sorted(rng.choice(range(5, 96), size=8, replace=False) / 100)
    ]
    while True:
        is_pos = rng.permutation([True] * 4 + [False] * 4)
        pos = sorted((v for v, p in zip(values, is_pos, strict=True) if p), reverse=True)
        neg = sorted((v for v, p in zip(values, is_pos, strict=True) if not p), reverse=True)
        wins = [sum(n < p for n in neg) for p in pos]
        if 0 < sum(wins) < 16:  # not a perfect (or perfectly wrong) ranking
            break
    order = rng.permutation(4)
    correct = sum(wins)
    return {
        "params": {
            "pos": ", ".join(f"{pos[i]:.2f}" for i in order),
            "neg": ", ".join(f"{neg[i]:.2f}" for i in rng.permutation(4)),
            "correct": correct,
            "auc": f"{correct / 16:.4f}",
            "per_pos": " + ".join(str(w) for w in wins) + f" = {correct}",
        },
        "answer": correct / 16,
    }
