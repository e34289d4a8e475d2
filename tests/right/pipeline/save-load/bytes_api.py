"""pathlib throughout, safetensors' in-memory API (save -> bytes, load <- bytes) and the header
built as a list of items before it is written."""

import json
from pathlib import Path

import numpy as np
from safetensors.numpy import load, save


def save_model(params, meta, path_prefix):
    prefix = Path(path_prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    arrays = {}
    described = []
    for name, value in params.items():
        a = np.asarray(value, order="C")  # keeps 0-d arrays 0-d
        if not a.flags.c_contiguous:
            a = a.copy(order="C")
        arrays[name] = a
        described.append((name, {"shape": [int(s) for s in a.shape], "dtype": a.dtype.name}))
    Path(str(prefix) + ".safetensors").write_bytes(save(arrays))
    header = {"format_version": 1, "arrays": dict(described), "meta": meta}
    Path(str(prefix) + ".json").write_text(json.dumps(header, ensure_ascii=False), encoding="utf-8")


def load_model(path_prefix):
    header = json.loads(Path(str(path_prefix) + ".json").read_text(encoding="utf-8"))
    if header["format_version"] != 1:
        raise ValueError(f"unsupported format version {header['format_version']}")
    params = load(Path(str(path_prefix) + ".safetensors").read_bytes())
    return params, header["meta"]
