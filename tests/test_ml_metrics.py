"""lmschool.ml.metrics agrees with scikit-learn on random inputs, corner cases included."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as skm

from lmschool.ml import metrics

FAST = settings(max_examples=40, deadline=None)


def label_pairs(n_labels: int, max_size: int = 25):
    """(y_true, y_pred) of equal length with labels drawn from range(n_labels)."""
    return st.integers(1, max_size).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, n_labels - 1), min_size=n, max_size=n),
            st.lists(st.integers(0, n_labels - 1), min_size=n, max_size=n),
        )
    )


def _sk(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns on zero division; we compare values
        return fn(*args, **kwargs)


PRF = [
    (metrics.precision_score, skm.precision_score),
    (metrics.recall_score, skm.recall_score),
    (metrics.f1_score, skm.f1_score),
]


@FAST
@given(pair=label_pairs(2), pos_label=st.sampled_from([0, 1]), zd=st.sampled_from([0.0, 1.0]))
def test_binary_precision_recall_f1_match_sklearn(pair, pos_label, zd) -> None:
    y_true, y_pred = pair
    for ours, theirs in PRF:
        expected = _sk(theirs, y_true, y_pred, pos_label=pos_label, zero_division=zd)
        got = ours(y_true, y_pred, pos_label=pos_label, zero_division=zd)
        assert got == pytest.approx(expected), (ours.__name__, y_true, y_pred)


@FAST
@given(
    pair=label_pairs(4),
    average=st.sampled_from(["macro", "micro"]),
    zd=st.sampled_from([0.0, 1.0, "warn"]),
)
def test_multiclass_averages_match_sklearn(pair, average, zd) -> None:
    y_true, y_pred = pair
    sk_zd = 0.0 if zd == "warn" else zd
    for ours, theirs in PRF:
        expected = _sk(theirs, y_true, y_pred, average=average, zero_division=sk_zd)
        assert ours(y_true, y_pred, average=average, zero_division=zd) == pytest.approx(expected)


@FAST
@given(pair=label_pairs(3))
def test_accuracy_and_confusion_matrix_match_sklearn(pair) -> None:
    y_true, y_pred = pair
    assert metrics.accuracy_score(y_true, y_pred) == pytest.approx(
        skm.accuracy_score(y_true, y_pred)
    )
    np.testing.assert_array_equal(
        metrics.confusion_matrix(y_true, y_pred), _sk(skm.confusion_matrix, y_true, y_pred)
    )
    labels = [2, 0, 1, 5]  # unsorted, one absent: rows and columns follow this order
    np.testing.assert_array_equal(
        metrics.confusion_matrix(y_true, y_pred, labels=labels),
        skm.confusion_matrix(y_true, y_pred, labels=labels),
    )


def test_confusion_matrix_layout_and_string_labels() -> None:
    cm = metrics.confusion_matrix(["cat", "dog", "dog", "cat"], ["cat", "cat", "dog", "dog"])
    np.testing.assert_array_equal(cm, [[1, 1], [1, 1]])
    np.testing.assert_array_equal(
        metrics.confusion_matrix([0, 1, 1, 1], [0, 0, 1, 1]), [[1, 0], [1, 2]]
    )


def test_binary_average_rejects_multiclass_and_unknown_pos_label() -> None:
    with pytest.raises(ValueError, match="macro"):
        metrics.f1_score([0, 1, 2], [0, 1, 1])
    with pytest.raises(ValueError, match="pos_label"):
        metrics.precision_score([0, 2, 2], [2, 0, 0])
    with pytest.raises(ValueError, match="average"):
        metrics.recall_score([0, 1], [0, 1], average="weighted")
    with pytest.raises(ValueError, match="zero_division"):
        metrics.recall_score([0, 1], [0, 1], zero_division=0.5)
    with pytest.raises(ValueError, match="y_pred"):
        metrics.accuracy_score([0, 1, 1], [0, 1])


@FAST
@given(
    data=st.integers(2, 30).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(
                lambda y: 0 < sum(y) < len(y)
            ),
            st.lists(st.integers(-3, 3), min_size=n, max_size=n),  # small ints: many ties
        )
    )
)
def test_roc_auc_matches_sklearn_with_ties(data) -> None:
    y_true, y_score = data
    assert metrics.roc_auc_score(y_true, y_score) == pytest.approx(
        skm.roc_auc_score(y_true, y_score)
    )


def test_roc_auc_positive_class_is_the_larger_label_and_one_class_is_an_error() -> None:
    assert metrics.roc_auc_score(["a", "b", "b"], [0.1, 0.2, 0.9]) == 1.0
    assert metrics.roc_auc_score([-1, 1, 1], [0.9, 0.2, 0.1]) == 0.0
    with pytest.raises(ValueError, match="two classes"):
        metrics.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3])


finite = st.floats(-100, 100, allow_nan=False)


@FAST
@given(
    data=st.integers(1, 20).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(-2, 2).map(float) | finite, min_size=n, max_size=n),
            st.lists(st.integers(-2, 2).map(float) | finite, min_size=n, max_size=n),
        )
    )
)
def test_regression_metrics_match_sklearn(data) -> None:
    y_true, y_pred = data
    assert metrics.mean_squared_error(y_true, y_pred) == pytest.approx(
        skm.mean_squared_error(y_true, y_pred), rel=1e-9, abs=1e-12
    )
    assert metrics.mean_absolute_error(y_true, y_pred) == pytest.approx(
        skm.mean_absolute_error(y_true, y_pred), rel=1e-9, abs=1e-12
    )
    assert metrics.root_mean_squared_error(y_true, y_pred) == pytest.approx(
        skm.root_mean_squared_error(y_true, y_pred), rel=1e-9, abs=1e-12
    )
    if len(y_true) >= 2:  # sklearn returns NaN and warns below two samples, as do we
        assert metrics.r2_score(y_true, y_pred) == pytest.approx(
            skm.r2_score(y_true, y_pred), rel=1e-9, abs=1e-9
        )
    else:
        assert np.isnan(metrics.r2_score(y_true, y_pred))


def test_r2_constant_target_and_multioutput() -> None:
    assert metrics.r2_score([3.0, 3.0], [3.0, 3.0]) == 1.0 == skm.r2_score([3.0, 3.0], [3.0, 3.0])
    assert metrics.r2_score([3.0, 3.0], [3.0, 2.0]) == 0.0 == skm.r2_score([3.0, 3.0], [3.0, 2.0])
    rng = np.random.default_rng(0)
    Y, P = rng.normal(size=(10, 3)), rng.normal(size=(10, 3))
    assert metrics.r2_score(Y, P) == pytest.approx(skm.r2_score(Y, P))
    assert metrics.mean_squared_error(Y, P) == pytest.approx(skm.mean_squared_error(Y, P))
    # RMSE of a 2-D y: the mean of the per-column RMSEs, not sqrt of the overall MSE
    assert metrics.root_mean_squared_error(Y, P) == pytest.approx(skm.root_mean_squared_error(Y, P))
    assert metrics.root_mean_squared_error(Y, P) != pytest.approx(
        np.sqrt(metrics.mean_squared_error(Y, P))
    )
    with pytest.raises(ValueError, match="shape"):
        metrics.mean_squared_error([1.0, 2.0], [1.0])


@FAST
@given(
    data=st.integers(2, 20).flatmap(
        lambda n: st.tuples(
            st.lists(st.integers(0, 1), min_size=n, max_size=n).filter(
                lambda y: 0 < sum(y) < len(y)
            ),
            st.lists(st.sampled_from([0.0, 1.0, 0.5]) | st.floats(0, 1), min_size=n, max_size=n),
        )
    )
)
def test_binary_log_loss_matches_sklearn_even_at_0_and_1(data) -> None:
    y_true, p = data
    expected = _sk(skm.log_loss, y_true, p)
    assert metrics.log_loss(y_true, p) == pytest.approx(expected, rel=1e-9)
    two_col = np.stack([1 - np.array(p), p], axis=1)
    assert metrics.log_loss(y_true, two_col) == pytest.approx(expected, rel=1e-9)


def test_multiclass_log_loss_and_labels() -> None:
    rng = np.random.default_rng(1)
    P = rng.dirichlet(np.ones(3), size=12)
    y = rng.integers(0, 3, size=12)
    y[:3] = [0, 1, 2]
    assert metrics.log_loss(y, P) == pytest.approx(skm.log_loss(y, P))
    y_names = np.array(["b", "a", "c"])[y]  # columns follow the SORTED labels: a, b, c
    assert metrics.log_loss(y_names, P) == pytest.approx(skm.log_loss(y_names, P))
    assert metrics.log_loss([1, 1], [[0.2, 0.8], [0.4, 0.6]], labels=[0, 1]) == pytest.approx(
        skm.log_loss([1, 1], [[0.2, 0.8], [0.4, 0.6]], labels=[0, 1])
    )
    with pytest.raises(ValueError, match="labels"):
        metrics.log_loss([1, 1], [0.5, 0.5])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        metrics.log_loss([0, 1], [1.5, 0.5])
    with pytest.raises(ValueError, match="columns"):
        metrics.log_loss([0, 1, 2], [[0.5, 0.5]] * 3)
