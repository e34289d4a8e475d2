import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp(-logaddexp(0, -z)) = 1 / (1 + e^-z), with no overflow for any z
    return np.exp(-np.logaddexp(0.0, -z))


def logistic_gradient(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float
) -> tuple[np.ndarray, float]:
    """(dL/dw, dL/db) of the mean binary cross-entropy with p = sigmoid(X @ w + b)."""
    X = np.asarray(X, dtype=np.float64)
    r = _sigmoid(X @ np.asarray(w, dtype=np.float64) + b) - np.asarray(
        y, dtype=np.float64
    )  # (N,) p - y
    return X.T @ r / len(r), float(r.mean())  # (D,), scalar
