"""Ones column put first, theta from the Moore-Penrose pseudo-inverse (np.linalg.pinv)."""

import numpy as np


def fit_closed_form(X, y):
    X = np.asarray(X, dtype=float)
    design = np.column_stack((np.ones(X.shape[0]), X))  # bias is theta[0]
    theta = np.linalg.pinv(design) @ np.asarray(y, dtype=float)
    return theta[1:], float(theta[0])
