"""A learner-specific confusion matrix on imbalanced data; the answer is the balanced accuracy."""


def generate(rng):
    n = int(rng.integers(8, 31)) * 100
    pos = int(round(n * float(rng.uniform(0.15, 0.25))))
    neg = n - pos
    tp = int(round(pos * float(rng.uniform(0.55, 0.8))))
    fp = int(round(neg * float(rng.uniform(0.12, 0.3))))
    tn = neg - fp
    sens, spec = tp / pos, tn / neg
    bacc = (sens + spec) / 2
    return {
        "params": {
            "n": n,
            "pos": pos,
            "neg": neg,
            "tp": tp,
            "fp": fp,
            "tn": tn,
            "sens": f"{sens:.4f}",
            "spec": f"{spec:.4f}",
            "bacc": f"{bacc:.4f}",
            "acc": f"{(tp + tn) / n:.4f}",
            "majority": f"{neg / n:.4f}",
        },
        "answer": bacc,
    }
