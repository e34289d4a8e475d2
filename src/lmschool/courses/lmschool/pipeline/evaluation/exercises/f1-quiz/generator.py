"""A learner-specific binary confusion matrix; the answer is F1 = 2TP / (2TP + FP + FN)."""


def generate(rng):
    tp = int(rng.integers(10, 60))
    fp = int(rng.integers(3, 40))
    fn = int(rng.integers(3, 40))
    tn = int(rng.integers(200, 900))
    n = tp + fp + fn + tn
    f1 = 2 * tp / (2 * tp + fp + fn)
    return {
        "params": {
            "n": n,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "pred_pos": tp + fp,
            "real_pos": tp + fn,
            "precision": f"{tp / (tp + fp):.4f}",
            "recall": f"{tp / (tp + fn):.4f}",
            "two_tp": 2 * tp,
            "den": 2 * tp + fp + fn,
            "f1": f"{f1:.4f}",
            "accuracy": f"{(tp + tn) / n:.4f}",
        },
        "answer": f1,
    }
