"""Creates the folder without exist_ok=True, so saving a second model into it fails."""

import json
import os

import numpy as np
from safetensors.numpy import load_file, save_file

FORMAT_VERSION = 1


def save_model(params: dict[str, np.ndarray], meta: dict, path_prefix: str) -> None:
    """Write path_prefix + ".safetensors" (the arrays) and path_prefix + ".json" (the rest)."""
    folder = os.path.dirname(path_prefix)
    if folder:
        os.makedirs(folder, exist_ok=False)
    arrays = {name: np.array(value, order="C") for name, value in params.items()}
    save_file(arrays, path_prefix + ".safetensors")
    header = {
        "format_version": FORMAT_VERSION,
        "arrays": {
            name: {"shape": list(a.shape), "dtype": str(a.dtype)} for name, a in arrays.items()
        },
        "meta": meta,
    }
    with open(path_prefix + ".json", "w", encoding="utf-8") as f:
        json.dump(header, f, ensure_ascii=False, indent=2)


def load_model(path_prefix: str) -> tuple[dict[str, np.ndarray], dict]:
    """Read what save_model wrote: (params, meta), arrays bit for bit as saved."""
    with open(path_prefix + ".json", encoding="utf-8") as f:
        header = json.load(f)
    if header.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{path_prefix}.json: format version {header.get('format_version')}, this code reads version {FORMAT_VERSION}"
        )
    params = load_file(path_prefix + ".safetensors")
    return (params, header["meta"])
