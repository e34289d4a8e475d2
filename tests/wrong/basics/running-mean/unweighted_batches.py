"""Averages the batch means without weighting them by batch size."""

import numpy as np


class RunningMean:
    def __init__(self):
        self.count_ = 0
        self._batches = 0
        self._mean = 0.0

    def update(self, x):
        x = np.asarray(x, dtype=np.float64)
        self._batches += 1
        self._mean += (float(x.mean()) - self._mean) / self._batches
        self.count_ += int(x.size)
        return self

    @property
    def mean_(self):
        if self.count_ == 0:
            raise RuntimeError("no data yet")
        return self._mean

    def reset(self):
        self.count_ = 0
        self._batches = 0
        self._mean = 0.0
        return self
