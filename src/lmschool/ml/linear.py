"""Linear models in NumPy: least-squares regression and binary logistic regression.

Both predict through one linear score per sample,

    z = X @ w + b          X: (N, D) samples, w: (D,) weights, b: the intercept (bias)

and differ in what the score means and which loss fits it:

- LinearRegression: z is the prediction; loss = mean((z - y)^2) (squared error).
- LogisticRegression: z is the log-odds of class 1, p = sigmoid(z); loss is the
  cross-entropy -[y log p + (1 - y) log(1 - p)] plus an L2 penalty on w.

Gradient descent, used by both, repeats w <- w - lr * dLoss/dw until the gradient is
small. It does NOT rescale features for you: with features on very different
scales the loss is a long thin valley, a learning rate small enough for the steep
direction crawls along the flat one, and a larger one diverges. Standardise X first
(StandardScaler) and the default learning rates work.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from ._validation import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    check_array,
    check_is_fitted,
    check_n_features,
    check_X_y,
)
from .metrics import log_loss

__all__ = [
    "ConvergenceWarning",
    "LinearRegression",
    "LogisticRegression",
    "log_loss",  # the metric on probabilities, re-exported from metrics for the lessons
    "log_loss_from_logits",
    "sigmoid",
]


class ConvergenceWarning(UserWarning):
    """Gradient descent stopped at n_iter before the gradient fell below tol."""


def sigmoid(z: Any) -> np.ndarray:
    """sigmoid(z) = 1 / (1 + exp(-z)), without overflow.

    For z = -1000, exp(-z) overflows to inf (and NumPy warns). Write it per sign with
    e = exp(-|z|), which is always in (0, 1]:
        z >= 0:  1 / (1 + e)
        z <  0:  e / (1 + e)      (the same value, multiplied through by exp(z))
    """
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def log_loss_from_logits(y: Any, z: Any) -> float:
    """Mean binary cross-entropy from scores z (logits) and labels y in {0, 1}.

    With p = sigmoid(z), log p = -log(1 + exp(-z)) and log(1 - p) = -log(1 + exp(z)),
    so -[y log p + (1 - y) log(1 - p)] simplifies to

        log(1 + exp(z)) - y * z

    np.logaddexp(0, z) computes log(exp(0) + exp(z)) without overflow. Working from z
    avoids log(0) = -inf when p rounds to exactly 0 or 1. (For predicted probabilities
    instead of logits, see lmschool.ml.metrics.log_loss.)
    """
    y = np.asarray(y, dtype=np.float64)
    z = np.asarray(z, dtype=np.float64)
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


LossAndGrad = Callable[[np.ndarray, float], tuple[float, np.ndarray, float]]


def _gradient_descent(
    model: BaseEstimator, loss_and_grad: LossAndGrad, n_features: int
) -> tuple[np.ndarray, float, int, list[float]]:
    """Minimise a loss of (w, b) from w = 0, b = 0 by plain gradient descent.

    Stops when every gradient component is below model.tol in absolute value, or
    after model.n_iter steps (with a ConvergenceWarning).
    """
    if not (model.lr > 0 and isinstance(model.n_iter, (int, np.integer)) and model.n_iter >= 1):
        raise ValueError(
            f"lr must be > 0 and n_iter an int >= 1, got lr={model.lr!r}, n_iter={model.n_iter!r}"
        )
    w, b = np.zeros(n_features), 0.0  # (D,), scalar
    fit_b = model.fit_intercept
    losses: list[float] = []
    with np.errstate(over="ignore", invalid="ignore"):  # divergence is reported below
        for it in range(1, model.n_iter + 1):
            loss, grad_w, grad_b = loss_and_grad(w, b)
            if not np.isfinite(loss):
                raise FloatingPointError(
                    f"{type(model).__name__}: gradient descent diverged at iteration {it} "
                    f"(loss = {loss}); lr={model.lr} is too large for this data: lower it, "
                    "or standardise X with StandardScaler first"
                )
            losses.append(loss)
            w = w - model.lr * grad_w
            if fit_b:
                b = b - model.lr * grad_b
            if max(np.abs(grad_w).max(initial=0.0), abs(grad_b) if fit_b else 0.0) < model.tol:
                return w, b, it, losses
    warnings.warn(
        f"{type(model).__name__} did not converge in n_iter={model.n_iter} steps "
        f"(largest gradient component still >= tol={model.tol}); raise n_iter or lr, "
        "or standardise X",
        ConvergenceWarning,
        stacklevel=3,
    )
    return w, b, model.n_iter, losses


class LinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares: find w, b minimising mean((X @ w + b - y)^2).

    method="normal" solves it exactly. Setting the gradient to zero gives the normal
    equations (X^T X) w = X^T y. We first centre X and y (subtract column means), which
    takes b out of the system (b = mean(y) - mean(X) @ w afterwards), then solve with
    np.linalg.lstsq instead of inverting X^T X: forming X^T X squares the condition
    number (half the significant digits are lost), and the inverse does not exist when
    features are collinear, where lstsq returns the minimum-norm solution (as
    scikit-learn does).

    method="gd" runs gradient descent on the same loss (see the module docstring on
    feature scaling):
        r = X @ w + b - y                 (N,) residuals
        dL/dw = (2/N) X^T r               (D,)
        dL/db = (2/N) sum(r)

    Learned: coef_ (D,), intercept_ (float), n_features_in_; rank_ (of centred X) for
    "normal"; n_iter_ and loss_curve_ (the MSE at each step) for "gd". score(X, y) is
    R^2 (from RegressorMixin).
    """

    def __init__(
        self,
        fit_intercept: bool = True,
        method: str = "normal",
        lr: float = 0.01,
        n_iter: int = 1000,
        tol: float = 1e-4,
    ):
        self.fit_intercept = fit_intercept  # learn b; False forces the line through 0
        self.method = method  # "normal" (exact, lstsq) or "gd" (gradient descent)
        self.lr = lr  # gd step size
        self.n_iter = n_iter  # gd maximum number of steps
        self.tol = tol  # gd stops when every |gradient component| < tol

    def fit(self, X: Any, y: Any) -> LinearRegression:
        if self.method not in ("normal", "gd"):
            raise ValueError(f"method must be 'normal' or 'gd', got {self.method!r}")
        X, y = check_X_y(self, X, y)  # (N, D), (N,)
        n, d = X.shape
        if self.method == "normal":
            x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(d)  # (D,)
            y_mean = y.mean() if self.fit_intercept else 0.0
            w, _, rank, _ = np.linalg.lstsq(X - x_mean, y - y_mean, rcond=None)
            self.coef_ = w  # (D,)
            self.intercept_ = float(y_mean - x_mean @ w)
            self.rank_ = int(rank)
        else:

            def mse_and_grad(w: np.ndarray, b: float) -> tuple[float, np.ndarray, float]:
                r = X @ w + b - y  # (N,)
                return float(np.mean(r**2)), (2 / n) * (X.T @ r), float((2 / n) * r.sum())

            w, b, self.n_iter_, losses = _gradient_descent(self, mse_and_grad, d)
            self.coef_, self.intercept_ = w, float(b)
            self.loss_curve_ = np.array(losses)
        self.n_features_in_ = d
        return self

    def predict(self, X: Any) -> np.ndarray:
        check_is_fitted(self, "coef_")
        X = check_array(X, "X")
        check_n_features(self, X)
        return X @ self.coef_ + self.intercept_  # (N,)


def _not_two_classes(y: np.ndarray, classes: np.ndarray) -> str:
    """Why y is not a binary target, in words that say what to do instead."""
    k = len(classes)
    if k == 1:
        return f"y must contain exactly two classes, found 1 class: {classes.tolist()}"
    if y.dtype.kind == "f" and np.any(classes != np.round(classes)):
        return (
            f"y must contain exactly two classes, but its {k} distinct values look "
            f"continuous (e.g. {classes[0]:.3g}); LogisticRegression is a classifier, "
            "for numbers to predict use LinearRegression"
        )
    return (
        f"y must contain exactly two classes, found {k}: {classes.tolist()[:10]}; "
        "Only binary classification is supported: this LogisticRegression is binary"
    )


class LogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression with an L2 penalty, fitted by gradient descent.

    The model: P(y = classes_[1] | x) = sigmoid(x @ w + b). The objective, the same as
    scikit-learn's LogisticRegression(C=C), so the same minimiser:

        J(w, b) = sum_i [log(1 + exp(z_i)) - y_i z_i]  +  ||w||^2 / (2C)

    The penalty keeps weights small (on separable data the unpenalised optimum is at
    infinity); smaller C = stronger penalty. b is not penalised: shifting every score
    by a constant is not overfitting. C=np.inf turns the penalty off.

    Gradient descent runs on J / N (the mean, so lr does not depend on N):
        p = sigmoid(X @ w + b)                (N,)
        dJ/dw = (X^T (p - y) + w / C) / N     (D,)
        dJ/db = sum(p - y) / N

    Why the default lr=1.0 is safe on standardised features: the curvature of J / N is
    X^T diag(p(1 - p)) X / N, and p(1 - p) <= 1/4, so it is at most a quarter of
    X^T X / N (whose largest eigenvalue is a few for standardised data); gradient descent
    is stable for lr < 2 / curvature.

    y may hold any two labels; classes_ = their sorted values, and classes_[1] is the
    "positive" class. coef_ is (D,) and intercept_ a float (scikit-learn stores (1, D)
    and (1,), as it also handles more classes).

    Learned: coef_ (D,), intercept_, classes_ (2,), n_iter_, loss_curve_ (J/N per
    step), n_features_in_. score(X, y) is the accuracy (from ClassifierMixin).
    """

    def __init__(
        self,
        C: float = 1.0,
        lr: float = 1.0,
        n_iter: int = 10000,
        tol: float = 1e-4,
        fit_intercept: bool = True,
    ):
        self.C = C  # inverse penalty strength: loss + ||w||^2 / (2C)
        self.lr = lr  # gradient descent step size
        self.n_iter = n_iter  # maximum number of steps
        self.tol = tol  # stop when every |gradient component| < tol
        self.fit_intercept = fit_intercept  # learn the bias b

    def fit(self, X: Any, y: Any) -> LogisticRegression:
        if not self.C > 0:
            raise ValueError(f"C must be positive (np.inf for no penalty), got {self.C!r}")
        X, y = check_X_y(self, X, y, y_numeric=False)  # (N, D), (N,) any two labels
        if y.dtype.kind == "f" and not np.isfinite(y).all():
            raise ValueError("y contains NaN or infinity; every sample needs its class")
        classes = np.unique(y)
        if len(classes) != 2:
            raise ValueError(_not_two_classes(y, classes))
        t = (y == classes[1]).astype(np.float64)  # (N,) targets in {0, 1}
        n, d = X.shape
        inv_c = 0.0 if np.isinf(self.C) else 1.0 / self.C

        def objective_and_grad(w: np.ndarray, b: float) -> tuple[float, np.ndarray, float]:
            z = X @ w + b  # (N,) logits
            loss = log_loss_from_logits(t, z) + 0.5 * inv_c * (w @ w) / n
            err = sigmoid(z) - t  # (N,) dJ/dz for each sample
            return loss, (X.T @ err + inv_c * w) / n, float(err.sum() / n)

        w, b, self.n_iter_, losses = _gradient_descent(self, objective_and_grad, d)
        self.coef_, self.intercept_ = w, float(b)
        self.classes_ = classes
        self.loss_curve_ = np.array(losses)
        self.n_features_in_ = d
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """The score z = X @ w + b (N,): log-odds of classes_[1]; > 0 means predict it."""
        check_is_fitted(self, "coef_")
        X = check_array(X, "X")
        check_n_features(self, X)
        return X @ self.coef_ + self.intercept_

    def predict_proba(self, X: Any) -> np.ndarray:
        """(N, 2): column k is P(y = classes_[k]); rows sum to 1."""
        p = sigmoid(self.decision_function(X))  # (N,)
        return np.stack([1 - p, p], axis=1)

    def predict(self, X: Any) -> np.ndarray:
        """classes_[1] where P(classes_[1]) > 0.5, i.e. where z > 0, else classes_[0]."""
        z = self.decision_function(X)  # (N,); raises NotFittedError before fit
        return self.classes_[(z > 0).astype(int)]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False  # binary: fit refuses three classes
        return tags
