"""Refuse a model file that does not fit the code, and input that does not fit the model."""

import numpy as np

FORMAT_VERSION = 1  # the file layout this code reads


def _shape(shape) -> str:
    return str(tuple(int(s) for s in shape))  # (4, 3), (3,), ()


def check_model(params: dict, header: dict, expected: dict, source: str) -> None:
    """Raise ValueError naming `source` unless the loaded model is what this code expects."""
    version = header.get("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{source}: format version {version}, but this code reads version {FORMAT_VERSION}; "
            "convert the file or use the matching code"
        )
    missing = sorted(set(expected) - set(params))
    if missing:
        raise ValueError(f"{source}: missing array(s) {missing}")
    extra = sorted(set(params) - set(expected))
    if extra:
        raise ValueError(f"{source}: unexpected array(s) {extra}; expected {sorted(expected)}")
    for name, want in expected.items():
        got = np.shape(params[name])
        if tuple(got) != tuple(want):
            raise ValueError(
                f"{source}: array '{name}' has shape {_shape(got)}, expected {_shape(want)}"
            )


def predict(params: dict, X) -> np.ndarray:
    """Scores X @ W + b of a linear model, after checking that X is what the model takes."""
    X = np.asarray(X, dtype=np.float64)
    W, b = params["W"], params["b"]
    if X.ndim != 2:
        raise ValueError(
            f"X must be 2-D (samples, features), got shape {X.shape}; "
            "for one sample use X.reshape(1, -1)"
        )
    if X.shape[1] != W.shape[0]:
        raise ValueError(f"expected {W.shape[0]} features, got {X.shape[1]}")
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"X has a NaN or infinite value at row {row}, column {col}")
    return X @ W + b
