"""Off by one: appends the ones as the last column but reads b from theta[0]."""

import numpy as np


def fit_closed_form(X, y):
    Xt = np.column_stack([X, np.ones(len(X))])
    theta, *_ = np.linalg.lstsq(Xt, y, rcond=None)
    return theta[1:], float(theta[0])
