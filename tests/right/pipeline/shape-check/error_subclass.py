"""Its own exception classes (subclasses of ValueError) and one small validator per rule,
with the file name added by a wrapper."""

import numpy as np

FORMAT_VERSION = 1


class ModelFileError(ValueError):
    pass


class InputError(ValueError):
    pass


def _version(header):
    found = header.get("format_version")
    if found != FORMAT_VERSION:
        return f"written in format version {found}, expected version {FORMAT_VERSION}"
    return None


def _names(params, expected):
    absent = [n for n in expected if n not in params]
    if absent:
        return "missing " + ", ".join(absent)
    unknown = [n for n in params if n not in expected]
    if unknown:
        return "unexpected " + ", ".join(unknown)
    return None


def _shapes(params, expected):
    for n, want in expected.items():
        have = tuple(np.shape(params[n]))
        if have != tuple(want):
            return f"{n} has shape {have}, this code needs {tuple(want)}"
    return None


def check_model(params, header, expected, source):
    for rule in (
        lambda: _version(header),
        lambda: _names(params, expected),
        lambda: _shapes(params, expected),
    ):
        problem = rule()
        if problem is not None:
            raise ModelFileError(f"[{source}] {problem}")


def predict(params, X):
    X = np.asarray(X, dtype=float)
    W = params["W"]
    if X.ndim == 1:
        raise InputError("got one sample of shape (d,); pass X.reshape(1, -1) to make it 2-D")
    if X.ndim != 2:
        raise InputError(f"X must be 2-D, got {X.ndim}-D")
    if X.shape[1] != W.shape[0]:
        raise InputError(f"expected {W.shape[0]} features, got {X.shape[1]} features per row")
    for i, row in enumerate(X):
        if not np.all(np.isfinite(row)):
            raise InputError(f"row {i} of X is not finite (NaN or inf)")
    return X @ W + params["b"]
