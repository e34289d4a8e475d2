"""Saving a fitted model to disk and loading it back, safely.

    save_model(model, "models/churn")            # writes models/churn.safetensors
    model = load_model("models/churn", expected_class=LogisticRegression)

The file is a safetensors file: the learned arrays (every attribute ending in "_" that
is a numeric array) as raw tensors, and in the header's string metadata one JSON
document describing the rest:

    {"format": "lmschool.ml", "format_version": 1,
     "class": "LogisticRegression",
     "params": {"C": 1.0, "lr": 0.1, ...},                       hyperparameters
     "learned": {"coef_": {"array": "coef_", "dtype": "float64", "shape": [3]},
                 "intercept_": {"value": -0.25}, ...}}           how to rebuild each attribute

Why not pickle? Unpickling is running a program: a pickle names any importable
callable plus arguments (via __reduce__), and pickle.load calls it, so a model file
from the internet can run os.system("...") the moment you load it. Here loading only
reads numbers and JSON, and the class to build is looked up in a fixed registry of
lmschool.ml models; nothing named in the file is ever imported or called.

Loading checks everything it reads and raises ValueError naming the file, the field
and the fix: wrong format version, unknown class, missing arrays, arrays whose
shape or dtype disagrees with the metadata.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import numpy as np

from ._validation import NotFittedError
from .linear import LinearRegression, LogisticRegression
from .preprocessing import MinMaxScaler, OneHotEncoder, SimpleImputer, StandardScaler

FORMAT = "lmschool.ml"
FORMAT_VERSION = 1
SUFFIX = ".safetensors"
METADATA_KEY = "lmschool"

# The classes load_model may build, and the learned attributes each needs to predict.
REGISTRY: dict[str, tuple[type, tuple[str, ...]]] = {
    cls.__name__: (cls, required)
    for cls, required in [
        (StandardScaler, ("mean_", "scale_", "n_features_in_")),
        (MinMaxScaler, ("scale_", "min_", "n_features_in_")),
        (OneHotEncoder, ("categories_", "n_features_in_")),
        (SimpleImputer, ("statistics_", "n_features_in_")),
        (LinearRegression, ("coef_", "intercept_", "n_features_in_")),
        (LogisticRegression, ("coef_", "intercept_", "classes_", "n_features_in_")),
    ]
}


def _file(path: str | Path) -> Path:
    path = Path(path)
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


# ----------------------------------------------------------------------------- saving


def save_model(model: Any, path: str | Path) -> Path:
    """Write ``model``'s hyperparameters and learned attributes to ``<path>.safetensors``.

    Returns the path written. Only fitted lmschool.ml models (see REGISTRY) can be saved.
    """
    from safetensors.numpy import save_file  # lazy: only needed when saving

    name = type(model).__name__
    if REGISTRY.get(name, (None,))[0] is not type(model):
        raise ValueError(f"save_model saves lmschool.ml models ({sorted(REGISTRY)}), not {name}")
    learned = {k: v for k, v in vars(model).items() if k.endswith("_") and not k.startswith("_")}
    if not learned:
        raise NotFittedError(f"This {name} is not fitted yet: call fit first, then save it")
    try:
        params = json.loads(json.dumps(model.get_params()))
    except TypeError as exc:
        raise ValueError(
            f"{name}'s hyperparameters must be plain values to be saved: {exc}"
        ) from None
    tensors: dict[str, np.ndarray] = {}
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "class": name,
        "params": params,
        "learned": {key: _encode(value, key, tensors) for key, value in learned.items()},
    }
    out = _file(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(out), metadata={METADATA_KEY: json.dumps(header)})
    return out


def _encode(value: Any, key: str, tensors: dict[str, np.ndarray]) -> dict[str, Any]:
    """Describe one learned value in JSON; numeric arrays go to ``tensors`` under ``key``."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        # A C-ordered copy: safetensors writes the raw buffer, so a transposed (Fortran-
        # ordered) view would come back scrambled; ascontiguousarray would turn 0-d into (1,).
        tensors[key] = np.array(value, order="C", copy=True)
        return {"array": key, "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.ndarray) and value.dtype.kind in "UO":
        items = value.tolist()
        _json_scalars(items, key)
        kind = "strings" if value.dtype.kind == "U" else "objects"
        return {kind: items, "shape": list(value.shape)}
    if isinstance(value, (list, tuple)):
        return {"list": [_encode(v, f"{key}.{i}", tensors) for i, v in enumerate(value)]}
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"value": value}
    raise ValueError(f"cannot save learned attribute {key} of type {type(value).__name__}")


def _json_scalars(items: Any, key: str) -> None:
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, list):
            _json_scalars(item, key)
        elif not (item is None or isinstance(item, (bool, int, float, str))):
            raise ValueError(f"cannot save {key}: it holds a {type(item).__name__}")


# ---------------------------------------------------------------------------- loading


def read_header(path: str | Path) -> dict[str, Any]:
    """The JSON metadata of a saved model (class, params, learned), without loading it."""
    from safetensors import safe_open  # lazy

    file = _file(path)
    if not file.is_file():
        raise FileNotFoundError(
            f"{file}: no such model file; save one with save_model(model, path)"
        )
    try:
        with safe_open(str(file), framework="numpy") as f:
            metadata = f.metadata() or {}
    except Exception as exc:  # safetensors raises its own error types for a bad header
        raise ValueError(
            f"{file}: not a readable safetensors file ({exc}); re-save the model"
        ) from None
    if METADATA_KEY not in metadata:
        raise ValueError(
            f"{file}: field {METADATA_KEY!r} is missing from the metadata, so this file was "
            "not written by lmschool.ml.save_model; re-save the model with save_model"
        )
    try:
        header = json.loads(metadata[METADATA_KEY])
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{file}: field {METADATA_KEY!r} is not valid JSON ({exc}); re-save the model"
        ) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ValueError(
            f"{file}: field 'format' must be {FORMAT!r}; re-save the model with save_model"
        )
    return header


def load_model(path: str | Path, expected_class: type | str | None = None) -> Any:
    """A new fitted model rebuilt from ``<path>.safetensors`` (see the module docstring).

    expected_class (a class or its name): refuse any other class, so a file swapped
    for a different model fails here, not with odd predictions later.
    """
    from safetensors import safe_open  # lazy

    file = _file(path)
    header = read_header(file)
    version = header.get("format_version")
    if version != FORMAT_VERSION:
        raise ValueError(
            f"{file}: field 'format_version' is {version!r}, but this lmschool reads version "
            f"{FORMAT_VERSION}; re-save the model with this lmschool's save_model"
        )
    name = header.get("class")
    if not isinstance(name, str) or name not in REGISTRY:
        raise ValueError(
            f"{file}: field 'class' is {name!r}, which is not a known lmschool.ml model "
            f"({', '.join(sorted(REGISTRY))}); save models with lmschool.ml.save_model"
        )
    expected = getattr(expected_class, "__name__", expected_class)
    if expected is not None and expected != name:
        raise ValueError(
            f"{file}: field 'class' is {name!r} but {expected!r} was expected; "
            "check that this is the right model file"
        )
    cls, required = REGISTRY[name]
    model = cls(**_params(cls, header.get("params", {}), file))

    with safe_open(str(file), framework="numpy") as f:
        arrays = {key: f.get_tensor(key) for key in f.keys()}  # noqa: SIM118 (not a dict)
    learned = header.get("learned", {})
    if not isinstance(learned, dict):
        raise ValueError(f"{file}: field 'learned' must be a JSON object; re-save the model")
    used: set[str] = set()
    for key, spec in learned.items():
        # only public names ending in "_": never __dict__, __class__ or a hyperparameter
        if not (key.isidentifier() and key.endswith("_") and not key.startswith("_")):
            raise ValueError(f"{file}: field 'learned.{key}' is not a learned attribute name")
        setattr(model, key, _decode(spec, f"learned.{key}", arrays, used, file))
    missing = [key for key in required if key not in learned]
    if missing:
        raise ValueError(
            f"{file}: field 'learned' lacks {missing}, which a fitted {name} needs; "
            "the file is incomplete: fit the model and save it again"
        )
    extra = sorted(set(arrays) - used)
    if extra:
        raise ValueError(
            f"{file}: arrays {extra} are not described in field 'learned'; the file was "
            "altered after saving: save the model again"
        )
    return model


def _params(cls: type, params: Any, file: Path) -> dict[str, Any]:
    signature = inspect.signature(cls.__init__).parameters
    if not isinstance(params, dict):
        raise ValueError(f"{file}: field 'params' must be a JSON object; re-save the model")
    unknown = sorted(set(params) - set(signature) - {"self"})
    if unknown:
        raise ValueError(
            f"{file}: field 'params' has {unknown}, which {cls.__name__} does not take; "
            "the file is from another version: re-save the model"
        )
    # JSON has no tuples: give back a tuple where the default is one, e.g. feature_range
    return {
        k: tuple(v) if isinstance(v, list) and isinstance(signature[k].default, tuple) else v
        for k, v in params.items()
    }


def _decode(
    spec: Any, field: str, arrays: dict[str, np.ndarray], used: set[str], file: Path
) -> Any:
    if not isinstance(spec, dict) or len(spec) == 0:
        raise ValueError(f"{file}: field {field!r} is malformed; re-save the model")
    if "array" in spec:
        key = spec["array"]
        if not isinstance(key, str) or key not in arrays:
            raise ValueError(
                f"{file}: field {field!r} refers to array {key!r}, which is missing from "
                "the file; the file is incomplete or corrupt: save the model again"
            )
        array = arrays[key]
        if list(array.shape) != list(spec.get("shape", [])):
            raise ValueError(
                f"{file}: array {key!r} has shape {list(array.shape)} but field "
                f"'{field}.shape' says {spec.get('shape')}; the file is corrupt: save the model again"
            )
        if str(array.dtype) != spec.get("dtype"):
            raise ValueError(
                f"{file}: array {key!r} has dtype {array.dtype} but field '{field}.dtype' "
                f"says {spec.get('dtype')}; the file is corrupt: save the model again"
            )
        used.add(key)
        return array
    if "strings" in spec:
        return np.array(spec["strings"], dtype=str).reshape(spec.get("shape", -1))
    if "objects" in spec:
        values = np.empty(spec.get("shape", len(spec["objects"])), dtype=object)
        values[...] = spec["objects"]
        return values
    if "list" in spec and isinstance(spec["list"], list):
        return [_decode(s, f"{field}.{i}", arrays, used, file) for i, s in enumerate(spec["list"])]
    if "value" in spec:
        return spec["value"]
    raise ValueError(f"{file}: field {field!r} has unknown keys {sorted(spec)}; re-save the model")
