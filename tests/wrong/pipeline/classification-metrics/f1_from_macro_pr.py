"""Computes macro F1 as the harmonic mean of macro precision and macro recall."""

import numpy as np


def confusion_matrix(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    classes = np.unique(np.concatenate([y_true, y_pred]))
    C = np.zeros((len(classes), len(classes)), dtype=np.int64)
    for t, p in zip(
        np.searchsorted(classes, y_true), np.searchsorted(classes, y_pred), strict=True
    ):
        C[t, p] += 1
    return C


def accuracy_score(y_true, y_pred):
    return float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))


def _counts(y_true, y_pred, average):
    if average not in ("binary", "macro", "micro"):
        raise ValueError(average)
    C = confusion_matrix(y_true, y_pred)
    tp = np.diag(C).astype(float)
    fp = C.sum(axis=0) - tp
    fn = C.sum(axis=1) - tp
    if average == "micro":
        return tp.sum(), fp.sum(), fn.sum()
    if average == "binary":
        classes = list(np.unique(np.concatenate([y_true, y_pred])))
        if 1 not in classes:
            return 0.0, 0.0, 0.0
        i = classes.index(1)
        return tp[i], fp[i], fn[i]
    return tp, fp, fn


def _safe(num, den, zd):
    num, den = np.asarray(num, float), np.asarray(den, float)
    return np.where(den > 0, num / np.where(den > 0, den, 1), zd)


def precision_score(y_true, y_pred, average="binary", zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred, average)
    return float(np.mean(_safe(tp, tp + fp, zero_division)))


def recall_score(y_true, y_pred, average="binary", zero_division=0.0):
    tp, fp, fn = _counts(y_true, y_pred, average)
    return float(np.mean(_safe(tp, tp + fn, zero_division)))


def f1_score(y_true, y_pred, average="binary", zero_division=0.0):
    if average == "macro":
        p = precision_score(y_true, y_pred, "macro", zero_division)
        r = recall_score(y_true, y_pred, "macro", zero_division)
        return 2 * p * r / (p + r) if p + r > 0 else float(zero_division)
    tp, fp, fn = _counts(y_true, y_pred, average)
    return float(_safe(2 * tp, 2 * tp + fp + fn, zero_division))
