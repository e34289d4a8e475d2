"""np.savez(path, *params.values()): the arrays come back named arr_0, arr_1, ..."""

import json
import os

import numpy as np


def save_model(params, meta, path_prefix):
    folder = os.path.dirname(path_prefix)
    if folder:
        os.makedirs(folder, exist_ok=True)
    np.savez(path_prefix + ".npz", *params.values())
    with open(path_prefix + ".json", "w", encoding="utf-8") as f:
        json.dump({"format_version": 1, "meta": meta}, f)


def load_model(path_prefix):
    with open(path_prefix + ".json", encoding="utf-8") as f:
        header = json.load(f)
    with np.load(path_prefix + ".npz", allow_pickle=False) as data:
        params = {k: data[k] for k in data.files}
    return params, header["meta"]
