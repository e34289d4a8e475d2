"""Checks for clean_table: seeded messy tables, compared with the reference and with
the tables that plausible mistakes would produce, so that a failure names the mistake."""

import numpy as np

from lmschool.grading.checks import (
    check,
    expect_array,
    expect_equal,
    expect_inputs_unchanged,
    fail,
)
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


def _missing_twins(rng, table):
    """Copies of rows that miss a value (NaN, None, or an impossible value typed another
    way), each placed after its original: duplicates once rules 1 and 2 are applied."""
    age, income = list(table["age"]), list(table["income"])
    city = list(table["city"])
    n = len(city)

    def odd(i):
        a, b = age[i], income[i]
        return np.isnan(a) or not 0 <= a <= 120 or np.isnan(b) or b < 0 or city[i] is None

    candidates = [i for i in range(n) if odd(i) or (city[i] is not None and not city[i].strip())]
    picked = sorted(int(i) for i in rng.permutation(candidates)[:5])
    for i in reversed(picked):
        a, b, c = age[i], income[i], city[i]
        if not np.isnan(a) and not 0 <= a <= 120:
            a = float(rng.choice([v for v in IMPOSSIBLE_AGES if v != a]))
        if not np.isnan(b) and b < 0:
            b = -float(np.round(rng.uniform(51, 90), 1))
        if c is None or not c.strip():
            c = "" if c is None else None
        at = int(rng.integers(i + 1, len(city) + 1))
        age.insert(at, a)
        income.insert(at, b)
        city.insert(at, c)
    return {"age": np.array(age), "income": np.array(income), "city": city}


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
    nan_unequal=False,
    dedup_before_invalidate=False,
    keep_last=False,
    outliers_invalid=False,
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
    if invalidate and outliers_invalid:  # a learner's "too large to be true" cut-off
        bad_income = bad_income | (income > 500)
    raw_age, raw_income = age.copy(), income.copy()  # as typed, before rule 2
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
        a, b = (raw_age, raw_income) if dedup_before_invalidate else (age, income)
        key_of = (lambda v, i: ("nan", i) if np.isnan(v) else float(v)) if nan_unequal else None
        seen, keep = set(), []
        for i in reversed(range(len(norm))) if keep_last else range(len(norm)):
            if key_of is None:
                key = (_key(a[i]), _key(b[i]), keys[i])
            else:
                key = (key_of(a[i], i), key_of(b[i], i), keys[i])
            if key not in seen:
                seen.add(key)
                keep.append(i)
        keep.sort()
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
        {"nan_unequal": True},
        {
            "en": "Rows that are equal except that both miss the same value are still there: "
            "NaN == NaN is False, so a key made of the raw floats never matches. Two missing "
            "values count as equal (rule 3): put None in place of NaN in each row's key.",
            "zh": "有些行除了在同一处都缺失之外完全相同，却仍然都在：NaN == NaN 的结果是 False，"
            "所以直接用浮点数构造的键永远匹配不上。两个缺失值视为相等（规则 3）："
            "构造每行的键时用 None 代替 NaN。",
        },
    ),
    (
        {"dedup_before_invalidate": True},
        {
            "en": "Rows that differ only in an impossible value (an age of -3 in one, 999 in the "
            "other) are duplicates: after rule 2 both are missing. Turn impossible values into "
            "NaN first (rule 2), then remove duplicates (rule 3).",
            "zh": "只在一个不可能的值上不同的两行（一行年龄是 -3，另一行是 999）是重复行："
            "执行规则 2 之后两者都是缺失值。先把不可能的值变成 NaN（规则 2），再删除重复行（规则 3）。",
        },
    ),
    (
        {"keep_last": True},
        {
            "en": "You kept the last of several identical rows; rule 3 keeps the first one, "
            "in its original place, and drops the later copies.",
            "zh": "几行完全相同时你保留了最后一行；规则 3 要求保留第一次出现的那一行（留在原来的位置），"
            "删除后面的重复行。",
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
        {"outliers_invalid": True},
        {
            "en": "A very large income (several hundred thousand a year) is possible: it is an "
            "outlier, not an error, so keep it (rule 2). Only a negative income is impossible.",
            "zh": "很高的收入（每年几十万）是可能的：它是离群值而不是错误，要保留（规则 2）。"
            "只有负的收入才不可能。",
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
    if not isinstance(value, np.ndarray) or value.dtype.kind != "f":
        kind = value.type_name if isinstance(value, RemoteObject) else type(value).__name__
        kind_zh = kind
        if isinstance(value, np.ndarray):
            kind, kind_zh = f"an array of dtype {value.dtype}", f"dtype 为 {value.dtype} 的数组"
        fail(
            {
                "en": f"{name} must be a 1-D NumPy float array, got {kind}.",
                "zh": f"{name} 必须是一维 NumPy 浮点数组，得到的是 {kind_zh}。",
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
    for i, (g, w) in enumerate(zip(got["city"], want["city"], strict=True)):
        expect_equal(f"result['city'][{i}]", g, w)  # the first wrong city, by its row
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


@check(
    points=2,
    title={
        "en": "Duplicate rows with missing and impossible values",
        "zh": "含缺失值和不可能值的重复行",
    },
)
def duplicates_with_gaps(ctx):
    table = _missing_twins(ctx.rng, _table(ctx.rng, duplicates=False))
    _compare(ctx, table)


@check(points=3, title={"en": "A table with every problem at once", "zh": "所有问题同时出现的表"})
def everything(ctx):
    table = _table(ctx.rng)
    _compare(ctx, table)


@check(points=1, title={"en": "The input table is left alone", "zh": "不改动输入的表"})
def input_unchanged(ctx):
    table = _missing_twins(ctx.rng, _table(ctx.rng))
    got = expect_inputs_unchanged("clean_table(table)", ctx.learner.clean_table, table)
    _result(got)
