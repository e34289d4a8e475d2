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

    def _scores(self, Z):
        hidden = np.maximum(Z @ self.W1_ + self.b1_, 0.0)
        return hidden, hidden @ self.W2_ + self.b2_  # (N, H), (N, 2)

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
        names = ("W1_", "b1_", "W2_", "b2_")
        velocity = {k: np.zeros_like(getattr(self, k)) for k in names}
        onehot = np.eye(2)[y]
        for _ in range(self.epochs):
            order = rng.permutation(len(Z))
            for start in range(0, len(Z), self.batch):
                idx = order[start : start + self.batch]
                hidden, scores = self._scores(Z[idx])
                scores -= scores.max(axis=1, keepdims=True)
                probs = np.exp(scores)
                probs /= probs.sum(axis=1, keepdims=True)
                d_scores = (probs - onehot[idx]) / len(idx)  # (B, 2)
                d_hidden = (d_scores @ self.W2_.T) * (hidden > 0)
                grads = {
                    "W2_": hidden.T @ d_scores,
                    "b2_": d_scores.sum(axis=0),
                    "W1_": Z[idx].T @ d_hidden,
                    "b1_": d_hidden.sum(axis=0),
                }
                for k in names:
                    velocity[k] = self.momentum * velocity[k] - self.lr * grads[k]
                    setattr(self, k, getattr(self, k) + velocity[k])
        return self

    def predict(self, X):
        if not hasattr(self, "W2_"):
            raise RuntimeError("MoonsMLP.predict before fit")
        _, scores = self._scores((np.asarray(X, dtype=float) - self.loc_) / self.scale_)
        return scores.argmax(axis=1)
