"""Never looks at format_version: a file written by another version of the code is accepted."""

import numpy as np


def check_model(params, header, expected, source):
    missing = sorted(set(expected) - set(params))
    extra = sorted(set(params) - set(expected))
    if missing or extra:
        raise ValueError(f"{source}: missing arrays {missing}, unexpected arrays {extra}")
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
