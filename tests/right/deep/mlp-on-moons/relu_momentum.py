"""One wide ReLU hidden layer, He initialisation, mini-batch SGD with momentum, and a
softmax over two output units instead of one sigmoid logit."""

import numpy as np


class MoonsMLP:
    def __init__(self, width=64, lr=0.1, momentum=0.9, epochs=300, batch=32, seed=1):
        self.width = width
        self.lr = lr
        self.momentum = momentum
        self.epochs = epochs
        self.batch = batch
        self.seed = seed

    names = ("W1", "b1", "W2", "b2")

    @property
    def params(self):
        return {k: getattr(self, k + "_") for k in self.names}

    def set_params(self, params):
        for k in self.names:
            setattr(self, k + "_", np.array(params[k], dtype=float))
        return self

    def _scale(self, X):
        if not hasattr(self, "W2_"):
            raise RuntimeError("MoonsMLP used before fit")
        return (np.asarray(X, dtype=float) - self.loc_) / self.scale_

    def _scores(self, Z):
        hidden = np.maximum(Z @ self.W1_ + self.b1_, 0.0)
        return hidden, hidden @ self.W2_ + self.b2_  # (N, H), (N, 2)

    @staticmethod
    def _softmax(scores):
        scores = scores - scores.max(axis=1, keepdims=True)
        probs = np.exp(scores)
        return probs / probs.sum(axis=1, keepdims=True)

    def _grads(self, Z, y):
        hidden, scores = self._scores(Z)
        onehot = np.eye(2)[np.asarray(y).astype(int).ravel()]
        d_scores = (self._softmax(scores) - onehot) / len(Z)  # (B, 2)
        d_hidden = (d_scores @ self.W2_.T) * (hidden > 0)
        return {
            "W2": hidden.T @ d_scores,
            "b2": d_scores.sum(axis=0),
            "W1": Z.T @ d_hidden,
            "b1": d_hidden.sum(axis=0),
        }

    def predict_proba(self, X):
        return self._softmax(self._scores(self._scale(X))[1])[:, 1]

    def predict(self, X):
        _, scores = self._scores(self._scale(X))
        return scores.argmax(axis=1)

    def loss(self, X, y):
        probs = self._softmax(self._scores(self._scale(X))[1])
        labels = np.asarray(y).astype(int).ravel()
        return float(-np.mean(np.log(probs[np.arange(len(labels)), labels] + 1e-300)))

    def gradients(self, X, y):
        return self._grads(self._scale(X), y)

    def step(self, X, y, lr):
        for k, g in self.gradients(X, y).items():
            setattr(self, k + "_", getattr(self, k + "_") - lr * g)

    def fit(self, X, y):
        X = np.asarray(X, dtype=float)
        y = np.asarray(y).astype(int).ravel()
        self.loc_ = X.mean(axis=0)
        self.scale_ = X.std(axis=0)
        self.scale_[self.scale_ == 0] = 1.0
        Z = (X - self.loc_) / self.scale_
        rng = np.random.default_rng(self.seed)
        self.W1_ = rng.normal(0.0, np.sqrt(2.0 / 2), size=(2, self.width))
        self.b1_ = np.zeros(self.width)
        self.W2_ = rng.normal(0.0, np.sqrt(2.0 / self.width), size=(self.width, 2))
        self.b2_ = np.zeros(2)
        velocity = {k: np.zeros_like(getattr(self, k + "_")) for k in self.names}
        for _ in range(self.epochs):
            order = rng.permutation(len(Z))
            for start in range(0, len(Z), self.batch):
                idx = order[start : start + self.batch]
                grads = self._grads(Z[idx], y[idx])
                for k in self.names:
                    velocity[k] = self.momentum * velocity[k] - self.lr * grads[k]
                    setattr(self, k + "_", getattr(self, k + "_") + velocity[k])
        return self
