"""Plain Python counting (a Counter of (true, predicted) pairs, per-class dicts), no matrix algebra."""

from collections import Counter

import numpy as np


def _pairs(y_true, y_pred):
    t = [int(v) for v in np.ravel(y_true)]
    p = [int(v) for v in np.ravel(y_pred)]
    return t, p


def confusion_matrix(y_true, y_pred):
    t, p = _pairs(y_true, y_pred)
    labels = sorted(set(t) | set(p))
    where = {label: i for i, label in enumerate(labels)}
    counts = Counter(zip(t, p, strict=True))
    out = np.zeros((len(labels), len(labels)), dtype=int)
    for (a, b), c in counts.items():
        out[where[a], where[b]] = c
    return out


def accuracy_score(y_true, y_pred):
    t, p = _pairs(y_true, y_pred)
    return sum(a == b for a, b in zip(t, p, strict=True)) / len(t)


def _counts(t, p, label):
    tp = sum(1 for a, b in zip(t, p, strict=True) if a == label and b == label)
    fp = sum(1 for a, b in zip(t, p, strict=True) if a != label and b == label)
    fn = sum(1 for a, b in zip(t, p, strict=True) if a == label and b != label)
    return tp, fp, fn


def _divide(num, den, zero_division):
    return num / den if den else float(zero_division)


def _metric(y_true, y_pred, average, zero_division, num, den):
    t, p = _pairs(y_true, y_pred)
    if average == "binary":
        tp, fp, fn = _counts(t, p, 1)
        return _divide(num(tp, fp, fn), den(tp, fp, fn), zero_division)
    labels = sorted(set(t) | set(p))
    per_label = [_counts(t, p, label) for label in labels]
    if average == "macro":
        values = [_divide(num(*c), den(*c), zero_division) for c in per_label]
        return sum(values) / len(values)
    if average == "micro":
        tp, fp, fn = (sum(c[i] for c in per_label) for i in range(3))
        return _divide(num(tp, fp, fn), den(tp, fp, fn), zero_division)
    raise ValueError(f"unsupported average {average!r}")


def precision_score(y_true, y_pred, average="binary", zero_division=0.0):
    return _metric(
        y_true, y_pred, average, zero_division, lambda tp, fp, fn: tp, lambda tp, fp, fn: tp + fp
    )


def recall_score(y_true, y_pred, average="binary", zero_division=0.0):
    return _metric(
        y_true, y_pred, average, zero_division, lambda tp, fp, fn: tp, lambda tp, fp, fn: tp + fn
    )


def f1_score(y_true, y_pred, average="binary", zero_division=0.0):
    return _metric(
        y_true,
        y_pred,
        average,
        zero_division,
        lambda tp, fp, fn: 2 * tp,
        lambda tp, fp, fn: 2 * tp + fp + fn,
    )
