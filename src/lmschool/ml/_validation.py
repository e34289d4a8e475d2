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
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np


class NotFittedError(RuntimeError):
    """A model was asked to predict or transform before it learned anything."""


class BaseEstimator:
    """Parameter introspection and a readable repr for every lmschool.ml model."""

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [name for name in sig.parameters if name != "self"]

    def get_params(self) -> dict[str, Any]:
        """The hyperparameters, read back from the attributes ``__init__`` stored."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> BaseEstimator:
        """Change hyperparameters (call ``fit`` again afterwards); returns self."""
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(
                    f"{type(self).__name__} has no parameter {name!r}; valid ones are {valid}"
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        # Show only what differs from the defaults, as scikit-learn does.
        sig = inspect.signature(type(self).__init__)
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params().items()
            if not _same(value, sig.parameters[name].default)
        ]
        return f"{type(self).__name__}({', '.join(changed)})"


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except Exception:  # arrays, odd types: call them different
        return False


def check_is_fitted(model: Any, attribute: str) -> None:
    """Raise NotFittedError unless ``model`` has the learned ``attribute``."""
    if not hasattr(model, attribute):
        name = type(model).__name__
        raise NotFittedError(
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

    numeric=True converts to float64 (and rejects strings); allow_nan=False rejects
    NaN and infinity. ndim=2 means the (n_samples, n_features) table every model eats.
    """
    if numeric:
        try:
            arr = np.asarray(X, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{name} must be numeric; converting it to float failed: {exc}"
            ) from None
    else:
        arr = np.asarray(X)
    if arr.ndim != ndim:
        hint = ""
        if ndim == 2 and arr.ndim == 1:
            hint = (
                "; if it is one feature use X.reshape(-1, 1), if it is one sample X.reshape(1, -1)"
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
    if numeric and not allow_nan and not np.isfinite(arr).all():
        bad = "NaN" if np.isnan(arr).any() else "infinity"
        raise ValueError(
            f"{name} contains {bad}; fill missing values first (e.g. with SimpleImputer)"
        )
    return arr


def check_consistent_length(**arrays: np.ndarray) -> None:
    """All named arrays have the same number of rows, or a ValueError naming them."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"inconsistent numbers of samples: {shown}; they must be equal")


def check_n_features(model: Any, X: np.ndarray) -> None:
    """``X`` has as many columns as the data ``model`` was fitted on."""
    if X.shape[1] != model.n_features_in_:
        raise ValueError(
            f"X has {X.shape[1]} features, but {type(model).__name__} was fitted with "
            f"{model.n_features_in_}; transform data with the same columns as in fit"
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
