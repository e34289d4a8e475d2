"""Lab: classify 8x8 handwritten digits with a PyTorch MLP."""

import numpy as np  # noqa: F401 (what you will need)
import torch  # noqa: F401
from torch import nn  # noqa: F401


class DigitsClassifier:
    """An MLP classifier for 8x8 digit images with the scikit-learn contract.

    fit(X, y): X float array (N, 64) of pixel intensities 0..16, y int labels 0..9;
        trains the network and returns self.
    predict(X): int labels of shape (N,); raises RuntimeError before fit.
    """

    def __init__(self, hidden=256, epochs=40, batch_size=64, lr=3e-3, seed=0):
        self.hidden = hidden
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.seed = seed

    def fit(self, X, y):
        # TODO: scale X, build an nn.Sequential MLP, train it with Adam and
        # CrossEntropyLoss over shuffled mini-batches, switch to eval mode, return self
        raise NotImplementedError("DigitsClassifier.fit: write your code here")

    def predict(self, X):
        # TODO: refuse to run before fit; otherwise return the argmax of the logits
        raise NotImplementedError("DigitsClassifier.predict: write your code here")
