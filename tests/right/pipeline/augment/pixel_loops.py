"""Pixel-by-pixel loops for flip, rotate and shift, and an operation table of closures in augment."""

import numpy as np


def flip(images):
    src = np.asarray(images, dtype=float)
    n, h, w = src.shape
    out = np.empty((n, h, w))
    for c in range(w):
        out[:, :, c] = src[:, :, w - 1 - c]
    return out


def rotate(images, k):
    src = np.asarray(images, dtype=float)
    k %= 4
    out = src.copy()
    for _ in range(k):
        n, h, w = out.shape
        turned = np.empty((n, w, h))
        for r in range(w):
            for c in range(h):
                # a counter-clockwise quarter turn sends the last column to the first row
                turned[:, r, c] = out[:, c, w - 1 - r]
        out = turned
    return out


def shift(images, dy, dx):
    src = np.asarray(images, dtype=float)
    n, h, w = src.shape
    out = np.zeros((n, h, w))
    for r in range(h):
        for c in range(w):
            r0, c0 = r - dy, c - dx
            if 0 <= r0 < h and 0 <= c0 < w:
                out[:, r, c] = src[:, r0, c0]
    return out


def add_noise(images, std, seed):
    src = np.asarray(images, dtype=float)
    rng = np.random.default_rng(seed)
    return np.clip(src + rng.normal(0.0, std, size=src.shape), 0, 16)


def augment(images, labels, seed, ops=("shift", "noise"), noise_std=1.0):
    rng = np.random.default_rng(seed)

    def random_shift(batch):
        while True:
            dy, dx = rng.choice([-1, 0, 1], size=2)
            if dy or dx:
                return shift(batch, int(dy), int(dx))

    table = {
        "flip": flip,
        "rotate": lambda batch: rotate(batch, int(rng.choice([1, 2, 3]))),
        "shift": random_shift,
        "noise": lambda batch: add_noise(batch, noise_std, int(rng.integers(1 << 30))),
    }
    for op in ops:
        if op not in table:
            raise ValueError(f"augment: no operation called {op!r}")
    images = np.asarray(images, dtype=float)
    out_images = [images]
    for image in images:
        op = ops[int(rng.integers(len(ops)))]
        out_images.append(table[op](image[np.newaxis]))
    labels = np.asarray(labels)
    return np.concatenate(out_images), np.concatenate([labels, labels])
