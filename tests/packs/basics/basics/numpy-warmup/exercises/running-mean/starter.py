import numpy as np


class RunningMean:
    """The mean of every number seen so far, updated one batch at a time."""

    def __init__(self) -> None:
        self.count_ = 0

    def update(self, x: np.ndarray) -> "RunningMean":
        raise NotImplementedError("RunningMean.update: write your code here")

    @property
    def mean_(self) -> float:
        raise NotImplementedError("RunningMean.mean_: write your code here")

    def reset(self) -> "RunningMean":
        raise NotImplementedError("RunningMean.reset: write your code here")
