import numpy as np  # noqa: F401 (NumPy only)


class PowerLaw:
    """L(N) = E + A N^-alpha; fit(N, L) sets E_, A_, alpha_; predict(N) gives L."""

    def __init__(self, offset=True):
        self.offset = offset  # fit E (True) or fix E = 0 (a pure power law)

    def fit(self, N, L):
        # TODO: validate; without offset: a line through (log N, log L);
        # with offset: search E in [0, min L) and fit a line through (log N, log(L - E))
        raise NotImplementedError("PowerLaw.fit: write your code here")

    def predict(self, N):
        # TODO: E_ + A_ * N ** -alpha_ (RuntimeError before fit)
        raise NotImplementedError("PowerLaw.predict: write your code here")
