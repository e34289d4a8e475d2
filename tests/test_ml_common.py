"""One conformance test over every lmschool.ml model: the scikit-learn contract.

Like scikit-learn's test_common.py, every estimator in ESTIMATORS must: store only
its hyperparameters in __init__, return self from fit, name learned attributes with
a trailing underscore, refuse predict/transform before fit with a clear error,
reject bad input with a ValueError naming the argument, and survive save/load.
A new model joins by adding one line to ESTIMATORS.
"""

from __future__ import annotations

import copy
import inspect
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lmschool.ml import (
    LinearRegression,
    LogisticRegression,
    MinMaxScaler,
    NotFittedError,
    OneHotEncoder,
    SimpleImputer,
    StandardScaler,
    load_model,
    save_model,
)
from tests.conftest import ROOT


def _numeric(rng: np.random.Generator, n: int = 40, d: int = 3) -> np.ndarray:
    return rng.normal(size=(n, d))


def _categorical(rng: np.random.Generator, n: int = 40, d: int = 3) -> np.ndarray:
    return rng.choice(np.array(["red", "green", "blue"]), size=(n, d)).astype(object)


def _with_gaps(rng: np.random.Generator, n: int = 40, d: int = 3) -> np.ndarray:
    X = rng.normal(size=(n, d))
    X[rng.random((n, d)) < 0.2] = np.nan
    X[0] = 1.0  # no column entirely missing
    return X


# (estimator, kind, X factory); kind: "transformer", "regressor" or "classifier"
ESTIMATORS = [
    (StandardScaler(), "transformer", _numeric),
    (StandardScaler(with_mean=False), "transformer", _numeric),
    (MinMaxScaler(feature_range=(-1, 1)), "transformer", _numeric),
    (OneHotEncoder(handle_unknown="ignore"), "transformer", _categorical),
    (SimpleImputer(strategy="median"), "transformer", _with_gaps),
    (LinearRegression(), "regressor", _numeric),
    (LinearRegression(method="gd", lr=0.1, n_iter=300), "regressor", _numeric),
    (LogisticRegression(C=0.5, n_iter=300), "classifier", _numeric),
]
IDS = [f"{type(e).__name__}-{i}" for i, (e, _, _) in enumerate(ESTIMATORS)]


def _data(kind: str, make_X, seed: int = 0, n: int = 40, d: int = 3):
    rng = np.random.default_rng(seed)
    X = make_X(rng, n, d)
    if kind == "regressor":
        return X, np.nan_to_num(X.astype(float)) @ np.arange(1.0, d + 1) + 0.5
    if kind == "classifier":
        return X, np.where(X[:, 0] + 0.5 * rng.normal(size=n) > 0, 1, 0)
    return X, None


def _fresh(est):
    return type(est)(**est.get_params())


def _output(est, kind: str, X):
    return est.transform(X) if kind == "transformer" else est.predict(X)


def _learned(est) -> list[str]:
    return [k for k in vars(est) if k.endswith("_")]


parametrize = pytest.mark.parametrize("est, kind, make_X", ESTIMATORS, ids=IDS)
pytestmark = pytest.mark.filterwarnings("ignore::lmschool.ml.ConvergenceWarning")


@parametrize
def test_init_only_stores_hyperparameters(est, kind, make_X) -> None:
    cls = type(est)
    sig = inspect.signature(cls.__init__)
    defaults = cls()
    for name, param in sig.parameters.items():
        if name == "self":
            continue
        assert param.kind is param.POSITIONAL_OR_KEYWORD, f"{cls.__name__}({name}): no *args"
        assert param.default is not param.empty, f"{cls.__name__}({name}) needs a default"
        assert getattr(defaults, name) is param.default, f"{cls.__name__}.{name} not stored as is"
        assert getattr(est, name) is est.get_params()[name]
    assert set(vars(est)) == set(est.get_params()), "__init__ may store only its arguments"
    assert not _learned(est)


@parametrize
def test_fit_returns_self_and_learned_attributes_end_in_underscore(est, kind, make_X) -> None:
    est = _fresh(est)
    params_before = copy.deepcopy(est.get_params())
    X, y = _data(kind, make_X)
    X_copy = X.copy()
    assert est.fit(X, y) is est
    learned = _learned(est)
    assert learned and "n_features_in_" in learned
    assert set(vars(est)) == set(params_before) | set(learned), "new attributes must end in _"
    assert est.get_params() == params_before, "fit must not change hyperparameters"
    np.testing.assert_array_equal(X, X_copy)  # fit must not modify its input
    out = _output(est, kind, X)
    assert len(out) == len(X)


@parametrize
def test_refitting_forgets_the_previous_data(est, kind, make_X) -> None:
    X1, y1 = _data(kind, make_X, seed=1, d=4)
    X2, y2 = _data(kind, make_X, seed=2, d=2)
    refit = _fresh(est).fit(X1, y1).fit(X2, y2)
    once = _fresh(est).fit(X2, y2)
    assert refit.n_features_in_ == 2
    np.testing.assert_allclose(_output(refit, kind, X2), _output(once, kind, X2))


@parametrize
def test_predict_or_transform_before_fit_raises_not_fitted(est, kind, make_X) -> None:
    X, _ = _data(kind, make_X)
    method = "transform" if kind == "transformer" else "predict"
    with pytest.raises(NotFittedError, match="call fit first") as info:
        getattr(_fresh(est), method)(X)
    assert isinstance(info.value, RuntimeError)
    assert type(est).__name__ in str(info.value)


@parametrize
def test_bad_input_raises_value_error_naming_the_argument(est, kind, make_X) -> None:
    X, y = _data(kind, make_X)
    with pytest.raises(ValueError, match=r"\bX\b.*2-D"):
        _fresh(est).fit(X[:, 0], y)  # 1-D X
    with pytest.raises(ValueError, match=r"\bX\b.*2-D"):
        _fresh(est).fit(X[:, :, None], y)  # 3-D X
    if not isinstance(est, SimpleImputer):  # the imputer is the one that takes NaN
        X_nan = _data(kind, _numeric)[0]
        X_nan[3, 1] = np.nan
        with pytest.raises(ValueError, match=r"\bX\b.*(NaN|missing)"):
            _fresh(est).fit(X_nan, y)
    if y is not None:
        with pytest.raises(ValueError, match=r"\by\b"):
            _fresh(est).fit(X, y[:-1])  # lengths differ
        with pytest.raises(ValueError, match=r"\by\b"):
            _fresh(est).fit(X, y[:, None])  # 2-D y
    fitted = _fresh(est).fit(X, y)
    with pytest.raises(ValueError, match=r"\bX\b.*features"):
        _output(fitted, kind, X[:, :2])  # fewer columns than in fit


@parametrize
def test_get_params_set_params_and_repr(est, kind, make_X) -> None:
    clone = _fresh(est)
    assert clone.get_params() == est.get_params()
    assert repr(clone).startswith(type(est).__name__ + "(")
    name = next(iter(clone.get_params()))
    assert clone.set_params(**{name: clone.get_params()[name]}) is clone
    with pytest.raises(ValueError, match="no parameter"):
        clone.set_params(not_a_parameter=1)


@parametrize
def test_save_and_load_give_the_same_model(est, kind, make_X, tmp_path: Path) -> None:
    X, y = _data(kind, make_X)
    fitted = _fresh(est).fit(X, y)
    path = save_model(fitted, tmp_path / "model")
    assert path == tmp_path / "model.safetensors"
    loaded = load_model(tmp_path / "model", expected_class=type(est))
    assert type(loaded) is type(est) and loaded is not fitted
    assert loaded.get_params() == fitted.get_params()
    assert sorted(_learned(loaded)) == sorted(_learned(fitted))
    np.testing.assert_array_equal(_output(loaded, kind, X), _output(fitted, kind, X))
    if kind == "classifier":
        np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))


# ------------------------------------------------------------- the sandbox's view


SANDBOX_SCRIPT = """
import sys
import numpy as np
import lmschool.ml as ml
from lmschool.ml import StandardScaler, LogisticRegression, Adam, f1_score, train_test_split

rng = np.random.default_rng(0)
X = rng.normal(size=(60, 2)); y = (X[:, 0] > 0).astype(int)
X_tr, X_te, y_tr, y_te = train_test_split(X, y, random_state=0)
s = StandardScaler().fit(X_tr)
m = LogisticRegression().fit(s.transform(X_tr), y_tr)
assert f1_score(y_te, m.predict(s.transform(X_te))) > 0.8
w = np.zeros(2); Adam(lr=0.1).step([w], [np.ones(2)])
heavy = sorted(n for n in ("sklearn", "torch", "matplotlib", "safetensors", "scipy") if n in sys.modules)
ours = sorted(n for n in sys.modules if n.startswith("lmschool") and not n.startswith("lmschool.ml"))
assert heavy == [], heavy
assert ours == ["lmschool"], ours
print("ok")
"""


def test_lmschool_ml_works_with_only_the_files_the_sandbox_binds(tmp_path: Path) -> None:
    """Inside the sandbox only lmschool/__init__.py and lmschool/ml/ exist (SANDBOX_LIB_DIR)."""
    src = ROOT / "src" / "lmschool"
    (tmp_path / "lmschool").mkdir()
    shutil.copy(src / "__init__.py", tmp_path / "lmschool" / "__init__.py")
    shutil.copytree(src / "ml", tmp_path / "lmschool" / "ml")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", SANDBOX_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"


SANDBOX_LEARNER = """
import sys
import numpy as np
from lmschool.ml import StandardScaler

assert "lmschool.config" not in sys.modules

def standardize(X):
    return StandardScaler().fit_transform(np.asarray(X, dtype=float))
"""


@pytest.mark.sandbox
@pytest.mark.skipif(shutil.which("bwrap") is None, reason="needs bubblewrap")
def test_a_learner_can_import_lmschool_ml_inside_the_real_sandbox() -> None:
    """Grade the fixture 'standardize' exercise with a solution built on lmschool.ml."""
    from types import SimpleNamespace

    from lmschool.grading.grader import Grader
    from lmschool.grading.sandbox import detect_backend

    if detect_backend("auto").name != "bwrap":
        pytest.skip("bubblewrap cannot start here")
    exercise = SimpleNamespace(
        id="tests/fixtures/attack_exercise",
        dir=ROOT / "tests" / "fixtures" / "attack_exercise",
        names=["standardize"],
        needs=["numpy"],
        # the exercise allows the teaching library (NumPy exercises do not by default)
        allowed_imports=["numpy", "lmschool.ml"],
        limits=SimpleNamespace(cpu_seconds=5, memory_mb=512, wall_seconds=20),
    )
    grader = Grader(sandbox="bwrap")
    try:
        result = grader.grade(exercise, SANDBOX_LEARNER, seed=3)
    finally:
        grader.close()
    assert result.sandbox.isolated, result.sandbox
    assert result.error is None, result.error
    assert result.passed and result.score == 1.0, result.checks
