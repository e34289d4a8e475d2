"""Forgets the bias."""


def linear_forward(x, w, b):
    return x @ w.T
