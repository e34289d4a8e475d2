"""Keeps only the mean of the last batch."""

import numpy as np


class RunningMean:
    def __init__(self):
        self.count_ = 0
        self._mean = None

    def update(self, x):
        x = np.asarray(x, dtype=np.float64)
        self._mean = float(x.mean())
        self.count_ += int(x.size)
        return self

    @property
    def mean_(self):
        if self._mean is None:
            raise RuntimeError("no data yet")
        return self._mean

    def reset(self):
        self._mean = None
        self.count_ = 0
        return self
