"""Chooses E by the squared error of the line in log(L - E), which cannot be compared between values of E."""

import numpy as np


class PowerLaw:
    """L(N) = E + A N^-alpha; fit(N, L) sets E_, A_, alpha_; predict(N) gives L."""

    def __init__(self, offset=True):
        self.offset = offset  # fit E (True) or fix E = 0 (a pure power law)

    @staticmethod
    def _line(N, y):
        """A, alpha of the least-squares line log y = log A - alpha log N."""
        slope, intercept = np.polyfit(np.log(N), np.log(y), 1)
        return float(np.exp(intercept)), float(-slope)

    def fit(self, N, L):
        N = np.asarray(N, dtype=np.float64).ravel()
        L = np.asarray(L, dtype=np.float64).ravel()
        if N.shape != L.shape:
            raise ValueError(f"N and L must have the same length, got {N.size} and {L.size}")
        if N.size < (3 if self.offset else 2):
            raise ValueError("too few points: at least 3 with an offset, 2 without")
        if np.any(N <= 0) or not np.all(np.isfinite(N)):
            raise ValueError("every N must be a positive number (a parameter or token count)")
        if np.any(L <= 0) or not np.all(np.isfinite(L)):
            raise ValueError("every L must be a positive number (a loss)")
        if not self.offset:
            self.E_ = 0.0
            self.A_, self.alpha_ = self._line(N, L)
            return self

        def sse(E):
            A, alpha = self._line(N, L - E)
            return float(np.sum((np.log(A) - alpha * np.log(N) - np.log(L - E)) ** 2)), A, alpha

        lo, hi = 0.0, L.min()
        best = None
        for _ in range(3):  # a grid, then two finer grids around the best E
            grid = np.linspace(lo, hi, 201)[:-1]  # E < min L, or log(L - E) is undefined
            scores = [sse(E) for E in grid]
            k = int(np.argmin([s[0] for s in scores]))
            best = (grid[k], *scores[k][1:])
            step = grid[1] - grid[0]
            lo, hi = max(0.0, grid[k] - step), min(L.min(), grid[k] + step)
        self.E_, self.A_, self.alpha_ = (float(v) for v in best)
        return self

    def predict(self, N):
        if not hasattr(self, "alpha_"):
            raise RuntimeError("PowerLaw is not fitted yet: call fit(N, L) first")
        return self.E_ + self.A_ * np.asarray(N, dtype=np.float64) ** -self.alpha_
