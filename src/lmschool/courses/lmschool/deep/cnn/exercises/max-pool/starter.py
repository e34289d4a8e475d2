import numpy as np


def max_pool2d(x: np.ndarray, kernel_size: int, stride: int | None = None) -> np.ndarray:
    """Max pooling over (kernel_size x kernel_size) windows, as torch.nn.functional.max_pool2d.

    x: (N, C, H, W); stride defaults to kernel_size; no padding. Each channel is pooled on
    its own. Returns (N, C, H_out, W_out) with H_out = (H - kernel_size) // stride + 1.
    """
    # TODO: for every output position (i, j), take the maximum of the window
    # x[:, :, i*stride : i*stride + kernel_size, j*stride : j*stride + kernel_size].
    raise NotImplementedError("max_pool2d: write your code here")
