"""Checks for clean_table: seeded messy tables, compared with the reference and with
the tables that plausible mistakes would produce, so that a failure names the mistake."""

import numpy as np

from lmschool.grading.checks import check, expect_array, expect_equal, fail
from lmschool.grading.proxy import LearnerError, RemoteObject

CITIES = ["beijing", "shanghai", "shenzhen", "chengdu", "wuhan", "hangzhou"]
IMPOSSIBLE_AGES = [-1.0, -7.0, -30.0, 121.0, 150.0, 999.0]


# --- seeded messy tables --------------------------------------------------------


def _spelling(rng, city):
    """The same city as people type it: case and stray spaces vary."""
    forms = [
        city,
        city.title(),
        city.upper(),
        " " + city.title(),
        city.title() + "  ",
        " " + city + " ",
    ]
    return forms[int(rng.integers(len(forms)))]


def _respelled(rng, written):
    """Another way of writing the same city (a duplicate row typed again)."""
    if written is None or not written.strip():
        return written
    while True:
        other = _spelling(rng, written.strip().lower())
        if other != written:
            return other


def _table(rng, *, duplicates=True, impossible=True, missing=True, spelling=True):
    n = int(rng.integers(14, 22))
    age = rng.integers(18, 80, size=n).astype(np.float64)
    income = np.round(rng.gamma(4.0, 12.0, size=n), 1)  # thousands per year
    city = [str(c) for c in rng.choice(CITIES, size=n)]
    rows = rng.permutation(n)
    income[rows[0]] = float(np.round(rng.uniform(600, 1200), 1))  # a real, possible outlier
    if impossible:
        age[rows[1]], age[rows[2]] = 0.0, 120.0  # the edges of the possible range
        for i in rows[3:5]:
            age[i] = float(rng.choice(IMPOSSIBLE_AGES))
        income[rows[5]] = -float(np.round(rng.uniform(1, 50), 1))
        income[rows[12]] = 0.0  # no income at all: possible, unlike a negative one
    if missing:
        age[rows[6:8]] = np.nan
        income[rows[8:10]] = np.nan
        city[int(rows[10])] = None
        city[int(rows[11])] = "  "
    if spelling:
        city = [c if c is None else _spelling(rng, c) for c in city]
    if duplicates:
        # Copy rows with the highest incomes and ages, so that a median computed
        # with the duplicates still in differs from the right one.
        ok_age = np.where((age >= 0) & (age <= 120), age, -1.0)  # NaN compares False: -1
        ok_income = np.where(income >= 0, income, -1.0)
        score = np.argsort(np.argsort(ok_age)) + 2 * np.argsort(np.argsort(ok_income))
        order = list(range(n))  # row i of the result is row order[i] of the table so far
        copies = set()
        for i in (int(i) for i in np.argsort(-score)[: int(rng.integers(3, 5))]):
            at = int(rng.integers(order.index(i) + 1, len(order) + 1))  # after the original
            order.insert(at, i)
            copies = {c + 1 if c >= at else c for c in copies} | {at}
        age, income = age[order], income[order]
        city = [
            _respelled(rng, city[i]) if k in copies and spelling else city[i]
            for k, i in enumerate(order)
        ]
    return {"age": age, "income": income, "city": city}


# --- what the rules and plausible mistakes give ----------------------------------


def _variant(
    table,
    *,
    normalise_first=True,
    dedup=True,
    invalidate=True,
    inclusive=True,
    impute="median",
    impute_after_dedup=True,
    median_includes_invalid=False,
    zero_income_invalid=False,
):
    """The cleaned table, or what a cleaner with one mistake returns."""
    age = np.array(table["age"], dtype=np.float64)
    income = np.array(table["income"], dtype=np.float64)
    raw_city = list(table["city"])
    norm = ["unknown" if c is None or not c.strip() else c.strip().lower() for c in raw_city]
    stat = {"median": np.nanmedian, "mean": np.nanmean}.get(impute)
    if not invalidate:
        bad_age = bad_income = np.zeros(len(norm), dtype=bool)
    elif inclusive:
        bad_age, bad_income = (age < 0) | (age > 120), income < 0
    else:
        bad_age, bad_income = (age <= 0) | (age >= 120), income < 0
    if invalidate and zero_income_invalid:
        bad_income = income <= 0
    if not median_includes_invalid:
        age[bad_age], income[bad_income] = np.nan, np.nan

    def fill(age, income, bad_age, bad_income):
        fills = stat(age), stat(income)  # impossible values still in when they were not NaN'd
        age, income = age.copy(), income.copy()
        age[bad_age | np.isnan(age)], income[bad_income | np.isnan(income)] = fills
        return age, income

    if impute != "drop" and not impute_after_dedup:
        age, income = fill(age, income, bad_age, bad_income)
    if dedup:
        keys = norm if normalise_first else raw_city
        seen, keep = set(), []
        for i in range(len(norm)):
            key = (_key(age[i]), _key(income[i]), keys[i])
            if key not in seen:
                seen.add(key)
                keep.append(i)
        age, income, norm = age[keep], income[keep], [norm[i] for i in keep]
        bad_age, bad_income = bad_age[keep], bad_income[keep]
    if impute == "drop":
        keep = [i for i in range(len(norm)) if not (np.isnan(age[i]) or np.isnan(income[i]))]
        age, income, norm = age[keep], income[keep], [norm[i] for i in keep]
    elif impute_after_dedup:
        age, income = fill(age, income, bad_age, bad_income)
    return {"age": age, "income": income, "city": norm}


def _key(value):
    return None if np.isnan(value) else float(value)


MISTAKES = [
    (
        {"normalise_first": False},
        {
            "en": "Some duplicate rows are still there: rows that differ only in how the city is written "
            "(' Beijing' and 'beijing') are the same row. Normalise the spelling first (rule 1), then "
            "remove duplicates (rule 3).",
            "zh": "还有重复行没有删除：只是城市写法不同的行（' Beijing' 和 'beijing'）其实是同一行。"
            "先统一写法（规则 1），再删除重复行（规则 3）。",
        },
    ),
    (
        {"dedup": False},
        {
            "en": "Duplicate rows are still in the table: keep only the first of several identical rows "
            "(rule 3).",
            "zh": "表中仍有重复行：几行完全相同时只保留第一行（规则 3）。",
        },
    ),
    (
        {"impute": "drop"},
        {
            "en": "You dropped the rows with missing values; rule 4 asks you to keep them and fill the "
            "gaps with the column median.",
            "zh": "你删除了含缺失值的行；规则 4 要求保留这些行，并用该列的中位数填补缺失值。",
        },
    ),
    (
        {"impute": "mean"},
        {
            "en": "Missing values were filled with the mean. Use the median (np.nanmedian): one large "
            "income pulls the mean far away, the median stays put.",
            "zh": "你用均值填补了缺失值。请使用中位数（np.nanmedian）：一个特别高的收入会把均值拉偏很远，中位数则不受影响。",
        },
    ),
    (
        {"impute_after_dedup": False},
        {
            "en": "Your medians were computed before the duplicates were removed, so the duplicated rows "
            "counted twice. Remove duplicates first (rule 3), then impute (rule 4).",
            "zh": "你在删除重复行之前计算了中位数，重复的行被算了两次。先删除重复行（规则 3），再填补缺失值（规则 4）。",
        },
    ),
    (
        {"median_includes_invalid": True},
        {
            "en": "Your medians include the impossible values (a negative age, an age of 999...). Turn "
            "impossible values into NaN first (rule 2), so that they play no part in the median.",
            "zh": "你的中位数把不可能的值（负的年龄、999 岁……）也算进去了。先把不可能的值变成 NaN（规则 2），"
            "它们就不会影响中位数。",
        },
    ),
    (
        {"inclusive": False},
        {
            "en": "Ages of exactly 0 or exactly 120 are possible (the rule is 0 <= age <= 120): only "
            "values outside that range are impossible.",
            "zh": "恰好为 0 或 120 的年龄是可能的（规则是 0 <= age <= 120）：只有超出这个范围的值才是不可能的。",
        },
    ),
    (
        {"zero_income_invalid": True},
        {
            "en": "An income of exactly 0 is possible (someone without income): only a negative "
            "income is impossible (rule 2). Test income < 0, not income <= 0.",
            "zh": "收入恰好为 0 是可能的（没有收入的人）：只有负的收入才不可能（规则 2）。"
            "应判断 income < 0，而不是 income <= 0。",
        },
    ),
    (
        {"invalidate": False},
        {
            "en": "Impossible values are still in the table (an age below 0 or above 120, a negative "
            "income): treat them as missing (rule 2) and they get imputed like the other gaps.",
            "zh": "表中仍有不可能的值（小于 0 或大于 120 的年龄、负的收入）：把它们当作缺失值（规则 2），"
            "再像其他缺失值一样填补。",
        },
    ),
]


# --- reading the learner's answer safely -----------------------------------------


def _city_list(value):
    if isinstance(value, RemoteObject):  # e.g. a NumPy array of strings: ask for a list
        try:
            value = value.tolist()
        except LearnerError:
            value = None
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list):
        fail(
            {
                "en": "result['city'] must be a list of str (one per row).",
                "zh": "result['city'] 必须是由 str 组成的列表（每行一个）。",
            }
        )
    for i, c in enumerate(value):
        if not isinstance(c, str):
            fail(
                {
                    "en": f"result['city'][{i}] is {c!r}; every city must be a str. A missing city "
                    "becomes 'unknown' (rule 1).",
                    "zh": f"result['city'][{i}] 是 {c!r}；每个城市都必须是 str。缺失的城市要写成 'unknown'（规则 1）。",
                }
            )
    return value


def _numbers(name, value):
    if isinstance(value, RemoteObject) or not isinstance(value, np.ndarray | list | tuple):
        kind = value.type_name if isinstance(value, RemoteObject) else type(value).__name__
        fail(
            {
                "en": f"{name} must be a 1-D NumPy float array, got {kind}.",
                "zh": f"{name} 必须是一维 NumPy 浮点数组，得到的是 {kind}。",
            }
        )
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail({"en": f"{name} must hold numbers.", "zh": f"{name} 必须由数字组成。"})
    if arr.ndim != 1:
        fail(
            {
                "en": f"{name} must be 1-D, got shape {arr.shape}.",
                "zh": f"{name} 必须是一维的，得到的形状是 {arr.shape}。",
            }
        )
    return arr


def _result(got):
    """The learner's table as {"age": array, "income": array, "city": list}, or a failure."""
    if isinstance(got, RemoteObject) or not isinstance(got, dict):
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        fail(
            {
                "en": f"clean_table must return a dict {{'age', 'income', 'city'}}, got {kind}.",
                "zh": f"clean_table 必须返回字典 {{'age', 'income', 'city'}}，得到的是 {kind}。",
            }
        )
    keys = sorted(str(k) for k in got)
    if keys != ["age", "city", "income"]:
        fail(
            {
                "en": f"The result must have exactly the keys 'age', 'income' and 'city', got {keys}.",
                "zh": f"结果必须恰好包含键 'age'、'income' 和 'city'，得到的是 {keys}。",
            }
        )
    out = {
        "age": _numbers("result['age']", got["age"]),
        "income": _numbers("result['income']", got["income"]),
        "city": _city_list(got["city"]),
    }
    lengths = {k: len(v) for k, v in out.items()}
    if len(set(lengths.values())) != 1:
        fail(
            {
                "en": f"All columns must have the same length, got {lengths}.",
                "zh": f"所有列的长度必须相同，得到的是 {lengths}。",
            }
        )
    for name in ("age", "income"):
        if np.isnan(out[name]).any():
            fail(
                {
                    "en": f"result['{name}'] still has NaN at row {int(np.flatnonzero(np.isnan(out[name]))[0])}: "
                    "every missing value must be filled with the median (rule 4).",
                    "zh": f"result['{name}'] 的第 {int(np.flatnonzero(np.isnan(out[name]))[0])} 行仍是 NaN："
                    "所有缺失值都必须用中位数填补（规则 4）。",
                }
            )
    return out


def _same(a, b):
    return (
        a["city"] == b["city"]
        and a["age"].shape == b["age"].shape
        and np.allclose(a["age"], b["age"], rtol=1e-9, atol=1e-9)
        and np.allclose(a["income"], b["income"], rtol=1e-9, atol=1e-9)
    )


def _compare(ctx, table):
    """Grade one table: name the mistake if the answer is what a known mistake gives."""
    got = _result(ctx.learner.clean_table(table))
    want = ctx.reference.clean_table(table)
    if _same(got, want):
        return
    for flags, message in MISTAKES:
        wrong = _variant(table, **flags)
        if not _same(wrong, want) and _same(got, wrong):
            fail(message)
    expect_equal("number of rows left", len(got["city"]), len(want["city"]))
    expect_equal("result['city']", got["city"], want["city"])
    expect_array("result['age']", got["age"], want["age"], rtol=1e-9, atol=1e-9)
    expect_array("result['income']", got["income"], want["income"], rtol=1e-9, atol=1e-9)


# --- the checks --------------------------------------------------------------------


@check(points=1, title={"en": "A clean table comes back unchanged", "zh": "干净的表原样返回"})
def clean_input(ctx):
    # Distinct rows, lower-case cities, no gaps, one large but possible income: nothing to do.
    table = _table(ctx.rng, duplicates=False, impossible=False, missing=False, spelling=False)
    _compare(ctx, table)


@check(points=1, title={"en": "City spellings and missing cities", "zh": "城市写法与缺失的城市"})
def spelling(ctx):
    table = _table(ctx.rng, duplicates=False, impossible=False, missing=False)
    rows = ctx.rng.permutation(len(table["city"]))[:2]
    table["city"][int(rows[0])] = None
    table["city"][int(rows[1])] = ""
    _compare(ctx, table)


@check(points=2, title={"en": "Duplicate rows", "zh": "重复行"})
def duplicates(ctx):
    table = _table(ctx.rng, impossible=False, missing=False)
    _compare(ctx, table)


@check(
    points=2,
    title={
        "en": "Impossible values, and the edges: ages 0 and 120, an income of 0",
        "zh": "不可能的值，以及边界：0 岁和 120 岁、收入为 0",
    },
)
def impossible_values(ctx):
    table = _table(ctx.rng, duplicates=False, missing=False)
    _compare(ctx, table)


@check(points=2, title={"en": "Missing values filled with the median", "zh": "用中位数填补缺失值"})
def imputation(ctx):
    table = _table(ctx.rng, duplicates=False, impossible=False)
    _compare(ctx, table)


@check(points=3, title={"en": "A table with every problem at once", "zh": "所有问题同时出现的表"})
def everything(ctx):
    table = _table(ctx.rng)
    _compare(ctx, table)
