"""lmschool.ml.plotting draws headless, returns the Axes, and never calls plt.show()."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lmschool.ml import LinearRegression, LogisticRegression  # noqa: E402
from lmschool.ml.plotting import decision_boundary, learning_curve  # noqa: E402


@pytest.fixture(autouse=True)
def no_show(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("plotting helpers must not call plt.show()")

    monkeypatch.setattr(plt, "show", refuse)
    yield
    plt.close("all")


def test_learning_curve_draws_one_line_per_series(tmp_path) -> None:
    ax = learning_curve({"train": [1.0, 0.5, 0.3], "validation": [1.1, 0.7, 0.6]}, logy=True)
    assert [line.get_label() for line in ax.get_lines()] == ["train", "validation"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch"
    ax.figure.savefig(tmp_path / "curve.png")
    assert (tmp_path / "curve.png").stat().st_size > 0
    _, given = plt.subplots()
    assert learning_curve({"loss": np.linspace(1, 0, 5)}, ax=given, title="t") is given
    with pytest.raises(ValueError, match="history"):
        learning_curve({})


def test_decision_boundary_with_probabilities_and_with_predict_only(tmp_path) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = (X[:, 0] - X[:, 1] > 0).astype(int)
    ax = decision_boundary(LogisticRegression().fit(X, y), X, y, resolution=30)
    assert ax.get_title() == "LogisticRegression decision boundary"
    assert len(ax.collections) >= 3  # filled contours, the 0.5 line, the scattered points
    plt.savefig(tmp_path / "boundary.png")
    ax2 = decision_boundary(LinearRegression().fit(X, y), X, y, resolution=20, title="lin")
    assert ax2.get_title() == "lin"
    with pytest.raises(ValueError, match="2 features"):
        decision_boundary(LinearRegression().fit(X, y), np.c_[X, X], y)
