"""Computes the right values but returns a NumPy array instead of a tensor."""


def linear_forward(x, w, b):
    return x.numpy() @ w.numpy().T + b.numpy()
