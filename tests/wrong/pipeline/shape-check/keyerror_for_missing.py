"""Indexes params[name] without checking: a missing array raises a bare KeyError."""

import numpy as np

FORMAT_VERSION = 1


def check_model(params, header, expected, source):
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{source}: format version {header.get('format_version')}, this code reads {FORMAT_VERSION}"
        )
    for name, want in expected.items():
        got = tuple(np.shape(params[name]))
        if got != tuple(want):
            raise ValueError(f"{source}: array '{name}' has shape {got}, expected {tuple(want)}")


def predict(params, X):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}; use X.reshape(1, -1) for one sample")
    if X.shape[1] != params["W"].shape[0]:
        raise ValueError(f"expected {params['W'].shape[0]} features, got {X.shape[1]}")
    bad = np.argwhere(~np.isfinite(X))
    if len(bad):
        raise ValueError(f"non-finite value in row {bad[0][0]}")
    return X @ params["W"] + params["b"]
