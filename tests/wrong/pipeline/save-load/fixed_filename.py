"""Ignores path_prefix and always writes model.safetensors / model.json: models overwrite each other."""

import json

import numpy as np
from safetensors.numpy import load_file, save_file


def save_model(params, meta, path_prefix):
    save_file({k: np.array(v, order="C") for k, v in params.items()}, "model.safetensors")
    with open("model.json", "w", encoding="utf-8") as f:
        json.dump({"format_version": 1, "meta": meta}, f)


def load_model(path_prefix):
    with open("model.json", encoding="utf-8") as f:
        header = json.load(f)
    return load_file("model.safetensors"), header["meta"]
