"""Scoring predictions: classification counts, ranking, regression error, log-loss.

All functions take (y_true, y_pred) in that order, as scikit-learn does, and return
a Python float (or an array for confusion_matrix). They match scikit-learn's values,
including its conventions for the corner cases:

- zero_division: when a ratio has a zero denominator (no predicted positives for
  precision, no actual positives for recall), return this value (0.0 or 1.0;
  "warn" means 0.0 here, without the warning).
- r2_score: a constant y_true gives 1.0 for a perfect prediction, otherwise 0.0.
- roc_auc_score: needs both classes in y_true.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._validation import check_array, check_consistent_length

_AVERAGES = ("binary", "macro", "micro")


def _check_labels(y_true: Any, y_pred: Any, pred_name: str = "y_pred") -> tuple[np.ndarray, ...]:
    y_true = check_array(y_true, "y_true", ndim=1, numeric=False)
    y_pred = check_array(y_pred, pred_name, ndim=1, numeric=False)
    check_consistent_length(y_true=y_true, **{pred_name: y_pred})
    return y_true, y_pred


def _positions(y: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each element of y: its index in labels, and whether it was found."""
    match = y[:, None] == labels[None, :]  # (N, L)
    return match.argmax(axis=1), match.any(axis=1)


# ------------------------------------------------------------------ classification


def accuracy_score(y_true: Any, y_pred: Any) -> float:
    """Fraction of predictions equal to the truth: mean(y_true == y_pred)."""
    y_true, y_pred = _check_labels(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true: Any, y_pred: Any, *, labels: Any = None) -> np.ndarray:
    """C[i, j] = number of samples whose true label is labels[i] and predicted labels[j].

    Rows are the truth, columns the prediction, so the diagonal holds the correct
    ones. labels defaults to the sorted union of both arrays; samples whose label is
    not in labels are left out.

    For binary labels [0, 1]:   [[TN, FP],
                                 [FN, TP]]
    """
    y_true, y_pred = _check_labels(y_true, y_pred)
    labels = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    ti, t_found = _positions(y_true, labels)
    pi, p_found = _positions(y_pred, labels)
    keep = t_found & p_found
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)  # (L, L)
    np.add.at(cm, (ti[keep], pi[keep]), 1)
    return cm


def _divide(num: np.ndarray, den: np.ndarray, zero_division: float) -> np.ndarray:
    safe = np.where(den == 0, 1, den)
    return np.where(den == 0, zero_division, num / safe)


def _counts(
    y_true: Any, y_pred: Any, average: str, pos_label: Any, zero_division: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Per-label true positives, false positives, false negatives, as the average wants."""
    if average not in _AVERAGES:
        raise ValueError(f"average must be one of {_AVERAGES}, got {average!r}")
    if zero_division == "warn":
        zero_division = 0.0
    if zero_division not in (0, 1):
        raise ValueError(f"zero_division must be 0.0, 1.0 or 'warn', got {zero_division!r}")
    y_true, y_pred = _check_labels(y_true, y_pred)
    present = np.unique(np.concatenate([y_true, y_pred]))
    if average == "binary":
        if len(present) > 2:
            raise ValueError(
                f"average='binary' but the labels have {len(present)} classes "
                f"({present.tolist()}); use average='macro' or 'micro'"
            )
        if len(present) == 2 and pos_label not in present.tolist():
            raise ValueError(f"pos_label={pos_label!r} is not one of the labels {present.tolist()}")
        labels = np.array([pos_label])
    else:
        labels = present
    is_true = y_true[:, None] == labels[None, :]  # (N, L) one column per label
    is_pred = y_pred[:, None] == labels[None, :]  # (N, L)
    tp = (is_true & is_pred).sum(axis=0)  # (L,)
    fp = (~is_true & is_pred).sum(axis=0)
    fn = (is_true & ~is_pred).sum(axis=0)
    if average == "micro":  # pool the counts over labels first, then take one ratio
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)
    return tp, fp, fn, float(zero_division)


def precision_score(
    y_true: Any,
    y_pred: Any,
    *,
    average: str = "binary",
    pos_label: Any = 1,
    zero_division: Any = "warn",
) -> float:
    """Of the samples predicted positive, the fraction that are: TP / (TP + FP).

    average="binary": for the class pos_label only. "macro": the plain mean of the
    per-class precisions (every class counts the same, however rare). "micro": pool
    TP and FP over all classes first (for single-label multiclass data this equals
    accuracy).
    """
    tp, fp, _, zd = _counts(y_true, y_pred, average, pos_label, zero_division)
    return float(np.mean(_divide(tp, tp + fp, zd)))


def recall_score(
    y_true: Any,
    y_pred: Any,
    *,
    average: str = "binary",
    pos_label: Any = 1,
    zero_division: Any = "warn",
) -> float:
    """Of the samples that are positive, the fraction found: TP / (TP + FN)."""
    tp, _, fn, zd = _counts(y_true, y_pred, average, pos_label, zero_division)
    return float(np.mean(_divide(tp, tp + fn, zd)))


def f1_score(
    y_true: Any,
    y_pred: Any,
    *,
    average: str = "binary",
    pos_label: Any = 1,
    zero_division: Any = "warn",
) -> float:
    """Harmonic mean of precision and recall: 2PR / (P + R) = 2TP / (2TP + FP + FN).

    The second form is what is computed: it is defined even when precision alone is
    not (no predicted positives), and only 2TP + FP + FN = 0 (no positives anywhere)
    falls back to zero_division.
    """
    tp, fp, fn, zd = _counts(y_true, y_pred, average, pos_label, zero_division)
    return float(np.mean(_divide(2 * tp, 2 * tp + fp + fn, zd)))


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks of x; tied values share the mean of the ranks they span."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    starts = np.r_[True, xs[1:] != xs[:-1]]  # (N,) True where a run of ties begins
    first = np.flatnonzero(starts)  # (G,) sorted position of each run's start
    size = np.diff(np.r_[first, len(x)])  # (G,) run lengths
    mean_rank = first + (size + 1) / 2  # ranks first+1 .. first+size average to this
    ranks = np.empty(len(x))
    ranks[order] = mean_rank[np.cumsum(starts) - 1]
    return ranks


def roc_auc_score(y_true: Any, y_score: Any) -> float:
    """Area under the ROC curve, for binary labels (the larger label is positive).

    It equals the probability that a random positive sample scores higher than a
    random negative one (ties count one half). Computed from ranks (the
    Mann-Whitney U statistic):

        AUC = (sum of the positives' ranks - P(P+1)/2) / (P * N)

    with P positives and N negatives. Only the order of the scores matters, so
    decision_function values work as well as probabilities.
    """
    y_true = check_array(y_true, "y_true", ndim=1, numeric=False)
    y_score = check_array(y_score, "y_score", ndim=1)
    check_consistent_length(y_true=y_true, y_score=y_score)
    classes = np.unique(y_true)
    if len(classes) != 2:
        raise ValueError(
            f"roc_auc_score needs exactly two classes in y_true, found {classes.tolist()}; "
            "ROC AUC is not defined otherwise"
        )
    positive = y_true == classes[1]
    n_pos, n_neg = positive.sum(), (~positive).sum()
    rank_sum = _average_ranks(y_score)[positive].sum()
    return float((rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def log_loss(y_true: Any, y_proba: Any, *, labels: Any = None) -> float:
    """Mean cross-entropy of predicted probabilities: -mean(log p[true class]).

    y_proba is (N, K) with one column per class in sorted label order (as
    predict_proba returns), or (N,) for the probability of the larger of two labels.
    Probabilities are clipped to [eps, 1 - eps] (eps = 2.2e-16) so that a confident
    wrong answer costs about 36, not infinity. labels: all classes, when y_true
    might not contain every one.
    """
    y_true = check_array(y_true, "y_true", ndim=1, numeric=False)
    y_proba = np.asarray(y_proba, dtype=np.float64)
    if y_proba.ndim not in (1, 2):
        raise ValueError(
            f"y_proba must be (n_samples,) or (n_samples, n_classes), got {y_proba.shape}"
        )
    check_consistent_length(y_true=y_true, y_proba=y_proba)
    if np.isnan(y_proba).any() or y_proba.min() < 0 or y_proba.max() > 1:
        raise ValueError("y_proba must hold probabilities in [0, 1]")
    classes = np.unique(y_true if labels is None else np.asarray(labels))
    if len(classes) < 2:
        raise ValueError(
            f"y_true contains only one label ({classes.tolist()}); pass all classes "
            "with labels=[...]"
        )
    pos, found = _positions(y_true, classes)
    if not found.all():
        raise ValueError(f"y_true has labels not in labels={classes.tolist()}")
    if y_proba.ndim == 1 or y_proba.shape[1] == 1:
        p1 = y_proba.reshape(-1)
        y_proba = np.stack([1 - p1, p1], axis=1)  # (N, 2)
    if y_proba.shape[1] != len(classes):
        raise ValueError(
            f"y_proba has {y_proba.shape[1]} columns but there are {len(classes)} classes "
            f"{classes.tolist()}"
        )
    eps = np.finfo(np.float64).eps
    p_true = np.clip(y_proba, eps, 1 - eps)[np.arange(len(y_true)), pos]  # (N,)
    return float(-np.mean(np.log(p_true)))


# ------------------------------------------------------------------------ regression


def _check_regression(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    if y_true.ndim not in (1, 2):
        raise ValueError(f"y_true must be 1-D or 2-D, got shape {y_true.shape}")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true has shape {y_true.shape} but y_pred has {y_pred.shape}")
    if len(y_true) == 0:
        raise ValueError("y_true is empty")
    if not (np.isfinite(y_true).all() and np.isfinite(y_pred).all()):
        raise ValueError("y_true and y_pred must not contain NaN or infinity")
    return y_true, y_pred


def mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """mean((y - y_hat)^2): the loss linear regression minimises; in squared units."""
    y_true, y_pred = _check_regression(y_true, y_pred)
    return float(np.mean((y_true - y_pred) ** 2))


def mean_absolute_error(y_true: Any, y_pred: Any) -> float:
    """mean(|y - y_hat|): in the units of y, and less swayed by outliers than MSE."""
    y_true, y_pred = _check_regression(y_true, y_pred)
    return float(np.mean(np.abs(y_true - y_pred)))


def root_mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """sqrt(MSE): back in the units of y. Columns of a 2-D y are scored separately and
    averaged, as scikit-learn does (so it is not the square root of a 2-D MSE)."""
    y_true, y_pred = _check_regression(y_true, y_pred)
    return float(np.mean(np.sqrt(np.mean((y_true - y_pred) ** 2, axis=0))))


def r2_score(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination: 1 - SS_res / SS_tot.

    SS_res = sum((y - y_hat)^2), SS_tot = sum((y - mean(y))^2). 1 is perfect, 0 is no
    better than always predicting the mean, and it is negative for worse. Columns of a
    2-D y are scored separately and averaged. Fewer than two samples give NaN.
    """
    y_true, y_pred = _check_regression(y_true, y_pred)
    if len(y_true) < 2:
        return float("nan")
    ss_res = ((y_true - y_pred) ** 2).sum(axis=0)  # (K,) or scalar
    ss_tot = ((y_true - y_true.mean(axis=0)) ** 2).sum(axis=0)
    constant = ss_tot == 0  # y_true constant: 1 if predicted exactly, else 0
    r2 = np.where(
        constant, np.where(ss_res == 0, 1.0, 0.0), 1 - ss_res / np.where(constant, 1, ss_tot)
    )
    return float(np.mean(r2))
