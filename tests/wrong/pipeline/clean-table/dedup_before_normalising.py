"""Removes duplicates before normalising the city spelling, so re-typed rows survive."""

import numpy as np


def clean_table(table):
    age = np.array(table["age"], dtype=float)
    income = np.array(table["income"], dtype=float)
    age[(age < 0) | (age > 120)] = np.nan
    income[income < 0] = np.nan
    raw = list(table["city"])
    seen, keep = set(), []
    for i in range(len(raw)):
        key = (
            None if np.isnan(age[i]) else age[i],
            None if np.isnan(income[i]) else income[i],
            raw[i],
        )
        if key not in seen:
            seen.add(key)
            keep.append(i)
    age, income = age[keep], income[keep]
    city = [
        "unknown" if raw[i] is None or not raw[i].strip() else raw[i].strip().lower() for i in keep
    ]
    age[np.isnan(age)] = np.nanmedian(age)
    income[np.isnan(income)] = np.nanmedian(income)
    return {"age": age, "income": income, "city": city}
