"""Checks for the digit augmenter: exact checks of each transformation on real 8x8 digits,
then properties of augment(): shapes, labels kept aligned, every copy a real
transformation of its own image, value range, and reproducibility from the seed."""

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

from lmschool.grading.checks import (
    check,
    expect,
    expect_array,
    expect_inputs_unchanged,
    expect_raises,
    fail,
    sandbox_function,
)
from lmschool.grading.proxy import RemoteObject

OPS = ("flip", "rotate", "shift", "noise")


@lru_cache(maxsize=1)
def _digits():
    """load_digits() images (1797, 8, 8) and labels (1797,).

    Read straight from the CSV that scikit-learn ships, because importing scikit-learn
    costs a second or more of the grading's wall clock; load_digits() if it moved.
    """
    spec = importlib.util.find_spec("sklearn")
    path = (
        Path(spec.origin).parent / "datasets" / "data" / "digits.csv.gz"
        if spec and spec.origin
        else None
    )
    if path is not None and path.is_file():
        data = np.loadtxt(path, delimiter=",")  # 64 pixels, then the label, per row
        return data[:, :64].reshape(-1, 8, 8), data[:, 64].astype(np.int64)
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.images.astype(np.float64), digits.target.astype(np.int64)


def _sample(rng, n):
    images, labels = _digits()
    rows = rng.choice(len(images), size=n, replace=False)
    return images[rows], labels[rows]


def _array(name, value, ndim):
    if isinstance(value, RemoteObject) or value is None:
        kind = value.type_name if isinstance(value, RemoteObject) else "None"
        fail(
            {
                "en": f"{name} must be a NumPy array, got {kind}.",
                "zh": f"{name} 必须是 NumPy 数组，得到的是 {kind}。",
            }
        )
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        fail({"en": f"{name} must hold numbers.", "zh": f"{name} 必须由数字组成。"})
    if arr.ndim != ndim:
        fail(
            {
                "en": f"{name} must have {ndim} dimensions, got shape {arr.shape}.",
                "zh": f"{name} 必须是 {ndim} 维的，得到的形状是 {arr.shape}。",
            }
        )
    return arr


def _pair(got, n):
    """augment's answer as (images (2n, 8, 8), labels (2n,)), or a failure."""
    if isinstance(got, RemoteObject) or not isinstance(got, list | tuple) or len(got) != 2:
        fail(
            {
                "en": "augment must return a tuple (images, labels).",
                "zh": "augment 必须返回元组 (images, labels)。",
            }
        )
    images, labels = _array("augmented images", got[0], 3), _array("augmented labels", got[1], 1)
    if images.shape != (2 * n, 8, 8) or labels.shape != (2 * n,):
        fail(
            {
                "en": f"For {n} images, augment must return {2 * n} images of shape (8, 8) (the originals, "
                f"then one copy of each) and {2 * n} labels; got images of shape {images.shape} and labels "
                f"of shape {labels.shape}.",
                "zh": f"输入 {n} 张图像时，augment 必须返回 {2 * n} 张形状为 (8, 8) 的图像（先是原图，然后每张一个副本）"
                f"和 {2 * n} 个标签；得到的图像形状为 {images.shape}，标签形状为 {labels.shape}。",
            }
        )
    return images, labels


def _shifted(images, dy, dx):
    """Reference shift, written independently of solution.py."""
    out = np.zeros_like(images)
    H, W = images.shape[1:]
    out[:, max(dy, 0) : H + min(dy, 0), max(dx, 0) : W + min(dx, 0)] = images[
        :, max(-dy, 0) : H + min(-dy, 0), max(-dx, 0) : W + min(-dx, 0)
    ]
    return out


def _candidates(image, ops):
    """What one operation from ops can make of one image: {description: image}."""
    one = image[None]
    found = {}
    if "flip" in ops:
        found["flip"] = one[0, :, ::-1]
    if "rotate" in ops:
        for k in (1, 2, 3):
            found[f"rotate k={k}"] = np.rot90(image, k)
    if "shift" in ops:
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                if dy or dx:
                    found[f"shift dy={dy} dx={dx}"] = _shifted(one, dy, dx)[0]
    return found


def _what_is(copy, image, ops, noise_std):
    """The operation that turned image into copy, or None if no allowed one did."""
    for name, candidate in _candidates(image, ops).items():
        if np.allclose(copy, candidate, atol=1e-9):
            return name.split()[0]
    if "noise" in ops and copy.min() >= -1e-9 and copy.max() <= 16 + 1e-9:
        # Noise moves every pixel a little; where it was not clipped, the change is the noise.
        diff = (copy - image)[(copy > 0) & (copy < 16)]
        if (
            diff.size
            and np.abs(diff).max() <= 6 * noise_std
            and np.sqrt(np.mean(diff**2)) < 2 * noise_std
        ):
            return "noise"
    return None


def _judge_copies(images, labels, out_images, out_labels, ops, noise_std):
    n = len(images)
    expect_array(
        "the first half of the augmented images (the originals, unchanged)",
        out_images[:n],
        images,
        atol=1e-12,
    )
    if not np.array_equal(out_labels, np.concatenate([labels, labels])):
        fail(
            {
                "en": "The labels must be the original labels twice, np.concatenate([labels, labels]): the "
                "copy of image i sits at position N + i and keeps label i.",
                "zh": "标签必须是原标签重复两次，即 np.concatenate([labels, labels])：图像 i 的副本位于第 N + i 个位置，"
                "并保留标签 i。",
            }
        )
    used = []
    for i in range(n):
        op = _what_is(out_images[n + i], images[i], ops, noise_std)
        if op is None and np.array_equal(out_images[n + i], images[i]):
            fail(
                {
                    "en": f"Augmented image {n + i} is image {i} unchanged. Every copy must apply one "
                    "operation: a shift by dy = dx = 0 changes nothing, so draw dy and dx again "
                    "while both are 0.",
                    "zh": f"第 {n + i} 张增强图像就是第 {i} 张原图，没有任何变化。每个副本都必须施加一种操作："
                    "dy = dx = 0 的平移什么也没改变，所以两者都为 0 时要重新抽取。",
                }
            )
        if op is None:
            fail(
                {
                    "en": f"Augmented image {n + i} should be image {i} (label {int(labels[i])}) after one "
                    f"of {', '.join(ops)}, but it is none of them. Either one of your transformations is "
                    "wrong (see the checks of flip, rotate, shift and add_noise), or the copies are not in "
                    "the order of the input, so that copy i no longer sits next to label i.",
                    "zh": f"第 {n + i} 张增强图像应当是第 {i} 张图像（标签 {int(labels[i])}）经过 {', '.join(ops)} "
                    "中某一种操作的结果，但它都不是。要么你的某个变换写错了（参见 flip、rotate、shift 和 add_noise "
                    "各自的检查），要么副本没有保持输入的顺序，导致副本 i 不再与标签 i 对应。",
                }
            )
        used.append(op)
    return used


@check(points=1, title={"en": "flip mirrors left-right", "zh": "flip 做左右镜像"})
def flip_mirrors(ctx):
    images, _ = _sample(ctx.rng, int(ctx.rng.integers(10, 30)))
    got = _array("flip(images)", ctx.learner.flip(images), 3)
    if got.shape == images.shape and np.allclose(got, images[:, ::-1, :]):
        fail(
            {
                "en": "flip turned the images upside down. A horizontal flip mirrors left-right: "
                "reverse the columns (the last axis), images[:, :, ::-1].",
                "zh": "flip 把图像上下颠倒了。水平翻转是左右镜像：把列（最后一个轴）倒过来，images[:, :, ::-1]。",
            }
        )
    if got.shape == images.shape and np.allclose(got, images[::-1]):
        fail(
            {
                "en": "flip reversed the order of the images (axis 0) instead of mirroring each image: "
                "reverse the last axis, images[:, :, ::-1].",
                "zh": "flip 颠倒了图像的先后顺序（第 0 轴），而不是镜像每一张图像：请翻转最后一个轴，images[:, :, ::-1]。",
            }
        )
    expect_array("flip(images)", got, images[:, :, ::-1], atol=1e-12)


@check(points=1, title={"en": "rotate turns counter-clockwise", "zh": "rotate 逆时针旋转"})
def rotate_quarter_turns(ctx):
    images, _ = _sample(ctx.rng, int(ctx.rng.integers(10, 30)))
    for k in (1, 2, 3, -1, -2, -3, 0, 5):
        got = _array(f"rotate(images, {k})", ctx.learner.rotate(images, k), 3)
        want = np.rot90(images, k, axes=(1, 2))
        if (
            k % 2
            and got.shape == images.shape
            and np.allclose(got, np.rot90(images, -k, axes=(1, 2)))
        ):
            fail(
                {
                    "en": f"rotate(images, {k}) turned the images the wrong way: k > 0 means counter-clockwise, "
                    "like np.rot90(images, k, axes=(1, 2)).",
                    "zh": f"rotate(images, {k}) 的旋转方向反了：k > 0 表示逆时针，与 np.rot90(images, k, axes=(1, 2)) 相同。",
                }
            )
        expect_array(f"rotate(images, {k})", got, want, atol=1e-12)


@check(
    points=2,
    title={"en": "shift moves the content and fills with zeros", "zh": "shift 平移内容并用 0 填充"},
)
def shift_fills_zeros(ctx):
    images, _ = _sample(ctx.rng, int(ctx.rng.integers(10, 30)))
    moves = [tuple(int(v) * int(ctx.rng.choice([-1, 1])) for v in ctx.rng.integers(1, 3, size=2))]
    moves += [tuple(int(v) * int(ctx.rng.choice([-1, 1])) for v in ctx.rng.integers(1, 3, size=2))]
    d = int(ctx.rng.integers(1, 3)) * int(ctx.rng.choice([-1, 1]))
    moves += [(0, d), (-d, 0)]  # one direction only: a slice such as [:-dy] breaks at 0
    for dy, dx in moves:
        got = _array(f"shift(images, {dy}, {dx})", ctx.learner.shift(images, dy, dx), 3)
        want = _shifted(images, dy, dx)
        if got.shape == want.shape and not np.allclose(got, want, atol=1e-9):
            if np.allclose(got, np.roll(images, (dy, dx), axis=(1, 2))):
                fail(
                    {
                        "en": f"shift(images, {dy}, {dx}) wrapped the pixels around (np.roll): what leaves one "
                        "edge came back on the other. Pixels pushed out are lost and the new border is 0, "
                        "as if the image were padded with zeros and cropped.",
                        "zh": f"shift(images, {dy}, {dx}) 让像素绕回了另一侧（np.roll）：从一边移出去的内容又从另一边出现。"
                        "移出去的像素应当丢弃，新出现的边缘为 0，就像先用 0 填充再裁剪一样。",
                    }
                )
            if np.allclose(got, _shifted(images, -dy, -dx), atol=1e-9):
                fail(
                    {
                        "en": f"shift(images, {dy}, {dx}) moved the content the opposite way: dy > 0 moves it "
                        "down (towards higher row numbers) and dx > 0 to the right.",
                        "zh": f"shift(images, {dy}, {dx}) 的平移方向反了：dy > 0 表示向下（行号增大的方向）移动，dx > 0 表示向右移动。",
                    }
                )
        expect_array(f"shift(images, {dy}, {dx})", got, want, atol=1e-12)


@check(
    points=1,
    title={
        "en": "add_noise is seeded and clipped to [0, 16]",
        "zh": "add_noise 由种子决定并截断到 [0, 16]",
    },
)
def noise_seeded_and_clipped(ctx):
    images, _ = _sample(ctx.rng, int(ctx.rng.integers(10, 30)))
    std, seed = float(ctx.rng.uniform(1.0, 3.0)), int(ctx.rng.integers(10_000))
    got = _array("add_noise(images, std, seed)", ctx.learner.add_noise(images, std, seed), 3)
    if got.shape == images.shape and (got.min() < 0 or got.max() > 16):
        fail(
            {
                "en": f"add_noise returned values from {got.min():.3g} to {got.max():.3g}. Pixels of these "
                "images lie in [0, 16]: clip the noisy images, np.clip(noisy, 0, 16).",
                "zh": f"add_noise 返回的值在 {got.min():.3g} 到 {got.max():.3g} 之间。这些图像的像素取值在 [0, 16] 内："
                "请对加噪后的图像做截断，np.clip(noisy, 0, 16)。",
            }
        )
    again = _array("add_noise(images, std, seed)", ctx.learner.add_noise(images, std, seed), 3)
    expect(
        got.shape == again.shape and np.array_equal(got, again),
        {
            "en": "add_noise with the same seed gave different noise: draw it from np.random.default_rng(seed).",
            "zh": "相同种子下 add_noise 得到了不同的噪声：请用 np.random.default_rng(seed) 生成噪声。",
        },
    )
    want = np.clip(images + np.random.default_rng(seed).normal(0.0, std, size=images.shape), 0, 16)
    expect_array("add_noise(images, std, seed)", got, want, rtol=1e-9, atol=1e-9)


@check(
    points=2,
    title={
        "en": "augment keeps the originals and the labels aligned",
        "zh": "augment 保留原图且标签对齐",
    },
)
def augment_labels(ctx):
    n = int(ctx.rng.integers(20, 40))
    images, labels = _sample(ctx.rng, n)
    out_images, out_labels = _pair(
        ctx.learner.augment(images, labels, int(ctx.rng.integers(10_000))), n
    )
    _judge_copies(images, labels, out_images, out_labels, ("shift", "noise"), 1.0)


@check(
    points=3,
    title={
        "en": "Each copy is one transformation of its own image",
        "zh": "每个副本都是对应原图的一种变换",
    },
)
def augment_every_op(ctx):
    n = 80
    images, labels = _sample(ctx.rng, n)
    noise_std = float(ctx.rng.uniform(0.5, 2.0))
    got = ctx.learner.augment(
        images, labels, int(ctx.rng.integers(10_000)), ops=OPS, noise_std=noise_std
    )
    out_images, out_labels = _pair(got, n)
    used = _judge_copies(images, labels, out_images, out_labels, OPS, noise_std)
    missing = [op for op in OPS if op not in used]
    if missing:
        fail(
            {
                "en": f"With ops={OPS} and {n} images, no copy used {', '.join(missing)}: draw the operation "
                "for each image at random from ops, each equally likely.",
                "zh": f"在 ops={OPS}、共 {n} 张图像时，没有任何副本用到 {', '.join(missing)}："
                "请为每张图像从 ops 中等概率随机选择一种操作。",
            }
        )
    # The noise must have the requested size: look where clipping at 0 or 16 cannot matter.
    noisy = [i for i, op in enumerate(used) if op == "noise"]
    mid = np.concatenate(
        [(out_images[n + i] - images[i])[(images[i] >= 6) & (images[i] <= 10)] for i in noisy]
    )
    if mid.size >= 30 and not 0.6 * noise_std < mid.std() < 1.5 * noise_std:
        fail(
            {
                "en": f"The noise added with noise_std={noise_std:.3g} has a standard deviation of about "
                f"{mid.std():.3g}: pass noise_std on to add_noise.",
                "zh": f"用 noise_std={noise_std:.3g} 加入的噪声，其标准差约为 {mid.std():.3g}：请把 noise_std 传给 add_noise。",
            }
        )


@check(
    points=1,
    title={"en": "Shifts go in all eight directions", "zh": "平移会朝八个方向进行"},
)
def augment_shift_directions(ctx):
    n = 120  # all 8 (dy, dx) appear unless one is never drawn: missing one by chance, < 1e-6
    images, labels = _sample(ctx.rng, n)
    got = ctx.learner.augment(images, labels, int(ctx.rng.integers(10_000)), ops=("shift",))
    out_images, out_labels = _pair(got, n)
    _judge_copies(images, labels, out_images, out_labels, ("shift",), 1.0)
    seen = set()
    for i in range(n):
        matches = [
            name
            for name, candidate in _candidates(images[i], ("shift",)).items()
            if np.allclose(out_images[n + i], candidate, atol=1e-9)
        ]
        if len(matches) == 1:  # a blank border can make two shifts look alike: skip those
            seen.add(matches[0].removeprefix("shift "))
    every = [f"dy={dy} dx={dx}" for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]
    missing = [d for d in every if d not in seen]
    if missing:
        fail(
            {
                "en": f"With ops=('shift',) and {n} images, no copy was shifted by {'; '.join(missing)}. "
                "Draw dy and dx each from -1, 0, 1 (rng.integers(-1, 2)) and draw again while both are "
                "0, so that all eight directions can occur.",
                "zh": f"在 ops=('shift',)、共 {n} 张图像时，没有任何副本按 {'；'.join(missing)} 平移。"
                "dy 和 dx 应各自从 -1、0、1 中抽取（rng.integers(-1, 2)），两者都为 0 时重新抽取，"
                "这样八个方向都可能出现。",
            }
        )


@check(points=1, title={"en": "Only the requested operations", "zh": "只使用指定的操作"})
def augment_only_requested(ctx):
    n = int(ctx.rng.integers(15, 30))
    images, labels = _sample(ctx.rng, n)
    for ops in (("flip",), ("rotate",), ("shift",)):
        got = ctx.learner.augment(images, labels, int(ctx.rng.integers(10_000)), ops=ops)
        out_images, out_labels = _pair(got, n)
        _judge_copies(images, labels, out_images, out_labels, ops, 1.0)
    with expect_raises("augment(images, labels, seed, ops=('blur',))", "ValueError"):
        ctx.learner.augment(images, labels, 0, ops=("blur",))


@check(
    points=1,
    title={"en": "The same seed gives the same augmentation", "zh": "相同的种子得到相同的增强结果"},
)
def augment_seeded(ctx):
    n = int(ctx.rng.integers(20, 40))
    images, labels = _sample(ctx.rng, n)
    seed = int(ctx.rng.integers(10_000))
    first = _pair(ctx.learner.augment(images, labels, seed, ops=OPS), n)[0]
    again = _pair(ctx.learner.augment(images, labels, seed, ops=OPS), n)[0]
    other = _pair(ctx.learner.augment(images, labels, seed + 1, ops=OPS), n)[0]
    expect(
        np.array_equal(first, again),
        {
            "en": "augment with the same seed gave different images. Draw every random choice (the "
            "operation, k, dy and dx, the noise) from one np.random.default_rng(seed).",
            "zh": "相同种子下 augment 得到了不同的图像。所有随机选择（操作、k、dy 和 dx、噪声）都应来自同一个 "
            "np.random.default_rng(seed)。",
        },
    )
    # One generator of its own: the global np.random state is not reseeded or used. After
    # two identical calls, a global generator reseeded with np.random.seed(seed) is back in
    # the same state; one left alone has moved on.
    global_draw = sandbox_function(ctx.learner, "lambda: __import__('numpy').random.random()")
    after = []
    for _ in range(2):
        ctx.learner.augment(images, labels, seed, ops=OPS)
        after.append(global_draw())
    expect(
        after[0] != after[1],
        {
            "en": "augment reseeds NumPy's global generator (np.random.seed): that changes the "
            "random numbers of every other piece of code in the program. Make your own "
            "generator, rng = np.random.default_rng(seed), and draw everything from rng.",
            "zh": "augment 重新设置了 NumPy 全局生成器的种子（np.random.seed）：这会改变程序中所有其他代码"
            "得到的随机数。请创建自己的生成器 rng = np.random.default_rng(seed)，所有随机数都从 rng 中抽取。",
        },
    )
    expect(
        not np.array_equal(first, other),
        {
            "en": "seed and seed + 1 gave exactly the same augmentation: the random choices must depend on the seed.",
            "zh": "seed 和 seed + 1 得到了完全相同的增强结果：随机选择必须由种子决定。",
        },
    )


@check(
    points=1,
    title={
        "en": "Operations drawn evenly, and k from 1, 2, 3",
        "zh": "各种操作等概率抽取，k 取自 1、2、3",
    },
)
def augment_evenly(ctx):
    n = 240  # 60 copies per operation expected; the bounds are 5 standard deviations away
    images, labels = _sample(ctx.rng, n)
    got = ctx.learner.augment(images, labels, int(ctx.rng.integers(10_000)), ops=OPS)
    out_images, out_labels = _pair(got, n)
    used = _judge_copies(images, labels, out_images, out_labels, OPS, 1.0)
    counts = {op: used.count(op) for op in OPS}
    if not all(26 <= c <= 94 for c in counts.values()):
        fail(
            {
                "en": f"With ops={OPS} and {n} images the operations were used {counts} times: each "
                "must be equally likely (about 60 each). Draw one index with "
                "rng.integers(len(ops)) for each copy.",
                "zh": f"在 ops={OPS}、共 {n} 张图像时，各操作被使用的次数是 {counts}：它们必须等概率出现"
                "（每种约 60 次）。请为每个副本用 rng.integers(len(ops)) 抽取一个下标。",
            }
        )
    n = 60
    images, labels = _sample(ctx.rng, n)
    got = ctx.learner.augment(images, labels, int(ctx.rng.integers(10_000)), ops=("rotate",))
    out_images, out_labels = _pair(got, n)
    _judge_copies(images, labels, out_images, out_labels, ("rotate",), 1.0)
    seen = set()
    for i in range(n):
        matches = [
            k
            for k in (1, 2, 3)
            if np.allclose(out_images[n + i], np.rot90(images[i], k), atol=1e-9)
        ]
        if len(matches) == 1:
            seen.add(matches[0])
    missing = sorted({1, 2, 3} - seen)
    if missing:
        fail(
            {
                "en": f"With ops=('rotate',) and {n} images, no copy was rotated with k = "
                f"{', '.join(map(str, missing))}: draw k from 1, 2, 3 (rng.integers(1, 4)).",
                "zh": f"在 ops=('rotate',)、共 {n} 张图像时，没有任何副本以 k = {', '.join(map(str, missing))} 旋转："
                "k 应从 1、2、3 中抽取（rng.integers(1, 4)）。",
            }
        )


@check(
    points=1,
    title={
        "en": "New float arrays; the input images are left alone",
        "zh": "返回新的浮点数组，不改动输入的图像",
    },
)
def inputs_left_alone(ctx):
    images, labels = _sample(ctx.rng, int(ctx.rng.integers(10, 20)))
    seed = int(ctx.rng.integers(10_000))
    learner = ctx.learner
    calls = [
        ("flip(images)", learner.flip, (images,), images[:, :, ::-1]),
        ("rotate(images, 1)", learner.rotate, (images, 1), np.rot90(images, 1, axes=(1, 2))),
        ("shift(images, 1, -1)", learner.shift, (images, 1, -1), _shifted(images, 1, -1)),
        (
            "add_noise(images, 1.5, seed)",
            learner.add_noise,
            (images, 1.5, seed),
            np.clip(images + np.random.default_rng(seed).normal(0, 1.5, images.shape), 0, 16),
        ),
    ]
    for name, fn, args, want in calls:
        got = _array(name, expect_inputs_unchanged(name, fn, *args), 3)
        expect_array(name, got, want, atol=1e-9)
    raw = expect_inputs_unchanged(
        "augment(images, labels, seed)", learner.augment, images, labels, seed, ops=OPS
    )
    if isinstance(raw, list | tuple) and len(raw) == 2 and isinstance(raw[0], np.ndarray):
        expect(
            raw[0].dtype.kind == "f",
            {
                "en": f"augment returned images of dtype {raw[0].dtype}: return float arrays.",
                "zh": f"augment 返回的图像 dtype 为 {raw[0].dtype}：请返回浮点数组。",
            },
        )
    _pair(raw, len(images))
