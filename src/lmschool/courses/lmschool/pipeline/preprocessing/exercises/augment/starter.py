import numpy as np

PIXEL_MAX = 16.0  # the 8x8 digits store ink from 0 (white) to 16 (black)
OPS = ("flip", "rotate", "shift", "noise")


def flip(images: np.ndarray) -> np.ndarray:
    """Mirror each image left-right. images: (N, H, W) -> (N, H, W)."""
    raise NotImplementedError("flip: write your code here")


def rotate(images: np.ndarray, k: int) -> np.ndarray:
    """Rotate each image by k quarter turns counter-clockwise (k < 0: clockwise)."""
    raise NotImplementedError("rotate: write your code here")


def shift(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """Move the content dy rows down and dx columns right; pixels pushed out are lost, new ones are 0."""
    raise NotImplementedError("shift: write your code here")


def add_noise(images: np.ndarray, std: float, seed: int) -> np.ndarray:
    """Add Gaussian noise N(0, std^2) drawn from default_rng(seed), then clip to [0, 16]."""
    raise NotImplementedError("add_noise: write your code here")


def augment(
    images: np.ndarray,
    labels: np.ndarray,
    seed: int,
    ops: tuple[str, ...] = ("shift", "noise"),
    noise_std: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """The images followed by one augmented copy of each; labels repeated to match.

    Each copy applies one operation drawn at random from ops. Returns
    (images (2N, H, W), labels (2N,)). ValueError for an unknown op.
    """
    raise NotImplementedError("augment: write your code here")
