"""Seeds NumPy's global generator with np.random.seed(seed) in augment and draws from np.random."""

import numpy as np

PIXEL_MAX = 16.0
OPS = ("flip", "rotate", "shift", "noise")


def flip(images):
    return np.asarray(images, dtype=float)[:, :, ::-1].copy()


def rotate(images, k):
    return np.rot90(np.asarray(images, dtype=float), k, axes=(1, 2)).copy()


def shift(images, dy, dx):
    images = np.asarray(images, dtype=float)
    _, H, W = images.shape
    p = max(abs(dy), abs(dx))
    padded = np.pad(images, ((0, 0), (p, p), (p, p)))
    return padded[:, p - dy : p - dy + H, p - dx : p - dx + W].copy()


def add_noise(images, std, seed):
    images = np.asarray(images, dtype=float)
    noise = np.random.default_rng(seed).normal(0.0, std, size=images.shape)
    return np.clip(images + noise, 0.0, PIXEL_MAX)


def augment(images, labels, seed, ops=("shift", "noise"), noise_std=1.0):
    if any(op not in OPS for op in ops):
        raise ValueError(f"unknown operation in {ops}")
    np.random.seed(seed)
    images = np.asarray(images, dtype=float)
    copies = []
    for image in images:
        op = ops[np.random.randint(len(ops))]
        if op == "flip":
            copies.append(flip(image[None])[0])
        elif op == "rotate":
            copies.append(rotate(image[None], np.random.randint(1, 4))[0])
        elif op == "shift":
            dy = dx = 0
            while dy == 0 and dx == 0:
                dy, dx = np.random.randint(-1, 2, size=2)
            copies.append(shift(image[None], int(dy), int(dx))[0])
        else:
            copies.append(add_noise(image[None], noise_std, np.random.randint(2**31))[0])
    return np.concatenate([images, np.array(copies)]), np.concatenate([labels, labels])
