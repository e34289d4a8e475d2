"""mean_ is 0.0 before any update instead of raising RuntimeError."""

import numpy as np


class RunningMean:
    def __init__(self):
        self.count_ = 0
        self.mean_ = 0.0

    def update(self, x):
        x = np.asarray(x, dtype=np.float64)
        total = self.count_ + x.size
        self.mean_ = (self.mean_ * self.count_ + float(x.sum())) / total
        self.count_ = int(total)
        return self

    def reset(self):
        self.count_ = 0
        self.mean_ = 0.0
        return self
