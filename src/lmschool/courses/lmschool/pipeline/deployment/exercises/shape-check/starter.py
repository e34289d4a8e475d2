"""Refuse a model file that does not fit the code, and input that does not fit the model."""

import numpy as np

FORMAT_VERSION = 1  # the file layout this code reads


def check_model(params: dict, header: dict, expected: dict, source: str) -> None:
    """Raise ValueError naming `source` unless the loaded model is what this code expects.

    params:   name -> array, as loaded from the tensor file
    header:   the JSON header, {"format_version": int, "arrays": {...}, "meta": {...}}
    expected: name -> shape tuple this code needs, e.g. {"W": (4, 3), "b": (3,)}
    source:   the file name, to put in every message
    """
    # TODO: 1) format version  2) missing / unexpected arrays  3) every shape
    raise NotImplementedError("check_model: write your code here")


def predict(params: dict, X) -> np.ndarray:
    """Scores X @ W + b, shape (n, k), after checking X (2-D, right width, finite)."""
    # TODO: validate X, then compute the scores
    raise NotImplementedError("predict: write your code here")
