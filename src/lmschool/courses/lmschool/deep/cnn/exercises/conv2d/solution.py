import numpy as np


def conv2d(
    x: np.ndarray, w: np.ndarray, b: np.ndarray, stride: int = 1, padding: int = 0
) -> np.ndarray:
    """2-D cross-correlation, as torch.nn.functional.conv2d computes it.

    x: (N, C_in, H, W), w: (C_out, C_in, kH, kW), b: (C_out,); stride and padding are ints.
    Returns (N, C_out, H_out, W_out) with H_out = (H + 2 * padding - kH) // stride + 1.
    """
    x = np.asarray(x, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    n, _, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    # 1) zeros on all four sides: padding rows on top AND bottom, columns left AND right
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    h_out = (h + 2 * padding - kh) // stride + 1
    w_out = (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, c_out, h_out, w_out))
    # 2) one kernel offset (i, j) at a time: the input pixels it meets at every output position
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i : i + stride * h_out : stride, j : j + stride * w_out : stride]
            out += np.einsum("nchw,oc->nohw", patch, w[:, :, i, j])  # sum over input channels
    # 3) one bias per output channel, the same at every position
    return out + b[None, :, None, None]
