"""Transformations by explicit index arithmetic and slice assignment (no np.rot90, np.pad or np.flip);
augment draws every choice up front, then applies the operations per group."""

import numpy as np

KNOWN = {"flip", "rotate", "shift", "noise"}


def flip(images):
    images = np.asarray(images, dtype=float)
    width = images.shape[2]
    return images[:, :, np.arange(width - 1, -1, -1)]


def _quarter_ccw(images):
    # new[r, c] = old[c, W - 1 - r]: one counter-clockwise quarter turn
    return np.swapaxes(images, 1, 2)[:, ::-1, :]


def rotate(images, k):
    out = np.array(images, dtype=float)
    for _ in range(k % 4):
        out = _quarter_ccw(out)
    return out.copy()


def shift(images, dy, dx):
    images = np.asarray(images, dtype=float)
    _, h, w = images.shape
    out = np.zeros_like(images)
    if abs(dy) >= h or abs(dx) >= w:
        return out
    src_rows = slice(max(0, -dy), h - max(0, dy))
    dst_rows = slice(max(0, dy), h - max(0, -dy))
    src_cols = slice(max(0, -dx), w - max(0, dx))
    dst_cols = slice(max(0, dx), w - max(0, -dx))
    out[:, dst_rows, dst_cols] = images[:, src_rows, src_cols]
    return out


def add_noise(images, std, seed):
    images = np.asarray(images, dtype=float)
    noisy = images + np.random.default_rng(seed).normal(0.0, std, size=images.shape)
    return np.minimum(np.maximum(noisy, 0.0), 16.0)


def augment(images, labels, seed, ops=("shift", "noise"), noise_std=1.0):
    ops = tuple(ops)
    unknown = [op for op in ops if op not in KNOWN]
    if unknown:
        raise ValueError(f"unknown operations: {unknown}")
    images = np.asarray(images, dtype=float)
    labels = np.asarray(labels)
    n = len(images)
    rng = np.random.default_rng(seed)
    choice = rng.integers(0, len(ops), size=n)
    turns = rng.integers(1, 4, size=n)
    nonzero_shifts = [(a, b) for a in (-1, 0, 1) for b in (-1, 0, 1) if (a, b) != (0, 0)]
    shift_pick = rng.integers(0, len(nonzero_shifts), size=n)
    noise_seed = int(rng.integers(0, 2**32))

    copies = images.copy()
    for which, op in enumerate(ops):
        idx = np.flatnonzero(choice == which)
        if idx.size == 0:
            continue
        if op == "flip":
            copies[idx] = flip(images[idx])
        elif op == "noise":
            copies[idx] = add_noise(images[idx], noise_std, noise_seed + which)
        elif op == "rotate":
            for i in idx:
                copies[i] = rotate(images[i : i + 1], int(turns[i]))[0]
        else:
            for i in idx:
                dy, dx = nonzero_shifts[shift_pick[i]]
                copies[i] = shift(images[i : i + 1], dy, dx)[0]
    return np.concatenate((images, copies), axis=0), np.concatenate((labels, labels))
