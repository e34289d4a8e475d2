import numpy as np


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of logits Z (N, K): every row is a probability distribution."""
    # TODO: subtract each row's maximum, exponentiate, divide by the row sums.
    raise NotImplementedError("softmax: write your code here")


def cross_entropy(Z: np.ndarray, y: np.ndarray) -> float:
    """Mean of -log softmax(Z)[i, y[i]] over the N rows; y holds class indices 0..K-1."""
    # TODO: a log-softmax computed from shifted logits, then the mean over the true classes.
    raise NotImplementedError("cross_entropy: write your code here")


def softmax_gradient(
    X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of cross_entropy(X @ W + b, y) with respect to W (D, K) and b (K,)."""
    # TODO: P = softmax(X @ W + b), one-hot Y, then X.T @ (P - Y) / N and its column means.
    raise NotImplementedError("softmax_gradient: write your code here")
