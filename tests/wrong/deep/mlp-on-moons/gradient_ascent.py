"""Wrong sign: uses y - p as the gradient of the loss, so training climbs the loss."""

import numpy as np


class MoonsMLP:
    """A 2 -> H -> H -> 1 tanh network for two-class points in the plane, trained with backprop.

    fit() standardises the inputs (mean and std of the training data), then runs
    full-batch gradient descent with Adam on the mean binary cross-entropy. The
    backward pass is the chain rule written out for arrays, layer by layer.
    """

    def __init__(self, hidden=16, lr=0.02, epochs=800, seed=0):
        self.hidden = hidden
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def _forward(self, X):
        h1 = np.tanh(X @ self.W1_ + self.b1_)  # (N, H)
        h2 = np.tanh(h1 @ self.W2_ + self.b2_)  # (N, H)
        z = h2 @ self.w3_ + self.b3_  # (N,) logits
        return h1, h2, z

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        self.mean_, self.std_ = X.mean(axis=0), X.std(axis=0) + 1e-12
        X = (X - self.mean_) / self.std_
        rng = np.random.default_rng(self.seed)
        H = self.hidden
        # random (not zero) weights break the symmetry between hidden units;
        # scale 1/sqrt(fan_in) keeps tanh away from saturation (Xavier-style)
        self.W1_ = rng.normal(size=(2, H)) / np.sqrt(2)
        self.b1_ = np.zeros(H)
        self.W2_ = rng.normal(size=(H, H)) / np.sqrt(H)
        self.b2_ = np.zeros(H)
        self.w3_ = rng.normal(size=H) / np.sqrt(H)
        self.b3_ = 0.0
        params = ["W1_", "b1_", "W2_", "b2_", "w3_", "b3_"]
        m = {p: 0.0 for p in params}
        v = {p: 0.0 for p in params}
        n = len(y)
        for t in range(1, self.epochs + 1):
            h1, h2, z = self._forward(X)
            p = 1.0 / (1.0 + np.exp(-z))
            dz = (y - p) / n  # (N,) dL/dz of the mean cross-entropy
            grads = {"w3_": h2.T @ dz, "b3_": dz.sum()}
            dh2 = np.outer(dz, self.w3_) * (1 - h2**2)  # (N, H) through tanh: 1 - tanh^2
            grads["W2_"], grads["b2_"] = h1.T @ dh2, dh2.sum(axis=0)
            dh1 = (dh2 @ self.W2_.T) * (1 - h1**2)  # (N, H)
            grads["W1_"], grads["b1_"] = X.T @ dh1, dh1.sum(axis=0)
            for name in params:  # Adam
                g = grads[name]
                m[name] = 0.9 * m[name] + 0.1 * g
                v[name] = 0.999 * v[name] + 0.001 * g * g
                step = (
                    self.lr * (m[name] / (1 - 0.9**t)) / (np.sqrt(v[name] / (1 - 0.999**t)) + 1e-8)
                )
                setattr(self, name, getattr(self, name) - step)
        return self

    def predict(self, X):
        if not hasattr(self, "W1_"):
            raise RuntimeError("MoonsMLP is not fitted yet: call fit first")
        X = (np.asarray(X, dtype=np.float64) - self.mean_) / self.std_
        return (self._forward(X)[2] > 0).astype(np.int64)
