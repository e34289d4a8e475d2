"""Sums the bias gradients over every axis (examples and units) instead of over the examples only."""

import numpy as np


class MoonsMLP:
    """A 2 -> H -> H -> 1 tanh network for two-class points in the plane, trained with backprop.

    Parameters live in ``params``: W1 (2, H), b1 (H,), W2 (H, H), b2 (H,), W3 (H, 1),
    b3 (1,). The network standardises its inputs with the training data's mean and std
    (learned in fit), the loss is the mean binary cross-entropy of the output logit, and
    ``gradients`` is the chain rule written out for arrays, layer by layer. fit runs
    full-batch gradient descent: ``step`` over and over.
    """

    def __init__(self, hidden=16, lr=1.0, epochs=500, seed=0):
        self.hidden = hidden
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def _forward(self, X):
        """The layers' outputs (input, h1, h2) and the logits (N,) for raw inputs X."""
        if not hasattr(self, "params"):
            raise RuntimeError("MoonsMLP is not fitted yet: call fit first")
        p = self.params
        h0 = (np.asarray(X, dtype=np.float64) - self.mean_) / self.std_  # (N, 2)
        h1 = np.tanh(h0 @ p["W1"] + p["b1"])  # (N, H)
        h2 = np.tanh(h1 @ p["W2"] + p["b2"])  # (N, H)
        z = (h2 @ p["W3"] + p["b3"])[:, 0]  # (N,) logits
        return (h0, h1, h2), z

    def predict_proba(self, X):
        """P(y = 1) for every point, shape (N,)."""
        return 1.0 / (1.0 + np.exp(-self._forward(X)[1]))

    def predict(self, X):
        return (self._forward(X)[1] > 0).astype(np.int64)

    def loss(self, X, y):
        """The mean binary cross-entropy, written with the logits (stable for large |z|)."""
        z = self._forward(X)[1]
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        return float(np.mean(np.logaddexp(0.0, z) - y * z))

    def gradients(self, X, y):
        """d loss(X, y) / d each parameter, by backpropagation: a dict like params."""
        (h0, h1, h2), z = self._forward(X)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        p = self.params
        dz = ((1.0 / (1.0 + np.exp(-z)) - y) / len(y))[:, None]  # (N, 1) dL/dz
        grads = {"W3": h2.T @ dz, "b3": dz.sum()}
        d2 = (dz @ p["W3"].T) * (1 - h2**2)  # (N, H) through tanh: 1 - tanh^2
        grads["W2"], grads["b2"] = h1.T @ d2, d2.sum()
        d1 = (d2 @ p["W2"].T) * (1 - h1**2)  # (N, H)
        grads["W1"], grads["b1"] = h0.T @ d1, d1.sum()
        return grads

    def set_params(self, params):
        """Replace the parameters with copies of the given arrays (same names and shapes)."""
        for name, value in params.items():
            self.params[name] = np.array(value, dtype=np.float64)
        return self

    def step(self, X, y, lr):
        """One step of plain gradient descent on loss(X, y)."""
        for name, g in self.gradients(X, y).items():
            self.params[name] = self.params[name] - lr * g
        return self

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        self.mean_, self.std_ = X.mean(axis=0), X.std(axis=0) + 1e-12
        rng = np.random.default_rng(self.seed)
        # random (not zero) weights break the symmetry between hidden units;
        # scale 1/sqrt(fan_in) keeps tanh away from saturation (Xavier-style)
        sizes = [2, self.hidden, self.hidden, 1]
        self.params = {}
        for k, (m, n) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            self.params[f"W{k}"] = rng.normal(size=(m, n)) / np.sqrt(m)
            self.params[f"b{k}"] = np.zeros(n)
        for _ in range(self.epochs):
            self.step(X, y, self.lr)
        return self
