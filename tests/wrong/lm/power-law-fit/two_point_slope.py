"""Estimates the exponent from the first and the last point, as if N were sorted."""

import numpy as np


class PowerLaw:
    def __init__(self, offset=True):
        self.offset = offset

    def fit(self, N, L):
        N = np.asarray(N, dtype=np.float64)
        L = np.asarray(L, dtype=np.float64)
        if N.shape != L.shape:
            raise ValueError("N and L must have the same length")
        if np.any(N <= 0):
            raise ValueError("every N must be positive")
        best = None
        for E in np.linspace(0.0, L.min(), 2001)[:-1] if self.offset else [0.0]:
            alpha = -np.log((L[-1] - E) / (L[0] - E)) / np.log(N[-1] / N[0])  # the two ends
            A = (L[0] - E) * N[0] ** alpha
            err = np.sum((E + A * N**-alpha - L) ** 2)
            if best is None or err < best[0]:
                best = (err, E, A, alpha)
        _, self.E_, self.A_, self.alpha_ = (float(v) for v in best)
        return self

    def predict(self, N):
        if not hasattr(self, "alpha_"):
            raise RuntimeError("PowerLaw is not fitted yet")
        return self.E_ + self.A_ * np.asarray(N, dtype=np.float64) ** -self.alpha_
