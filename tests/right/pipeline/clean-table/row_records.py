"""Works on a list of row tuples (normalise, invalidate, deduplicate with NaN mapped to None), then
fills with a median computed by sorting, not np.nanmedian."""

import math

import numpy as np


def _median(values):
    known = sorted(v for v in values if v is not None)
    mid = len(known) // 2
    if len(known) % 2:
        return known[mid]
    return (known[mid - 1] + known[mid]) / 2


def clean_table(table):
    rows = []
    for a, inc, c in zip(table["age"], table["income"], table["city"], strict=True):
        a, inc = float(a), float(inc)
        age = None if math.isnan(a) or not 0 <= a <= 120 else a
        income = None if math.isnan(inc) or inc < 0 else inc
        city = (c or "").strip().lower() or "unknown"
        rows.append((age, income, city))

    unique = list(dict.fromkeys(rows))  # first occurrence wins, order kept

    fill_age = _median(r[0] for r in unique)
    fill_income = _median(r[1] for r in unique)
    return {
        "age": np.array([fill_age if r[0] is None else r[0] for r in unique], dtype=float),
        "income": np.array([fill_income if r[1] is None else r[1] for r in unique], dtype=float),
        "city": [r[2] for r in unique],
    }
