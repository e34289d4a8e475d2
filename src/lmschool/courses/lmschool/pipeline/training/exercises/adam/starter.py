import numpy as np  # noqa: F401  (you will need it)


class Adam:
    """Adam on a list of NumPy arrays, updated in place (matches torch.optim.Adam)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params = list(params)
        self.lr, self.betas, self.eps = lr, betas, eps
        # TODO: one zero m and one zero v per parameter, and the step counter t = 0

    def step(self, grads):
        """One Adam update of every parameter in self.params, in place."""
        raise NotImplementedError("Adam.step: write your code here")
