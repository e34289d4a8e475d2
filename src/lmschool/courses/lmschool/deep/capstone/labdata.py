"""Data for the deep/capstone labs: small synthetic "scans" and transaction sequences.

Both generators are deterministic for a given seed and are described in the lesson and in
the lab prompts, so a learner knows what process made the data. The checks import this
module (the lesson folder is on their path); learner code never sees it, nor the hidden
labels it produces.
"""

import numpy as np

# ---------------------------------------------------------------- scans (images lab)

SIDE = 12
LESIONS = ("plus", "cross", "ring")  # class 0, 1, 2
_SHAPES = {
    "plus": np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=np.float64),
    "cross": np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]], dtype=np.float64),
    "ring": np.array([[1, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=np.float64) * 5 / 8,
}


def make_scans(seed: int, n: int):
    """n single-channel 12x12 scans X (n, 12, 12) float32 and lesion labels y (n,) in 0..2.

    1) background: a smooth tissue gradient a + b*row + c*col plus N(0, 0.25^2) pixel noise;
    2) lesion: a 3x3 pattern (plus, diagonal cross, or ring; all three have the same total
       brightness) at a uniformly random position, scaled by a contrast ~ U(0.8, 1.4);
    3) artefacts: two bright single pixels at random positions.
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, len(LESIONS), size=n)
    r = np.arange(SIDE)[:, None] / SIDE
    c = np.arange(SIDE)[None, :] / SIDE
    X = np.empty((n, SIDE, SIDE))
    for i in range(n):
        a, b, d = rng.uniform(-0.3, 0.3, size=3)
        img = a + b * r + d * c + rng.normal(0.0, 0.25, size=(SIDE, SIDE))
        top, left = rng.integers(0, SIDE - 2, size=2)
        img[top : top + 3, left : left + 3] += rng.uniform(0.8, 1.4) * _SHAPES[LESIONS[y[i]]]
        for _ in range(2):
            img[rng.integers(0, SIDE), rng.integers(0, SIDE)] += rng.uniform(0.8, 1.4)
        X[i] = img
    return X.astype(np.float32), y.astype(np.int64)


# ---------------------------------------------------------------- transactions (sequences lab)

STEPS, CHANNELS = 48, 3  # hourly steps; channels: amount, count, distinct merchants


def make_transactions(seed: int, n: int):
    """n account histories X (n, 48, 3) float32 and fraud labels y (n,) in {0, 1}.

    Every history has AR(1) noise on 3 standardised channels, one burst of many small
    transactions (channel 1, count: +2.5 for 2 hours) and one large withdrawal (channel 0,
    amount: +3 for 1 hour), both at random times. The account is fraudulent (y = 1, half of
    them) when the withdrawal comes 1 to 3 hours AFTER the burst ends ("card testing, then
    cash-out"); otherwise it comes before the burst or at least 6 hours after it. The values
    seen by an order-blind model are the same in both classes: only the order tells.
    """
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=n)
    X = np.zeros((n, STEPS, CHANNELS))
    for i in range(n):
        e = np.zeros((STEPS, CHANNELS))
        shocks = rng.normal(0.0, 0.6, size=(STEPS, CHANNELS))
        for t in range(1, STEPS):
            e[t] = 0.5 * e[t - 1] + shocks[t]
        while True:
            burst = int(rng.integers(2, STEPS - 8))
            if y[i] == 1:
                gap = int(rng.integers(1, 4))
            else:
                gap = int(rng.choice([rng.integers(-STEPS, -2), rng.integers(6, STEPS)]))
            cash = burst + 1 + gap
            if 0 <= cash < STEPS and not burst <= cash <= burst + 1:
                break
        e[burst : burst + 2, 1] += 2.5
        e[cash, 0] += 3.0
        X[i] = e
    return X.astype(np.float32), y.astype(np.int64)
