"""Imputes before removing duplicates, so duplicated rows count twice in the median."""

import numpy as np


def clean_table(table):
    age = np.array(table["age"], dtype=float)
    income = np.array(table["income"], dtype=float)
    city = ["unknown" if c is None or not c.strip() else c.strip().lower() for c in table["city"]]
    age[(age < 0) | (age > 120)] = np.nan
    income[income < 0] = np.nan
    age[np.isnan(age)] = np.nanmedian(age)
    income[np.isnan(income)] = np.nanmedian(income)
    seen, keep = set(), []
    for i, c in enumerate(city):
        if (age[i], income[i], c) not in seen:
            seen.add((age[i], income[i], c))
            keep.append(i)
    return {"age": age[keep], "income": income[keep], "city": [city[i] for i in keep]}
