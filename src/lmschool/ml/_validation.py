"""What every estimator shares: the base class, the not-fitted error, input checks.

The scikit-learn contract, in four rules:

1. ``__init__`` only stores its keyword arguments, under the same names, untouched.
   No validation, no computation: that happens in ``fit``. (So ``get_params`` can
   read them back, and cloning or saving a model is just reading attributes.)
2. ``fit(X, y)`` learns from data and returns ``self``, so ``Model().fit(X, y).predict(X)``
   reads as one sentence.
3. Everything learned from data ends in an underscore: ``coef_``, ``mean_``. An
   attribute without one is a hyperparameter you chose; one with it, the data chose.
4. ``predict`` / ``transform`` before ``fit`` raise :class:`NotFittedError`.

Input checks live here so every model rejects bad input the same way: a ``ValueError``
that names the argument, says what was wrong and how to fix it.

Working with scikit-learn. Our models also go into scikit-learn's tools (``Pipeline``,
``clone``, ``GridSearchCV``) and pass its ``check_estimator`` suite, yet this module
never imports scikit-learn: the library also runs inside the grading sandbox, where
scikit-learn is absent, and importing it would cost about a second per grading.
scikit-learn recognises an estimator by what it does, not by its base class:

- ``get_params(deep=True)`` / ``set_params(**params)``, with ``step__param`` names for
  models nested in models, as in ``Pipeline``;
- ``__sklearn_tags__()``: what kind of model it is (classifier, regressor,
  transformer) and what input it takes. Only scikit-learn calls it, so it may import
  scikit-learn then; the mixins below each add their part, as scikit-learn's do;
- ``__sklearn_is_fitted__()``: whether ``fit`` has run (some ``..._`` attribute exists);
- ``n_features_in_``, and errors worded the way scikit-learn's checks look for them.

When scikit-learn is already loaded in the process, a not-fitted model raises an error
that is also scikit-learn's ``NotFittedError``, so its tools recognise that too.
"""

from __future__ import annotations

import functools
import inspect
import sys
from typing import Any

import numpy as np


class NotFittedError(RuntimeError):
    """A model was asked to predict or transform before it learned anything."""


class BaseEstimator:
    """Parameter introspection, a readable repr and scikit-learn's estimator protocol."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [name for name in sig.parameters if name != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The hyperparameters, read back from the attributes ``__init__`` stored.

        deep=True also lists the hyperparameters of a model stored as a hyperparameter,
        as ``"<name>__<its parameter>"`` (scikit-learn's convention).
        """
        params = {}
        for name in self._param_names():
            value = getattr(self, name)
            params[name] = value
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                params.update((f"{name}__{k}", v) for k, v in value.get_params().items())
        return params

    def set_params(self, **params: Any) -> BaseEstimator:
        """Change hyperparameters (call ``fit`` again afterwards); returns self.

        ``set_params(model__C=10)`` sets ``C`` of the model stored in ``self.model``.
        """
        valid = self._param_names()
        nested: dict[str, dict[str, Any]] = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"{type(self).__name__} has no parameter {name!r}; valid ones are {valid}"
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self) -> str:
        # Show only what differs from the defaults, as scikit-learn does.
        sig = inspect.signature(type(self).__init__)
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params(deep=False).items()
            if not _same(value, sig.parameters[name].default)
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    # --- for scikit-learn: called only by its tools, so importing it here is free for us

    def __sklearn_is_fitted__(self) -> bool:
        """True once ``fit`` has run: some learned attribute (ending in ``_``) exists."""
        return any(k.endswith("_") and not k.startswith("__") for k in vars(self))

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's description of this model; the mixins below add to it."""
        from sklearn.utils import Tags, TargetTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=None,
            regressor_tags=None,
            classifier_tags=None,
        )


# Mixins go to the LEFT of BaseEstimator: class Model(ClassifierMixin, BaseEstimator).
# Each one's __sklearn_tags__ starts from BaseEstimator's (super()) and adds its part.


class ClassifierMixin:
    """A model that predicts class labels: ``score`` is the accuracy."""

    def score(self, X: Any, y: Any) -> float:
        """Accuracy of predict(X) against y."""
        from .metrics import accuracy_score  # metrics imports this module

        return accuracy_score(y, self.predict(X))

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import ClassifierTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "classifier"
        tags.classifier_tags = ClassifierTags()
        tags.target_tags.required = True
        return tags


class RegressorMixin:
    """A model that predicts numbers: ``score`` is R^2."""

    def score(self, X: Any, y: Any) -> float:
        """R^2 of the predictions on (X, y)."""
        from .metrics import r2_score

        return r2_score(y, self.predict(X))

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import RegressorTags

        tags = super().__sklearn_tags__()
        tags.estimator_type = "regressor"
        tags.regressor_tags = RegressorTags()
        tags.target_tags.required = True
        return tags


class TransformerMixin:
    """A model that turns X into new features: ``fit_transform`` does both steps."""

    def fit_transform(self, X: Any, y: Any = None) -> np.ndarray:
        """``fit(X)`` then ``transform(X)``: only ever on training data."""
        return self.fit(X, y).transform(X)

    def __sklearn_tags__(self) -> Any:
        from sklearn.utils import TransformerTags

        tags = super().__sklearn_tags__()
        tags.transformer_tags = TransformerTags()
        return tags


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # arrays, odd types: call them different
        return False


def check_is_fitted(model: Any, attribute: str) -> None:
    """Raise NotFittedError unless ``model`` has the learned ``attribute``."""
    if not hasattr(model, attribute):
        name = type(model).__name__
        raise _not_fitted_error(
            f"This {name} is not fitted yet: call fit first, e.g. {name}().fit(X_train, ...)"
        )


def check_array(
    X: Any,
    name: str = "X",
    *,
    ndim: int = 2,
    allow_nan: bool = False,
    numeric: bool = True,
    min_samples: int = 1,
) -> np.ndarray:
    """``X`` as an ndarray with ``ndim`` dimensions, or a ValueError naming ``name``.

    numeric=True converts to float64 (and rejects strings and complex numbers; a value
    that is not even a string, such as a dict, is a TypeError); allow_nan=False rejects
    NaN and infinity. ndim=2 means the (n_samples, n_features) table every model eats,
    with at least one feature. Sparse matrices are refused: these models compute with
    dense arrays.
    """
    if type(X).__module__.startswith("scipy.sparse"):
        raise ValueError(
            f"{name} is a scipy sparse matrix, and sparse input is not supported here; "
            f"convert it with {name}.toarray()"
        )
    arr = _as_float(X, name) if numeric else np.asarray(X)
    if arr.dtype.kind == "c":  # float64 would silently drop the imaginary part
        raise ValueError(
            f"{name} holds complex numbers (Complex data not supported); use its real part "
            f"{name}.real or its magnitude np.abs({name})"
        )
    if arr.ndim != ndim:
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = (
                ". Reshape your data: X.reshape(-1, 1) if it is one feature, "
                "X.reshape(1, -1) if it is one sample"
            )
        elif ndim == 1 and arr.ndim == 2 and 1 in arr.shape:
            hint = "; flatten it with .ravel()"
        raise ValueError(
            f"{name} must be {ndim}-D"
            f"{' (n_samples, n_features)' if ndim == 2 else ' (n_samples,)'}, "
            f"got shape {arr.shape}{hint}"
        )
    if arr.shape[0] < min_samples:
        raise ValueError(f"{name} has {arr.shape[0]} samples; at least {min_samples} are needed")
    if ndim == 2 and arr.shape[1] == 0:
        raise ValueError(
            f"{name} has 0 feature(s) (shape={arr.shape}) while a minimum of 1 is required; "
            "give it at least one column"
        )
    if numeric and not allow_nan and not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(
            f"{name} contains {bad}; fill missing values first (e.g. with SimpleImputer)"
        )
    return arr


def _as_float(X: Any, name: str) -> np.ndarray:
    """``X`` as float64 (complex stays complex, for the caller to refuse), or an error."""
    try:
        arr = np.asarray(X)
        return arr if arr.dtype.kind == "c" else np.asarray(arr, dtype=np.float64)
    except ValueError as exc:  # a string such as "abc", or rows of different lengths
        raise ValueError(f"{name} must be numeric; converting it to float failed: {exc}") from None
    except TypeError as exc:  # a value that is not even a string: a dict, a list, ...
        raise TypeError(f"{name} must be numeric; converting it to float failed: {exc}") from None


def check_consistent_length(**arrays: np.ndarray) -> None:
    """All named arrays have the same number of rows, or a ValueError naming them."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"inconsistent numbers of samples: {shown}; they must be equal")


def check_X_y(model: Any, X: Any, y: Any, *, y_numeric: bool = True) -> tuple[np.ndarray, ...]:
    """``X`` (N, D) and ``y`` (N,) for a model that learns from targets, checked together."""
    if y is None:
        raise ValueError(
            f"{type(model).__name__} requires y to be passed, but the target y is None: "
            "call fit(X, y) with the values to learn"
        )
    X = check_array(X, "X")
    y = check_array(y, "y", ndim=1, numeric=y_numeric)
    check_consistent_length(X=X, y=y)
    return X, y


def check_n_features(model: Any, X: np.ndarray) -> None:
    """``X`` has as many columns as the data ``model`` was fitted on."""
    if X.shape[1] != model.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(model).__name__} is expecting "
            f"{model.n_features_in_} features as input, as many as it was fitted with; "
            "transform data with the same columns as in fit"
        )


def check_random_state(seed: None | int | np.random.Generator) -> np.random.Generator:
    """A numpy Generator from None (fresh entropy), an int seed, or a Generator."""
    if seed is None or isinstance(seed, (int, np.integer)):
        return np.random.default_rng(seed)
    if isinstance(seed, np.random.Generator):
        return seed
    raise ValueError(
        f"random_state must be None, an int or a numpy Generator, got {type(seed).__name__}"
    )


# --- the not-fitted error, as scikit-learn sees it


def _not_fitted_error(message: str) -> NotFittedError:
    """NotFittedError(message); also scikit-learn's NotFittedError if scikit-learn is loaded.

    scikit-learn's tools catch their own NotFittedError (a ValueError and an
    AttributeError). Ours cannot inherit it without importing scikit-learn, so when
    scikit-learn is already in the process we raise a class that is both.
    """
    sklearn_exceptions = sys.modules.get("sklearn.exceptions")
    if sklearn_exceptions is None:
        return NotFittedError(message)
    return _both_not_fitted_errors(sklearn_exceptions.NotFittedError)(message)


@functools.cache
def _both_not_fitted_errors(sklearn_error: type) -> type:
    class BothNotFittedError(NotFittedError, sklearn_error):
        """lmschool.ml's NotFittedError that is also scikit-learn's."""

        def __reduce__(self) -> tuple:  # pickled (e.g. from a joblib worker) by message
            return _not_fitted_error, self.args

    BothNotFittedError.__name__ = BothNotFittedError.__qualname__ = "NotFittedError"
    return BothNotFittedError
