"""LaTeX shown in the terminal as Unicode that keeps the formula's meaning."""

from __future__ import annotations

import re

import pytest

from lmschool.cli.mathtext import markdown_math, to_unicode
from lmschool.course import Catalog
from tests.conftest import TESTPACK


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        (r"\frac{x - \mu}{\sigma}", "(x − μ)/σ"),
        (r"h_t = f\left(W_{hh}h_{t-1} + W_{xh}x_t + b_h\right)", "hₜ = f(Wₕₕhₜ₋₁ + Wₓₕxₜ + bₕ)"),
        (r"\sum_{i=1}^{N} x_i^2", "∑ᵢ₌₁ᴺ xᵢ²"),
        (r"\mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V", "softmax(QKᵀ/√dₖ)V"),
        (r"\hat{y} = \sigma(w^\top x + b)", "ŷ = σ(wᵀx + b)"),
        (r"x_t \in \mathbb{R}^D", "xₜ ∈ ℝᴰ"),
        (r"10^{-15}", "10⁻¹⁵"),
        (r"\theta \leftarrow \theta - \eta \nabla_\theta L", "θ ← θ − η ∇_θL"),
        (r"y_t = W_{hy}h_t", "yₜ = W_(hy)hₜ"),  # no Unicode subscript y: the group stays visible
        (r"L \approx (N_c/N)^{0.076}", "L ≈ (N_c/N)^0.076"),
    ],
)
def test_formulas_read_as_written(latex: str, shown: str) -> None:
    assert to_unicode(latex) == shown


def test_markdown_specials_are_escaped() -> None:
    assert markdown_math(r"W_{xy} * v") == r"W\_(xy) \* v"


def test_every_formula_of_the_bundled_course_converts() -> None:
    """No formula is lost: every one gives non-empty text without LaTeX commands left."""
    catalog = Catalog.load([TESTPACK], include_bundled=True)
    math = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$]+?)\$", re.S)
    checked = 0
    for lesson in (le for c in catalog.courses for le in c.lessons()):
        text = re.sub(r"```.*?```", "", lesson.text("en"), flags=re.S)
        for m in math.finditer(text):
            latex = (m.group(1) or m.group(2)).strip()
            out = to_unicode(latex)
            assert out.strip(), (lesson.id, latex)
            left = re.findall(r"\\[A-Za-z]+", out)
            assert not left, (lesson.id, latex, out)
            checked += 1
    assert checked > 100
