"""Confusion matrix by np.bincount of a flattened (true, predicted) index; each score computes its own
per-class counts with boolean masks; F1 from the harmonic mean where both parts are defined."""

import numpy as np

AVERAGES = ("binary", "macro", "micro")


def confusion_matrix(y_true, y_pred):
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    classes, inverse = np.unique(np.concatenate([y_true, y_pred]), return_inverse=True)
    k = len(classes)
    t_idx, p_idx = inverse[: len(y_true)], inverse[len(y_true) :]
    return np.bincount(t_idx * k + p_idx, minlength=k * k).reshape(k, k)


def accuracy_score(y_true, y_pred):
    return float((np.asarray(y_true) == np.asarray(y_pred)).sum() / np.asarray(y_true).size)


def _tp_fp_fn(y_true, y_pred, average):
    if average not in AVERAGES:
        raise ValueError(f"average={average!r}; use one of {AVERAGES}")
    y_true = np.asarray(y_true).reshape(-1)
    y_pred = np.asarray(y_pred).reshape(-1)
    classes = [1] if average == "binary" else np.unique(np.concatenate([y_true, y_pred]))
    tp = np.array([np.sum((y_true == c) & (y_pred == c)) for c in classes], dtype=float)
    fp = np.array([np.sum((y_true != c) & (y_pred == c)) for c in classes], dtype=float)
    fn = np.array([np.sum((y_true == c) & (y_pred != c)) for c in classes], dtype=float)
    if average == "micro":
        tp, fp, fn = tp.sum(keepdims=True), fp.sum(keepdims=True), fn.sum(keepdims=True)
    return tp, fp, fn


def _safe(num, den, zero_division):
    out = np.full(num.shape, float(zero_division))
    ok = den != 0
    out[ok] = num[ok] / den[ok]
    return out


def precision_score(y_true, y_pred, average="binary", zero_division=0.0):
    tp, fp, _ = _tp_fp_fn(y_true, y_pred, average)
    return float(_safe(tp, tp + fp, zero_division).mean())


def recall_score(y_true, y_pred, average="binary", zero_division=0.0):
    tp, _, fn = _tp_fp_fn(y_true, y_pred, average)
    return float(_safe(tp, tp + fn, zero_division).mean())


def f1_score(y_true, y_pred, average="binary", zero_division=0.0):
    tp, fp, fn = _tp_fp_fn(y_true, y_pred, average)
    # 2PR / (P + R) equals 2TP / (2TP + FP + FN) when TP > 0; the count form also covers TP = 0.
    return float(_safe(2 * tp, 2 * tp + fp + fn, zero_division).mean())
