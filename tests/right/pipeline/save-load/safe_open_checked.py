"""Reads the arrays one by one with safe_open and checks each against the JSON header's
shape and dtype; writes with save_file after explicit C-ordered copies."""

import json
import os

import numpy as np
from safetensors import safe_open
from safetensors.numpy import save_file


def save_model(params, meta, path_prefix):
    parent = os.path.dirname(os.path.abspath(path_prefix))
    os.makedirs(parent, exist_ok=True)
    tensors = {key: np.asarray(arr).copy(order="C") for key, arr in params.items()}
    save_file(tensors, f"{path_prefix}.safetensors")
    header = {
        "format_version": 1,
        "arrays": {k: {"shape": list(t.shape), "dtype": str(t.dtype)} for k, t in tensors.items()},
        "meta": meta,
    }
    with open(f"{path_prefix}.json", "w", encoding="utf-8") as fh:
        json.dump(header, fh, ensure_ascii=False, indent=1, sort_keys=False)


def load_model(path_prefix):
    with open(f"{path_prefix}.json", encoding="utf-8") as fh:
        header = json.load(fh)
    if header.get("format_version") != 1:
        raise ValueError("model file written by another format version")
    params = {}
    with safe_open(f"{path_prefix}.safetensors", framework="np") as f:
        for key in f.keys():  # noqa: SIM118 (safe_open is not iterable)
            arr = f.get_tensor(key)
            spec = header["arrays"][key]
            if list(arr.shape) != spec["shape"] or str(arr.dtype) != spec["dtype"]:
                raise ValueError(f"{key}: tensor file and header disagree")
            params[key] = arr
    return params, header["meta"]
