"""Inverts Xt.T @ Xt, which fails or gives garbage when two columns are identical."""

import numpy as np


def fit_closed_form(X, y):
    Xt = np.column_stack([X, np.ones(len(X))])
    theta = np.linalg.inv(Xt.T @ Xt) @ Xt.T @ y
    return theta[:-1], float(theta[-1])
