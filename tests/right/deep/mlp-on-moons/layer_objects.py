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

    def backward(self, grad):
        self.dW = self.x.T @ grad
        self.db = grad.sum(axis=0)
        return grad @ self.W.T

    def update(self, lr):
        self.W = self.W - lr * self.dW
        self.b = self.b - lr * self.db


class Tanh:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad):
        return grad * (1.0 - self.out**2)

    def update(self, lr):
        pass


class MoonsMLP:
    def __init__(self, hidden=24, lr=1.0, steps=800, seed=7):
        self.hidden = hidden
        self.lr = lr
        self.steps = steps
        self.seed = seed

    def _dense(self):
        return [layer for layer in self.layers_ if isinstance(layer, Dense)]

    def _run(self, X):
        if not hasattr(self, "layers_"):
            raise RuntimeError("call fit(X, y) first")
        out = (np.asarray(X, dtype=float) - self.low_) / self.span_ * 2.0 - 1.0
        for layer in self.layers_:
            out = layer.forward(out)
        return out[:, 0]

    @property
    def params(self):
        found = {}
        for k, layer in enumerate(self._dense(), start=1):
            found[f"W{k}"], found[f"b{k}"] = layer.W, layer.b
        return found

    def set_params(self, params):
        for k, layer in enumerate(self._dense(), start=1):
            layer.W = np.array(params[f"W{k}"], dtype=float)
            layer.b = np.array(params[f"b{k}"], dtype=float)
        return self

    def predict_proba(self, X):
        return 1.0 / (1.0 + np.exp(-self._run(X)))

    def predict(self, X):
        return np.where(self._run(X) > 0.0, 1, 0)

    def loss(self, X, y):
        p = np.clip(self.predict_proba(X), 1e-12, 1 - 1e-12)
        t = np.asarray(y, dtype=float).reshape(-1)
        return float(-np.mean(t * np.log(p) + (1 - t) * np.log(1 - p)))

    def _backward(self, X, y):
        logit = self._run(X)
        p = 1.0 / (1.0 + np.exp(-logit))
        target = np.asarray(y, dtype=float).reshape(-1)
        grad = ((p - target) / len(target))[:, None]  # d mean cross-entropy / d logit
        for layer in reversed(self.layers_):
            grad = layer.backward(grad)

    def gradients(self, X, y):
        self._backward(X, y)
        found = {}
        for k, layer in enumerate(self._dense(), start=1):
            found[f"W{k}"], found[f"b{k}"] = layer.dW, layer.db
        return found

    def step(self, X, y, lr):
        self._backward(X, y)
        for layer in self.layers_:
            layer.update(lr)

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        self.low_ = X.min(axis=0)
        span = X.max(axis=0) - self.low_
        self.span_ = np.where(span > 0, span, 1.0)
        rng = np.random.default_rng(self.seed)
        h = self.hidden
        self.layers_ = [Dense(2, h, rng), Tanh(), Dense(h, h, rng), Tanh(), Dense(h, 1, rng)]
        for _ in range(self.steps):
            self.step(X, y, self.lr)
        return self
