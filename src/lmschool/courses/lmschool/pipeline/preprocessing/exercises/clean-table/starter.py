import numpy as np


def clean_table(table: dict) -> dict[str, np.ndarray | list[str]]:
    """Clean a messy table and return a new one.

    table: {"age": float array (N,), "income": float array (N,), "city": list of N str or None}
    (NaN marks a missing number, None a missing city).

    Returns {"age": float array (M,), "income": float array (M,), "city": list of M str},
    M <= N, following the four rules of the exercise, in order:
    1) city: strip spaces, lower case; missing or blank -> "unknown"
    2) age outside 0..120 or income < 0 -> missing (NaN)
    3) drop rows identical to an earlier row (NaN equals NaN), keep the first
    4) fill each missing age / income with the median of that column's known values
    """
    # TODO: follow the four steps above, in that order
    raise NotImplementedError("clean_table(table): write your code here")
