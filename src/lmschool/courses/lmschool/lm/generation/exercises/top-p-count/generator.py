"""How many tokens top-p keeps, for a shuffled distribution in hundredths."""

import numpy as np


def generate(rng):
    while True:
        cuts = np.sort(rng.choice(np.arange(1, 100), size=7, replace=False))
        probs = np.diff(np.concatenate([[0], cuts, [100]]))  # 8 positive hundredths
        p = int(rng.choice([50, 60, 70, 75, 80, 90]))
        ordered = np.sort(probs)[::-1]
        cum = np.cumsum(ordered)
        if p not in cum and len(set(probs.tolist())) == 8:
            break
    answer = int(np.sum((cum - ordered) < p))
    params = {
        "probs": ", ".join(f"{v / 100:.2f}" for v in probs),
        "p": f"{p / 100:.2f}",
        "sorted": ", ".join(f"{v / 100:.2f}" for v in ordered),
        "cum": ", ".join(f"{v / 100:.2f}" for v in cum),
        "answer": answer,
        "dropped": 8 - answer,
    }
    return {"params": params, "answer": answer}
