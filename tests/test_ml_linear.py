"""lmschool.ml.linear against scikit-learn, and the numerics that make it safe."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn import linear_model as sklm

from lmschool.ml import (
    ConvergenceWarning,
    LinearRegression,
    LogisticRegression,
    StandardScaler,
    log_loss,
    log_loss_from_logits,
    sigmoid,
)


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(150, 4))
    y = X @ np.array([1.5, -2.0, 0.0, 0.7]) + 3.0 + rng.normal(scale=0.3, size=150)
    return X, y


@pytest.fixture(scope="module")
def classification():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 3))
    y = (X @ np.array([1.0, -2.0, 0.5]) + 0.3 + rng.logistic(size=200) > 0).astype(int)
    return X, y


@pytest.mark.parametrize("fit_intercept", [True, False])
def test_normal_equations_match_sklearn(regression, fit_intercept) -> None:
    X, y = regression
    ours = LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    theirs = sklm.LinearRegression(fit_intercept=fit_intercept).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-10)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-10)
    assert isinstance(ours.intercept_, float) and ours.rank_ == 4
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y))


def test_collinear_features_give_sklearns_minimum_norm_solution(regression) -> None:
    X, y = regression
    X = np.column_stack([X, X[:, 0]])  # an exact copy of column 0: X^T X is singular
    ours = LinearRegression().fit(X, y)
    theirs = sklm.LinearRegression().fit(X, y)
    assert ours.rank_ == 4
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-8)
    np.testing.assert_allclose(ours.coef_[0], ours.coef_[4])  # weight shared equally


def test_gradient_descent_reaches_the_normal_equation_solution(regression) -> None:
    X, y = regression
    exact = LinearRegression().fit(X, y)
    gd = LinearRegression(method="gd", lr=0.1, n_iter=5000, tol=1e-9).fit(X, y)
    np.testing.assert_allclose(gd.coef_, exact.coef_, atol=1e-7)
    assert gd.intercept_ == pytest.approx(exact.intercept_, abs=1e-7)
    assert gd.n_iter_ < 5000 and len(gd.loss_curve_) == gd.n_iter_
    assert np.all(np.diff(gd.loss_curve_) <= 1e-12)  # a small enough lr only goes down


def test_gradient_descent_reports_divergence_and_non_convergence(regression) -> None:
    X, y = regression
    X_big = X * 1000  # unscaled features: lr=0.1 is far too large
    with pytest.raises(FloatingPointError, match=r"diverged.*lr=0\.1.*StandardScaler"):
        LinearRegression(method="gd", lr=0.1).fit(X_big, y)
    with pytest.warns(ConvergenceWarning, match="n_iter=5"):
        LinearRegression(method="gd", n_iter=5).fit(X, y)
    with pytest.raises(ValueError, match="method"):
        LinearRegression(method="sgd").fit(X, y)


@pytest.mark.parametrize("C", [0.01, 1.0, 100.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_logistic_regression_matches_sklearn(classification, C, fit_intercept) -> None:
    X, y = classification
    ours = LogisticRegression(C=C, lr=1.0, n_iter=20000, tol=1e-9, fit_intercept=fit_intercept)
    ours.fit(X, y)
    theirs = sklm.LogisticRegression(C=C, tol=1e-10, max_iter=10000, fit_intercept=fit_intercept)
    theirs.fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_[0], atol=1e-6)
    assert ours.intercept_ == pytest.approx(float(theirs.intercept_[0]), abs=1e-6)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)
    np.testing.assert_allclose(ours.decision_function(X), theirs.decision_function(X), atol=1e-5)
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_logistic_regression_without_penalty_matches_sklearn(classification) -> None:
    X, y = classification
    ours = LogisticRegression(C=np.inf, lr=1.0, n_iter=20000, tol=1e-9).fit(X, y)
    theirs = sklm.LogisticRegression(C=np.inf, tol=1e-10, max_iter=10000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_[0], atol=1e-5)


def test_logistic_regression_labels_probabilities_and_errors(classification) -> None:
    X, y = classification
    names = np.array(["ham", "spam"])[y]
    model = LogisticRegression().fit(StandardScaler().fit_transform(X), names)
    np.testing.assert_array_equal(model.classes_, ["ham", "spam"])
    Xs = StandardScaler().fit_transform(X)
    proba = model.predict_proba(Xs)
    assert proba.shape == (200, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(model.predict(Xs), np.where(proba[:, 1] > 0.5, "spam", "ham"))
    assert model.score(Xs, names) > 0.7
    assert len(model.loss_curve_) == model.n_iter_
    with pytest.raises(ValueError, match="exactly two classes"):
        LogisticRegression().fit(X, y + (X[:, 0] > 1))
    with pytest.raises(ValueError, match="exactly two classes"):
        LogisticRegression().fit(X, np.zeros(200))
    with pytest.raises(ValueError, match="C must be positive"):
        LogisticRegression(C=0).fit(X, y)


def test_separable_data_stays_finite() -> None:
    X = np.array([[-2.0], [-1.0], [1.0], [2.0]]) * 50  # perfectly separable, large scores
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no overflow inside
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = LogisticRegression(C=1e6, n_iter=200).fit(X, [0, 0, 1, 1])
    assert np.all(np.isfinite(model.coef_)) and np.isfinite(model.loss_curve_).all()
    np.testing.assert_array_equal(model.predict(X), [0, 0, 1, 1])


def test_sigmoid_and_log_loss_from_logits_are_stable() -> None:
    z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning would fail here
        p = sigmoid(z)
        big = log_loss_from_logits([1, 0], [-1000.0, 1000.0])
    np.testing.assert_allclose(p, [0.0, 9.357622968840175e-14, 0.5, 1 - 9.357622968840175e-14, 1.0])
    assert big == pytest.approx(1000.0)  # log(1 + e^1000) - 0: the true value, not inf
    y = np.array([0, 1, 1, 0, 1])
    z = np.array([-2.0, 0.5, 3.0, 1.0, -0.3])
    assert log_loss_from_logits(y, z) == pytest.approx(log_loss(y, sigmoid(z)))
