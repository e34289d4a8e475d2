import numpy as np  # noqa: F401 (use NumPy, or torch)


def clip_grad_norm(grads, max_norm):
    """Scale all arrays in grads by one factor so that their global L2 norm is at most max_norm.

    Returns (clipped: list of new arrays, total_norm: float, the norm before clipping).
    """
    # TODO: global norm over all arrays, then one factor min(1, max_norm / (norm + 1e-6)).
    raise NotImplementedError("clip_grad_norm: write your code here")
