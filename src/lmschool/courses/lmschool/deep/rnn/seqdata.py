"""Data for the deep/rnn labs: a seasonal demand series and a table of invented names.

Both generators are deterministic for a given seed and are documented in the lesson and
in the lab prompts, so a learner knows what process made the data. The checks import this
module (the lesson folder is on their path); learner code never sees it.
"""

import numpy as np

# ---------------------------------------------------------------- demand (logistics lab)

WEEKLY = np.array([1.05, 1.00, 1.00, 1.03, 1.15, 0.80, 0.55])  # Mon..Sun, before jitter


def demand_series(seed: int, n_days: int) -> np.ndarray:
    """Daily parcels handled by one depot: trend x weekly x yearly x holidays x noise.

    1) level: base ~ U(150, 250) parcels, growing linearly by 5-20% a year;
    2) weekly profile: WEEKLY jittered by +-5% per depot, the series starts on a random weekday;
    3) yearly season: 1 + A sin(2 pi (t + phase) / 365.25), A ~ U(0.10, 0.25);
    4) holidays: 8 random days of the year (the same every year) at 35% of normal volume,
       and the day before each one at 125% (people ship early);
    5) noise: multiplicative AR(1), e_t = 0.5 e_{t-1} + N(0, 0.05^2), so errors persist a little.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(n_days, dtype=np.float64)
    base = rng.uniform(150.0, 250.0)
    growth = rng.uniform(0.05, 0.20) / 365.25
    level = base * (1.0 + growth * t)
    weekly = WEEKLY * rng.uniform(0.95, 1.05, size=7)
    weekday = (t.astype(int) + int(rng.integers(0, 7))) % 7
    amplitude = rng.uniform(0.10, 0.25)
    phase = rng.uniform(0.0, 365.25)
    yearly = 1.0 + amplitude * np.sin(2 * np.pi * (t + phase) / 365.25)
    holidays = rng.choice(np.arange(1, 365), size=8, replace=False)
    day_of_year = t.astype(int) % 365
    special = np.ones(n_days)
    special[np.isin(day_of_year, holidays)] = 0.35
    special[np.isin(day_of_year, holidays - 1) & (special == 1.0)] = 1.25
    e = np.zeros(n_days)
    shocks = rng.normal(0.0, 0.05, size=n_days)
    for i in range(1, n_days):
        e[i] = 0.5 * e[i - 1] + shocks[i]
    return level * weekly[weekday] * yearly * special * (1.0 + e)


def windows(series: np.ndarray, start: int, stop: int, length: int):
    """Histories series[i-length:i] and targets series[i] for every i in [start, stop)."""
    idx = np.arange(start, stop)
    X = np.stack([series[i - length : i] for i in idx])
    return X, series[idx]


# ---------------------------------------------------------------- names (general lab)

# Three invented "styles" of names. A name is: style, then 1-2 syllables (onset + vowel +
# coda, each drawn with the weights shown), then one ending of the same style.
STYLES = {
    "stone": {
        "weight": 0.40,
        "onsets": {
            "b": 2,
            "d": 3,
            "g": 3,
            "k": 3,
            "r": 2,
            "t": 2,
            "th": 2,
            "gr": 2,
            "br": 1,
            "dr": 2,
            "kr": 1,
        },
        "vowels": {"a": 4, "o": 3, "u": 3},
        "codas": {"": 3, "n": 2, "r": 3, "k": 1, "m": 1},
        "endings": {"ar": 3, "ok": 2, "un": 2, "rim": 1, "gar": 2, "dum": 1},
    },
    "river": {
        "weight": 0.35,
        "onsets": {"": 2, "l": 4, "m": 2, "n": 2, "s": 2, "v": 2, "y": 1, "sh": 1},
        "vowels": {"a": 3, "e": 4, "i": 3, "ia": 1, "ei": 1},
        "codas": {"": 5, "n": 1, "l": 2},
        "endings": {"a": 3, "ia": 2, "elle": 1, "ine": 2, "is": 1, "wen": 1},
    },
    "sun": {
        "weight": 0.25,
        "onsets": {"h": 2, "k": 3, "m": 2, "n": 2, "s": 2, "t": 3, "y": 1, "r": 2},
        "vowels": {"a": 3, "i": 2, "u": 2, "e": 1, "o": 3},
        "codas": {"": 6, "n": 1},
        "endings": {"ko": 2, "mi": 2, "ta": 1, "ru": 2, "ne": 1, "shi": 1},
    },
}
SYLLABLES = {1: 0.45, 2: 0.55}  # how many syllables come before the ending


def _pick(rng: np.random.Generator, table: dict) -> str:
    keys = list(table)
    w = np.array([table[k] for k in keys], dtype=np.float64)
    return keys[int(rng.choice(len(keys), p=w / w.sum()))]


def make_names(seed: int, n: int) -> list[str]:
    """n invented lowercase names (duplicates allowed, as in a real register)."""
    rng = np.random.default_rng(seed)
    styles = {k: v["weight"] for k, v in STYLES.items()}
    names = []
    for _ in range(n):
        s = STYLES[_pick(rng, styles)]
        k = int(_pick(rng, {str(k): v for k, v in SYLLABLES.items()}))
        parts = [
            _pick(rng, s["onsets"]) + _pick(rng, s["vowels"]) + _pick(rng, s["codas"])
            for _ in range(k)
        ]
        names.append("".join(parts) + _pick(rng, s["endings"]))
    return names
