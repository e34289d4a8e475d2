"""Fits w without a bias column, then sets b to mean(y) (only right for centred X)."""

import numpy as np


def fit_closed_form(X, y):
    w, *_ = np.linalg.lstsq(X, y, rcond=None)
    return w, float(np.mean(y))
