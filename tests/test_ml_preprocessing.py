"""lmschool.ml.preprocessing against scikit-learn: scalers, encoder, imputer, splits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import impute as ski
from sklearn import model_selection as skms
from sklearn import preprocessing as skp

from lmschool.ml import (
    KFold,
    MinMaxScaler,
    OneHotEncoder,
    SimpleImputer,
    StandardScaler,
    StratifiedKFold,
    train_test_split,
)

FAST = settings(max_examples=40, deadline=None)
tables = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=8),
    # No tiny non-zero values: a column whose spread is below ~1e-15 counts as constant
    # here (scale 1), where scikit-learn still divides by it.
    elements=st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-6)
    | st.integers(-3, 3).map(float),
)


# ---------------------------------------------------------------------------- scalers


@FAST
@given(X=tables, with_mean=st.booleans(), with_std=st.booleans())
def test_standard_scaler_matches_sklearn(X, with_mean, with_std) -> None:
    ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    theirs = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(ours.mean_, X.mean(axis=0))
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-9, atol=1e-9)


def test_standard_scaler_constant_column_and_train_statistics() -> None:
    X = np.array([[1.0, 0.1], [2.0, 0.1], [3.0, 0.1]])
    scaler = StandardScaler().fit(X)
    np.testing.assert_array_equal(scaler.scale_[1], 1.0)
    np.testing.assert_allclose(scaler.transform(X)[:, 1], 0.0, atol=1e-15)
    np.testing.assert_allclose(scaler.var_, [2 / 3, 0.0], atol=1e-15)  # ddof=0
    # new data is scaled with the TRAINING statistics
    np.testing.assert_allclose(
        scaler.transform([[5.0, 0.1]]), [[3 / math.sqrt(2 / 3), 0.0]], atol=1e-15
    )


@FAST
@given(X=tables, lo=st.integers(-5, 0), width=st.integers(1, 5))
def test_min_max_scaler_matches_sklearn(X, lo, width) -> None:
    rng = (lo, lo + width)
    ours = MinMaxScaler(feature_range=rng).fit(X)
    theirs = skp.MinMaxScaler(feature_range=rng).fit(X)
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(ours.scale_, theirs.scale_)
    np.testing.assert_allclose(ours.min_, theirs.min_)
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-9, atol=1e-6)


def test_min_max_scaler_rejects_an_empty_range() -> None:
    with pytest.raises(ValueError, match="feature_range"):
        MinMaxScaler(feature_range=(1, 1)).fit([[0.0], [1.0]])


# ---------------------------------------------------------------------------- encoder


@pytest.mark.parametrize(
    "X",
    [
        np.array([["red", "S"], ["green", "M"], ["red", "L"], ["blue", "M"]]),
        np.array([[3, 10], [1, 10], [2, 20]]),
        np.array([["a", 1], ["b", 2], ["a", 3]], dtype=object),
    ],
    ids=["strings", "ints", "object"],
)
def test_one_hot_encoder_matches_sklearn(X) -> None:
    ours = OneHotEncoder().fit(X)
    theirs = skp.OneHotEncoder(sparse_output=False).fit(X)
    np.testing.assert_array_equal(ours.transform(X), theirs.transform(X))
    for a, b in zip(ours.categories_, theirs.categories_, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(ours.get_feature_names_out(), theirs.get_feature_names_out())


def test_one_hot_encoder_unknown_categories() -> None:
    X = np.array([["red"], ["green"]])
    with pytest.raises(ValueError, match="'blue'.*not seen in fit"):
        OneHotEncoder().fit(X).transform([["blue"]])
    ignore = OneHotEncoder(handle_unknown="ignore").fit(X)
    sk = skp.OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(X)
    new = np.array([["blue"], ["red"]])
    np.testing.assert_array_equal(ignore.transform(new), sk.transform(new))
    np.testing.assert_array_equal(ignore.transform(new), [[0, 0], [0, 1]])
    with pytest.raises(ValueError, match="handle_unknown"):
        OneHotEncoder(handle_unknown="skip").fit(X)


def test_one_hot_encoder_given_categories_and_bad_columns() -> None:
    enc = OneHotEncoder(categories=[["S", "M", "L"]]).fit([["M"], ["S"]])
    np.testing.assert_array_equal(enc.transform([["L"], ["S"]]), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match=r"categories\[0\]"):
        OneHotEncoder(categories=[["S", "M"]]).fit([["XL"]])
    with pytest.raises(ValueError, match="one list of categories per column"):
        OneHotEncoder(categories=[["a"], ["b"]]).fit([["a"]])
    with pytest.raises(ValueError, match="mixes types"):
        OneHotEncoder().fit(np.array([["a"], [1]], dtype=object))
    with pytest.raises(ValueError, match="missing"):
        OneHotEncoder().fit(np.array([["a"], [None]], dtype=object))


# ---------------------------------------------------------------------------- imputer


@FAST
@given(
    X=hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=8),
        elements=st.integers(-3, 3).map(float) | st.just(np.nan) | st.floats(-10, 10),
    ),
    strategy=st.sampled_from(["mean", "median", "most_frequent", "constant"]),
)
def test_simple_imputer_matches_sklearn(X, strategy) -> None:
    X[0] = np.where(np.isnan(X[0]), 1.0, X[0])  # no column entirely missing
    ours = SimpleImputer(strategy=strategy, fill_value=-7.0).fit(X)
    theirs = ski.SimpleImputer(strategy=strategy, fill_value=-7.0).fit(X)
    np.testing.assert_allclose(ours.statistics_, theirs.statistics_.astype(float))
    np.testing.assert_allclose(ours.transform(X), theirs.transform(X))


def test_simple_imputer_errors_name_the_problem() -> None:
    X = np.array([[1.0, np.nan], [2.0, np.nan]])
    with pytest.raises(ValueError, match=r"columns \[1\] are entirely missing"):
        SimpleImputer().fit(X)
    np.testing.assert_array_equal(
        SimpleImputer(strategy="constant").fit_transform(X), [[1, 0], [2, 0]]
    )
    with pytest.raises(ValueError, match="strategy"):
        SimpleImputer(strategy="mode").fit(X)
    with pytest.raises(ValueError, match="fill_value"):
        SimpleImputer(strategy="constant", fill_value="missing").fit(X)


# ---------------------------------------------------------------------------- splits


@pytest.mark.parametrize("n, test_size", [(10, 0.25), (7, 0.3), (100, 0.2), (9, 3), (5, 0.5)])
def test_train_test_split_sizes_match_sklearn(n, test_size) -> None:
    X, y = np.arange(2 * n).reshape(n, 2), np.arange(n)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=test_size, random_state=0)
    sk_tr, sk_te = skms.train_test_split(y, test_size=test_size, random_state=0)
    assert (len(y_tr), len(y_te)) == (len(sk_tr), len(sk_te))
    np.testing.assert_array_equal(X_tr[:, 0] // 2, y_tr)  # rows stay aligned across arrays
    np.testing.assert_array_equal(np.sort(np.concatenate([y_tr, y_te])), y)


def test_train_test_split_seed_shuffle_and_errors() -> None:
    y = np.arange(20)
    a = train_test_split(y, random_state=3)
    b = train_test_split(y, random_state=3)
    np.testing.assert_array_equal(a[1], b[1])
    tr, te = train_test_split(y, shuffle=False, test_size=5)
    np.testing.assert_array_equal(tr, np.arange(15))
    np.testing.assert_array_equal(te, np.arange(15, 20))
    tr, te = train_test_split([[1], [2], [3], [4]], test_size=0.5, random_state=0)
    assert tr.shape == (2, 1)  # lists come back as arrays
    with pytest.raises(ValueError, match=r"arrays\[0\] has 20, arrays\[1\] has 19"):
        train_test_split(y, y[:-1])
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(y, test_size=1.5)
    with pytest.raises(ValueError, match="test_size"):
        train_test_split(y, test_size=20)
    with pytest.raises(ValueError, match="shuffle"):
        train_test_split(y, stratify=y % 2, shuffle=False)
    with pytest.raises(ValueError, match="only 1 member"):
        train_test_split(y, stratify=np.r_[np.zeros(19), 1])


@FAST
@given(
    counts=st.lists(st.integers(2, 30), min_size=2, max_size=4),
    test_size=st.floats(0.1, 0.6),
    seed=st.integers(0, 1000),
)
def test_stratified_split_keeps_class_shares(counts, test_size, seed) -> None:
    y = np.repeat(np.arange(len(counts)), counts)
    n_test = math.ceil(test_size * len(y))
    if n_test >= len(y):
        return
    _, y_te = train_test_split(y, test_size=test_size, stratify=y, random_state=seed)
    assert len(y_te) == n_test
    ideal = n_test * np.array(counts) / len(y)
    assert np.all(np.abs(np.bincount(y_te, minlength=len(counts)) - ideal) < 1)


@pytest.mark.parametrize("n, k", [(10, 5), (11, 3), (7, 7), (23, 4)])
def test_kfold_matches_sklearn_without_shuffle(n, k) -> None:
    ours = [(tr.tolist(), te.tolist()) for tr, te in KFold(k).split(np.zeros((n, 1)))]
    theirs = [(tr.tolist(), te.tolist()) for tr, te in skms.KFold(k).split(np.zeros((n, 1)))]
    assert ours == theirs


def test_kfold_shuffled_folds_partition_the_rows() -> None:
    folds = list(KFold(4, shuffle=True, random_state=0).split(np.zeros(22)))
    tests = np.concatenate([te for _, te in folds])
    np.testing.assert_array_equal(np.sort(tests), np.arange(22))
    assert [len(te) for _, te in folds] == [6, 6, 5, 5]
    for tr, te in folds:
        assert not set(tr) & set(te) and len(tr) + len(te) == 22
    again = list(KFold(4, shuffle=True, random_state=0).split(np.zeros(22)))
    assert all((a[1] == b[1]).all() for a, b in zip(folds, again, strict=True))
    assert not all((te == np.arange(len(te)) + i).all() for i, (_, te) in enumerate(folds))
    assert KFold(3).get_n_splits() == 3


def test_kfold_errors() -> None:
    with pytest.raises(ValueError, match="n_splits"):
        list(KFold(1).split(np.zeros(5)))
    with pytest.raises(ValueError, match="more than the 3 samples"):
        list(KFold(5).split(np.zeros(3)))
    with pytest.raises(ValueError, match="random_state"):
        list(KFold(2, random_state=0).split(np.zeros(4)))


@FAST
@given(
    y=st.lists(st.integers(0, 2), min_size=6, max_size=40).filter(
        lambda y: max(np.bincount(y)) >= 3
    ),
    k=st.integers(2, 3),
)
def test_stratified_kfold_matches_sklearn_without_shuffle(y, k) -> None:
    y = np.array(y)
    X = np.zeros((len(y), 1))
    with pytest.warns(UserWarning) if np.bincount(y)[np.unique(y)].min() < k else _no_warning():
        ours = [(tr.tolist(), te.tolist()) for tr, te in StratifiedKFold(k).split(X, y)]
    with pytest.warns(UserWarning) if np.bincount(y)[np.unique(y)].min() < k else _no_warning():
        theirs = [(tr.tolist(), te.tolist()) for tr, te in skms.StratifiedKFold(k).split(X, y)]
    assert ours == theirs


class _no_warning:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_stratified_kfold_shuffled_keeps_per_fold_class_counts() -> None:
    y = np.repeat([0, 1, 2], [10, 6, 4])
    plain = [np.bincount(y[te], minlength=3) for _, te in StratifiedKFold(2).split(y, y)]
    shuffled = list(StratifiedKFold(2, shuffle=True, random_state=1).split(y, y))
    assert [np.bincount(y[te], minlength=3).tolist() for _, te in shuffled] == [
        c.tolist() for c in plain
    ]
    np.testing.assert_array_equal(
        np.sort(np.concatenate([te for _, te in shuffled])), np.arange(20)
    )
    with pytest.raises(ValueError, match="needs y"):
        list(StratifiedKFold(2).split(y))
    with pytest.raises(ValueError, match="fewer splits"):
        list(StratifiedKFold(5).split(np.zeros(6), [0, 0, 1, 1, 2, 2]))
