"""Swaps the macro and micro averages."""

import numpy as np


def _classes(y_true, y_pred):
    return np.unique(np.concatenate([np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()]))


def confusion_matrix(y_true, y_pred):
    """(K, K) counts: row = true class, column = predicted class, classes = sorted union of labels."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    classes = _classes(y_true, y_pred)
    C = np.zeros((len(classes), len(classes)), dtype=np.int64)
    # label -> its position in the sorted classes; add one count per (true, predicted) pair
    np.add.at(C, (np.searchsorted(classes, y_true), np.searchsorted(classes, y_pred)), 1)
    return C


def accuracy_score(y_true, y_pred):
    """Fraction of correct predictions."""
    return float(np.mean(np.asarray(y_true).ravel() == np.asarray(y_pred).ravel()))


def _ratio(num, den, zero_division):
    """num / den element-wise, with zero_division where den == 0 (never a NaN or a warning)."""
    num, den = np.asarray(num, dtype=np.float64), np.asarray(den, dtype=np.float64)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), float(zero_division))


def _score(y_true, y_pred, average, zero_division, numerator, denominator):
    """One metric from per-class counts: numerator(tp, fp, fn) / denominator(tp, fp, fn)."""
    if average not in ("binary", "macro", "micro"):
        raise ValueError(f"average must be 'binary', 'macro' or 'micro', got {average!r}")
    C = confusion_matrix(y_true, y_pred)
    tp = np.diag(C)  # (K,) correct predictions of each class
    fp = C.sum(axis=0) - tp  # predicted as the class, but of another class
    fn = C.sum(axis=1) - tp  # of the class, but predicted as another
    if average == "macro":
        tp, fp, fn = tp.sum(), fp.sum(), fn.sum()  # pool the counts, then one ratio
        return float(_ratio(numerator(tp, fp, fn), denominator(tp, fp, fn), zero_division))
    per_class = _ratio(numerator(tp, fp, fn), denominator(tp, fp, fn), zero_division)
    if average == "micro":
        return float(per_class.mean())  # every class counts the same, however rare
    classes = list(_classes(y_true, y_pred))  # binary: the positive class 1 only
    if 1 not in classes:
        return float(zero_division)  # no positive anywhere: every count is 0
    return float(per_class[classes.index(1)])


def precision_score(y_true, y_pred, average="binary", zero_division=0.0):
    """TP / (TP + FP), for class 1 ("binary") or averaged over classes ("macro", "micro")."""
    return _score(
        y_true, y_pred, average, zero_division, lambda tp, fp, fn: tp, lambda tp, fp, fn: tp + fp
    )


def recall_score(y_true, y_pred, average="binary", zero_division=0.0):
    """TP / (TP + FN), for class 1 ("binary") or averaged over classes ("macro", "micro")."""
    return _score(
        y_true, y_pred, average, zero_division, lambda tp, fp, fn: tp, lambda tp, fp, fn: tp + fn
    )


def f1_score(y_true, y_pred, average="binary", zero_division=0.0):
    """2TP / (2TP + FP + FN), for class 1 ("binary") or averaged over classes ("macro", "micro")."""
    return _score(
        y_true,
        y_pred,
        average,
        zero_division,
        lambda tp, fp, fn: 2 * tp,
        lambda tp, fp, fn: 2 * tp + fp + fn,
    )
