import numpy as np
import torch  # noqa: F401  (you will need torch and nn)
from torch import nn  # noqa: F401


class DigitsCNN:
    """A small LeNet-style CNN for 8x8 digits: fit(X, y) -> self, predict(X) -> labels 0..9."""

    def __init__(
        self, epochs: int = 20, lr: float = 3e-3, batch_size: int = 32, seed: int = 0
    ) -> None:
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.seed = seed

    def fit(self, X, y) -> "DigitsCNN":
        """X: (N, 64) pixel values 0..16, y: (N,) labels 0..9. Returns self."""
        # TODO: reshape X to (N, 1, 8, 8) and scale it, build conv -> pool -> conv -> pool
        # -> linear layers, train with Adam and cross-entropy on minibatches.
        raise NotImplementedError("DigitsCNN.fit: write your code here")

    def predict(self, X) -> np.ndarray:
        """Labels 0..9 of shape (N,); RuntimeError before fit."""
        # TODO: the same reshape and scaling as in fit, then the argmax of the logits.
        raise NotImplementedError("DigitsCNN.predict: write your code here")
