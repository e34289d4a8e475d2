import numpy as np  # noqa: F401


class MoonsMLP:
    """A small neural network for two-class points in the plane, trained with backprop.

    Suggested design: standardise the inputs in fit, a 2 -> 16 -> 16 -> 1 network with
    tanh hidden layers, the mean binary cross-entropy on the output logit, full-batch
    gradient descent (or Adam). Your own Value class works too, but it is slow: with
    arrays, one step over all 200 points takes microseconds.
    """

    def __init__(self, hidden=16, lr=0.02, epochs=800, seed=0):
        self.hidden = hidden
        self.lr = lr
        self.epochs = epochs
        self.seed = seed

    def fit(self, X, y):
        """Train on X (N, 2) and labels y (N,) of 0/1; return self."""
        # TODO: 1) standardise, 2) initialise random weights, 3) forward, backward, update.
        raise NotImplementedError("MoonsMLP.fit: write your code here")

    def predict(self, X):
        """Labels 0/1 of shape (N,); RuntimeError before fit."""
        raise NotImplementedError("MoonsMLP.predict: write your code here")
