"""Ridge with the bias as one more weight and a penalty matrix that leaves it out."""

import numpy as np


def ridge_fit(X, y, lam):
    n, d = X.shape
    A = np.hstack([np.ones((n, 1)), X])
    P = np.diag([0.0] + [1.0] * d)  # no penalty on the bias (first entry)
    theta = np.linalg.solve(A.T @ A / n + lam * P, A.T @ y / n)
    return theta[1:], theta[0]


def weight_decay_step(X, y, w, b, lam, lr):
    theta = np.concatenate([[b], w])
    A = np.hstack([np.ones((len(y), 1)), X])
    P = np.diag([0.0] + [1.0] * len(w))
    grad = 2 * A.T @ (A @ theta - y) / len(y) + 2 * lam * P @ theta
    new = theta - lr * grad
    return new[1:], new[0]
