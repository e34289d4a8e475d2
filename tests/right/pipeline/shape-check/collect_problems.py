"""Collects every problem of the file first and raises one ValueError that lists them all;
predict reports every bad row at once."""

import numpy as np

FORMAT_VERSION = 1


def check_model(params, header, expected, source):
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"model file {source} has format_version={header.get('format_version')!r}; "
            f"this program only reads format_version={FORMAT_VERSION}"
        )
    problems = []
    for name in expected:
        if name not in params:
            problems.append(f"array {name!r} is missing")
    for name in params:
        if name not in expected:
            problems.append(f"array {name!r} is not part of this model")
    for name, shape in expected.items():
        if name in params and tuple(params[name].shape) != tuple(shape):
            problems.append(
                f"array {name!r} should have shape {tuple(shape)} but has {tuple(params[name].shape)}"
            )
    if problems:
        raise ValueError(f"cannot use model file {source}: " + "; ".join(problems))


def predict(params, X):
    X = np.asarray(X, dtype=float)
    if len(X.shape) != 2:
        raise ValueError(
            f"predict expects a 2-D array of shape (n_samples, n_features), got {X.shape}. "
            "Wrap a single sample with X.reshape(1, -1)."
        )
    n_features = params["W"].shape[0]
    if X.shape[1] != n_features:
        raise ValueError(
            f"wrong number of features: expected {n_features} features, got {X.shape[1]}"
        )
    bad_rows = np.flatnonzero(~np.isfinite(X).all(axis=1))
    if bad_rows.size:
        raise ValueError(f"X contains NaN or inf in rows {', '.join(str(r) for r in bad_rows)}")
    return X @ params["W"] + params["b"]
