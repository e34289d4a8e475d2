"""Missing bias: solves least squares on X alone, so the line goes through the origin."""

import numpy as np


def fit_closed_form(X, y):
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    return w, 0.0
