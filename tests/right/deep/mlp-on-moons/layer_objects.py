"""Layer objects with forward/backward methods (Dense, Tanh), inputs rescaled to [-1, 1] by the
training minimum and maximum, and plain full-batch gradient descent."""

import numpy as np


class Dense:
    def __init__(self, n_in, n_out, rng):
        self.W = rng.uniform(-1, 1, size=(n_in, n_out)) * np.sqrt(6.0 / (n_in + n_out))
        self.b = np.zeros(n_out)

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, grad, lr):
        grad_in = grad @ self.W.T
        self.W -= lr * (self.x.T @ grad)
        self.b -= lr * grad.sum(axis=0)
        return grad_in


class Tanh:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad, lr):
        return grad * (1.0 - self.out**2)


class MoonsMLP:
    def __init__(self, hidden=24, lr=1.0, steps=800, seed=7):
        self.hidden = hidden
        self.lr = lr
        self.steps = steps
        self.seed = seed

    def _run(self, X):
        out = (np.asarray(X, dtype=float) - self.low_) / self.span_ * 2.0 - 1.0
        for layer in self.layers_:
            out = layer.forward(out)
        return out[:, 0]

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        target = np.asarray(y, dtype=float).reshape(-1)
        self.low_ = X.min(axis=0)
        span = X.max(axis=0) - self.low_
        self.span_ = np.where(span > 0, span, 1.0)
        rng = np.random.default_rng(self.seed)
        h = self.hidden
        self.layers_ = [Dense(2, h, rng), Tanh(), Dense(h, h, rng), Tanh(), Dense(h, 1, rng)]
        n = len(target)
        for _ in range(self.steps):
            logit = self._run(X)
            p = 1.0 / (1.0 + np.exp(-logit))
            grad = ((p - target) / n)[:, None]  # d mean cross-entropy / d logit
            for layer in reversed(self.layers_):
                grad = layer.backward(grad, self.lr)
        return self

    def predict(self, X):
        if not hasattr(self, "layers_"):
            raise RuntimeError("call fit(X, y) first")
        return np.where(self._run(X) > 0.0, 1, 0)
