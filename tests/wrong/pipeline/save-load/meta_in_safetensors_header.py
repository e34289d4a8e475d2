"""Stores meta in safetensors' own metadata with str(): numbers and lists come back as strings."""

import os

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file, save_file


def save_model(params, meta, path_prefix):
    folder = os.path.dirname(path_prefix)
    if folder:
        os.makedirs(folder, exist_ok=True)
    arrays = {k: np.array(v, order="C") for k, v in params.items()}
    save_file(arrays, path_prefix + ".safetensors", metadata={k: str(v) for k, v in meta.items()})


def load_model(path_prefix):
    with safe_open(path_prefix + ".safetensors", "np") as f:
        meta = dict(f.metadata() or {})
    return load_file(path_prefix + ".safetensors"), meta
