"""Uses assert statements: the wrong exception type (and nothing at all under python -O)."""

import numpy as np

FORMAT_VERSION = 1


def check_model(params, header, expected, source):
    assert header.get("format_version") == FORMAT_VERSION, f"{source}: wrong format version"
    assert set(params) == set(expected), f"{source}: arrays {sorted(params)} != {sorted(expected)}"
    for name, want in expected.items():
        got = tuple(np.shape(params[name]))
        assert got == tuple(want), (
            f"{source}: array '{name}' has shape {got}, expected {tuple(want)}"
        )


def predict(params, X):
    X = np.asarray(X, dtype=float)
    assert X.ndim == 2, "X must be 2-D; use X.reshape(1, -1) for one sample"
    assert X.shape[1] == params["W"].shape[0], (
        f"expected {params['W'].shape[0]} features, got {X.shape[1]}"
    )
    assert np.isfinite(X).all(), f"non-finite value in row {np.argwhere(~np.isfinite(X))[0][0]}"
    return X @ params["W"] + params["b"]
