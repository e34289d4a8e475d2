"""reset() forgets the mean but not the count."""

import numpy as np


class RunningMean:
    def __init__(self):
        self.count_ = 0
        self._sum = 0.0

    def update(self, x):
        x = np.asarray(x, dtype=np.float64)
        self._sum += float(x.sum())
        self.count_ += int(x.size)
        return self

    @property
    def mean_(self):
        if self.count_ == 0:
            raise RuntimeError("no data yet")
        return self._sum / self.count_

    def reset(self):
        self._sum = 0.0
        return self
