import numpy as np


def conv2d(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0
) -> np.ndarray:
    """2-D cross-correlation, as torch.nn.functional.conv2d computes it.

    x: (N, C_in, H, W), w: (C_out, C_in, kH, kW), b: (C_out,); stride and padding are ints.
    Returns (N, C_out, H_out, W_out) with H_out = (H + 2 * padding - kH) // stride + 1.
    """
    # TODO: pad x with zeros, then for every output position sum x * w over the
    # input channels and the kernel window, and add the bias of the output channel.
    raise NotImplementedError("conv2d: write your code here")
