import numpy as np


class RunningMean:
    """The mean of every number seen so far, updated one batch at a time."""

    def __init__(self) -> None:
        self.count_ = 0
        self._mean = 0.0

    def update(self, x: np.ndarray) -> "RunningMean":
        x = np.asarray(x, dtype=np.float64).ravel()
        if x.size == 0:
            return self
        total = self.count_ + x.size
        # Weighted by batch size, so batches of different lengths count per number.
        self._mean += (x.mean() - self._mean) * x.size / total
        self.count_ = int(total)
        return self

    @property
    def mean_(self) -> float:
        if self.count_ == 0:
            raise RuntimeError("RunningMean has seen no data yet: call update(x) first")
        return float(self._mean)

    def reset(self) -> "RunningMean":
        self.count_ = 0
        self._mean = 0.0
        return self
