"""Element by element with the math module (np.vectorize for the sigmoid, a loop for the loss)."""

import math

import numpy as np


def _sigmoid_scalar(z):
    if z < 0:
        ez = math.exp(z)
        return ez / (1.0 + ez)
    return 1.0 / (1.0 + math.exp(-z))


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.vectorize(_sigmoid_scalar, otypes=[float])(z).reshape(z.shape)


def log_loss(y, z):
    total = 0.0
    count = 0
    for label, logit in zip(np.ravel(y), np.ravel(z), strict=True):
        logit = float(logit)
        # log(1 + e^logit), written so that e^x is only taken of x <= 0
        softplus = max(logit, 0.0) + math.log1p(math.exp(-abs(logit)))
        total += softplus - float(label) * logit
        count += 1
    return total / count
