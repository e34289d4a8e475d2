"""Shifts with slices such as [:-dy], which select nothing when dy or dx is 0."""

import numpy as np

PIXEL_MAX = 16.0  # the 8x8 digits store ink from 0 (white) to 16 (black)
OPS = ("flip", "rotate", "shift", "noise")


def flip(images):
    """Mirror each image left-right. images: (N, H, W) -> (N, H, W)."""
    return np.asarray(images, dtype=np.float64)[:, :, ::-1].copy()


def rotate(images, k):
    """Rotate each image by k quarter turns counter-clockwise (k < 0: clockwise)."""
    return np.rot90(np.asarray(images, dtype=np.float64), k, axes=(1, 2)).copy()


def shift(images, dy, dx):
    """Move the content dy rows down and dx columns right; pixels pushed out are lost, new ones are 0.

    The same as padding with zeros and cropping a window that is off centre by (dy, dx).
    """
    images = np.asarray(images, dtype=np.float64)
    out = np.zeros_like(images)
    rows = (slice(dy, None), slice(None, -dy)) if dy >= 0 else (slice(None, dy), slice(-dy, None))
    cols = (slice(dx, None), slice(None, -dx)) if dx >= 0 else (slice(None, dx), slice(-dx, None))
    out[:, rows[0], cols[0]] = images[:, rows[1], cols[1]]
    return out


def add_noise(images, std, seed):
    """Add Gaussian noise N(0, std^2) drawn from default_rng(seed), then clip to [0, 16]."""
    images = np.asarray(images, dtype=np.float64)
    noise = np.random.default_rng(seed).normal(0.0, std, size=images.shape)
    return np.clip(images + noise, 0.0, PIXEL_MAX)


def augment(images, labels, seed, ops=("shift", "noise"), noise_std=1.0):
    """The images followed by one augmented copy of each; labels repeated to match.

    Each copy applies one operation drawn at random from ops. Returns
    (images (2N, H, W), labels (2N,)).
    """
    for op in ops:
        if op not in OPS:
            raise ValueError(f"unknown augmentation {op!r}; choose from {OPS}")
    images = np.asarray(images, dtype=np.float64)
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    copies = np.empty_like(images)
    for i, image in enumerate(images):
        one = image[None]  # (1, H, W): the functions above work on batches
        op = ops[rng.integers(len(ops))]
        if op == "flip":
            copies[i] = flip(one)[0]
        elif op == "rotate":
            copies[i] = rotate(one, int(rng.integers(1, 4)))[0]
        elif op == "shift":
            dy, dx = 0, 0
            while dy == 0 and dx == 0:
                dy, dx = (int(v) for v in rng.integers(-1, 2, size=2))
            copies[i] = shift(one, dy, dx)[0]
        else:
            copies[i] = add_noise(one, noise_std, int(rng.integers(2**31)))[0]
    # The copy of image i keeps label i: the transformations do not change what the image shows.
    return np.concatenate([images, copies]), np.concatenate([labels, labels])
