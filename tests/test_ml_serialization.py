"""Saving and loading models: safetensors plus JSON metadata, never pickle; clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from lmschool.ml import (
    LogisticRegression,
    MinMaxScaler,
    NotFittedError,
    StandardScaler,
    load_model,
    save_model,
)
from lmschool.ml import serialization as ser


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 3))
    model = LogisticRegression(C=0.5).fit(X, (X[:, 0] > 0).astype(int))
    return save_model(model, tmp_path / "clf")


def _rewrite(path: Path, edit_header=None, edit_arrays=None) -> None:
    """Tamper with a saved file: change its header JSON and/or its arrays."""
    from safetensors import safe_open

    with safe_open(str(path), framework="numpy") as f:
        header = json.loads(f.metadata()["lmschool"])
    arrays = load_file(str(path))
    if edit_header:
        edit_header(header)
    if edit_arrays:
        edit_arrays(arrays)
    save_file(arrays, str(path), metadata={"lmschool": json.dumps(header)})


def test_the_file_holds_arrays_and_a_readable_header(saved: Path) -> None:
    assert saved.name == "clf.safetensors"
    header = ser.read_header(saved)
    assert header["format"] == "lmschool.ml" and header["format_version"] == 1
    assert header["class"] == "LogisticRegression" and header["params"]["C"] == 0.5
    assert header["learned"]["coef_"] == {"array": "coef_", "dtype": "float64", "shape": [3]}
    assert "value" in header["learned"]["intercept_"]
    assert set(load_file(str(saved))) == {"coef_", "classes_", "loss_curve_"}
    # the same path works with or without the suffix
    assert load_model(saved).C == load_model(saved.with_suffix("")).C == 0.5


def test_tuples_and_string_arrays_round_trip(tmp_path: Path) -> None:
    scaler = MinMaxScaler(feature_range=(-1, 1)).fit([[0.0], [2.0]])
    assert load_model(save_model(scaler, tmp_path / "s")).feature_range == (-1, 1)
    X = np.array([[1.0], [-1.0], [2.0]])
    clf = LogisticRegression().fit(X, np.array(["no", "yes", "yes"]))
    back = load_model(save_model(clf, tmp_path / "c"))
    np.testing.assert_array_equal(back.classes_, ["no", "yes"])
    np.testing.assert_array_equal(back.predict(X), clf.predict(X))


@pytest.mark.parametrize(
    "edit, match",
    [
        (lambda h: h.update(format_version=2), r"'format_version' is 2.*re-save"),
        (lambda h: h.update({"class": "os.system"}), r"'class' is 'os.system'.*not a known"),
        (
            lambda h: h["learned"]["coef_"].update(shape=[4]),
            r"'coef_' has shape \[3\].*'learned.coef_.shape'",
        ),
        (lambda h: h["learned"].pop("coef_"), r"'learned' lacks \['coef_'\]"),
        (lambda h: h["params"].update(penalty="l1"), r"'params' has \['penalty'\]"),
        (lambda h: h.update(format="other"), r"'format'"),
        (lambda h: h["learned"].update(__dict__={"value": {}}), r"'learned.__dict__' is not"),
        (lambda h: h.update({"class": ["x"]}), r"'class' is \['x'\]"),
    ],
    ids=["version", "class", "shape", "missing-field", "unknown-param", "format", "dunder", "list"],
)
def test_tampered_headers_raise_value_errors_naming_file_and_field(saved, edit, match) -> None:
    _rewrite(saved, edit_header=edit)
    with pytest.raises(ValueError, match=match) as info:
        load_model(saved)
    assert str(saved) in str(info.value)


def test_missing_and_extra_arrays(saved: Path) -> None:
    _rewrite(saved, edit_arrays=lambda a: a.pop("coef_"))
    with pytest.raises(ValueError, match=r"array 'coef_', which is missing"):
        load_model(saved)


def test_extra_arrays_are_refused(saved: Path) -> None:
    _rewrite(saved, edit_arrays=lambda a: a.update(payload=np.zeros(3)))
    with pytest.raises(ValueError, match=r"\['payload'\] are not described"):
        load_model(saved)


def test_expected_class_and_foreign_files(saved: Path, tmp_path: Path) -> None:
    assert isinstance(load_model(saved, expected_class="LogisticRegression"), LogisticRegression)
    with pytest.raises(ValueError, match="'StandardScaler' was expected"):
        load_model(saved, expected_class=StandardScaler)
    plain = tmp_path / "plain.safetensors"
    save_file({"w": np.zeros(2)}, str(plain))
    with pytest.raises(ValueError, match="not written by lmschool.ml.save_model"):
        load_model(plain)
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\x80\x04 definitely not safetensors")
    with pytest.raises(ValueError, match="not a readable safetensors file"):
        load_model(junk)
    with pytest.raises(FileNotFoundError, match="nothing"):
        load_model(tmp_path / "nothing")


def test_only_fitted_library_models_can_be_saved(tmp_path: Path) -> None:
    with pytest.raises(NotFittedError, match="call fit first"):
        save_model(StandardScaler(), tmp_path / "x")

    class Mine(StandardScaler):
        pass

    with pytest.raises(ValueError, match="lmschool.ml models"):
        save_model(Mine().fit([[1.0], [2.0]]), tmp_path / "x")


def test_loading_never_uses_pickle() -> None:
    source = Path(ser.__file__).read_text(encoding="utf-8")
    assert "import pickle" not in source and "importlib" not in source
    assert "pickle" in ser.__doc__  # ...but explains why not


def test_transposed_and_scalar_arrays_round_trip(tmp_path) -> None:
    """A Fortran-ordered (transposed) coef_ and a 0-d value come back exactly."""
    from lmschool.ml import LinearRegression
    from lmschool.ml.serialization import load_model, save_model

    rng = np.random.default_rng(0)
    model = LinearRegression().fit(rng.normal(size=(20, 3)), rng.normal(size=20))
    model.coef_ = np.asfortranarray(rng.normal(size=(3, 2))).T  # non-contiguous view, shape (2, 3)
    model.intercept_ = np.float64(1.5)
    save_model(model, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    np.testing.assert_array_equal(loaded.coef_, model.coef_)
    assert float(loaded.intercept_) == 1.5
