import numpy as np


def ridge_fit(X: np.ndarray, y: np.ndarray, lam: float) -> tuple[np.ndarray, float]:
    """Minimise mean((X @ w + b - y) ** 2) + lam * |w|^2 exactly; b is not penalised."""
    X = np.asarray(X, dtype=np.float64)  # (N, D)
    y = np.asarray(y, dtype=np.float64)  # (N,)
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc = X - x_mean  # centred copy: the optimal b is y_mean - x_mean @ w, so w sees centred data
    A = Xc.T @ Xc + len(y) * lam * np.eye(X.shape[1])  # (D, D); N * lam because the loss is a mean
    w = np.linalg.solve(A, Xc.T @ (y - y_mean))
    return w, float(y_mean - x_mean @ w)


def weight_decay_step(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float, lam: float, lr: float
) -> tuple[np.ndarray, float]:
    """One gradient-descent step on the same loss, from (w, b); returns the new (w, b)."""
    X = np.asarray(X, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    r = X @ w + b - np.asarray(y, dtype=np.float64)  # (N,) residuals of the current weights
    grad_w = 2.0 * X.T @ r / len(r) + 2.0 * lam * w  # mean squared error + lam |w|^2
    grad_b = 2.0 * r.mean()  # no penalty on the bias
    return w - lr * grad_w, float(b - lr * grad_b)
