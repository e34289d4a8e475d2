import numpy as np  # noqa: F401


class MoonsMLP:
    """A small neural network for two-class points in the plane, trained with backprop.

    Suggested design: standardise the inputs in fit, a 2 -> 16 -> 16 -> 1 network with
    tanh hidden layers, the mean binary cross-entropy on the output logit, full-batch
    gradient descent. Parameters: self.params = {"W1": (2, 16), "b1": (16,),
    "W2": (16, 16), "b2": (16,), "W3": (16, 1), "b3": (1,)}. With arrays, one step over
    all 200 points takes microseconds.
    """

    def __init__(self, hidden=16, lr=1.0, epochs=500, seed=0):
        self.hidden = hidden
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def fit(self, X, y):
        """Train on X (N, 2) and labels y (N,) of 0/1; return self."""
        # TODO: 1) standardise, 2) create self.params with random weights, 3) step, step, ...
        raise NotImplementedError("MoonsMLP.fit: write your code here")

    def set_params(self, params):
        """Replace every parameter with a copy of params[name]."""
        raise NotImplementedError("MoonsMLP.set_params: write your code here")

    def predict_proba(self, X):
        """P(y = 1) for every point, shape (N,)."""
        raise NotImplementedError("MoonsMLP.predict_proba: write your code here")

    def predict(self, X):
        """Labels 0/1 of shape (N,), 1 where predict_proba(X) > 0.5; RuntimeError before fit."""
        raise NotImplementedError("MoonsMLP.predict: write your code here")

    def loss(self, X, y):
        """The mean binary cross-entropy over the N points (a float)."""
        raise NotImplementedError("MoonsMLP.loss: write your code here")

    def gradients(self, X, y):
        """{name: d loss(X, y) / d params[name]}, by backpropagation."""
        raise NotImplementedError("MoonsMLP.gradients: write your code here")

    def step(self, X, y, lr):
        """One step of gradient descent: params[name] -= lr * gradients(X, y)[name]."""
        raise NotImplementedError("MoonsMLP.step: write your code here")
