"""predict does not validate X: numpy's matmul error is the only check, and 1-D input passes silently."""

import numpy as np

FORMAT_VERSION = 1


def check_model(params, header, expected, source):
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{source}: format version {header.get('format_version')}, this code reads {FORMAT_VERSION}"
        )
    missing = sorted(set(expected) - set(params))
    extra = sorted(set(params) - set(expected))
    if missing or extra:
        raise ValueError(f"{source}: missing arrays {missing}, unexpected arrays {extra}")
    for name, want in expected.items():
        got = tuple(np.shape(params[name]))
        if got != tuple(want):
            raise ValueError(f"{source}: array '{name}' has shape {got}, expected {tuple(want)}")


def predict(params, X):
    return np.asarray(X, dtype=float) @ params["W"] + params["b"]
