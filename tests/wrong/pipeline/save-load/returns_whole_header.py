"""load_model returns the whole JSON header instead of the meta that was saved."""

import json
import os

import numpy as np
from safetensors.numpy import load_file, save_file


def save_model(params, meta, path_prefix):
    folder = os.path.dirname(path_prefix)
    if folder:
        os.makedirs(folder, exist_ok=True)
    arrays = {k: np.array(v, order="C") for k, v in params.items()}
    save_file(arrays, path_prefix + ".safetensors")
    header = {
        "format_version": 1,
        "arrays": {k: {"shape": list(a.shape), "dtype": str(a.dtype)} for k, a in arrays.items()},
        "meta": meta,
    }
    with open(path_prefix + ".json", "w", encoding="utf-8") as f:
        json.dump(header, f)


def load_model(path_prefix):
    with open(path_prefix + ".json", encoding="utf-8") as f:
        header = json.load(f)
    return load_file(path_prefix + ".safetensors"), header
