import numpy as np


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits Z (N, K): every row is a probability distribution."""
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))  # shift: the largest exponent is 0
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy(Z: np.ndarray, y: np.ndarray) -> float:
    """Mean of -log softmax(Z)[i, y[i]] over the N rows; y holds class indices 0..K-1."""
    Z = np.asarray(Z, dtype=np.float64)
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-softmax (N, K)
    return float(-np.mean(log_p[np.arange(len(Z)), y]))


def softmax_gradient(
    X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of cross_entropy(X @ W + b, y) with respect to W (D, K) and b (K,)."""
    X = np.asarray(X, dtype=np.float64)
    P = softmax(X @ W + b)  # (N, K)
    Y = np.zeros_like(P)
    Y[np.arange(len(X)), y] = 1.0  # one-hot labels
    G = (P - Y) / len(X)  # (N, K)
    return X.T @ G, G.sum(axis=0)
