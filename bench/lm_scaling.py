"""Scaling benchmark: loss against parameters and tokens for character GPTs on tiny Shakespeare.

    LMSCHOOL_DATA_DIR=/path/to/data python bench/lm_scaling.py [--steps 2048] [--seeds 0 1]
        [--quick] [--out PATH]

Six GPT sizes (``lmschool.ml.nn.gpt``, context 64, 4 heads or 2 for the smallest) from
about 3 thousand to 0.8 million non-embedding parameters are each trained for the same
number of steps (batch 16 x 64 characters, AdamW 2e-3, 50 warmup steps, constant
afterwards so that every checkpoint is a fair point of the curve), on one thread. At
every power of two of steps the held-out loss (the last 10% of the text, 64 windows of
64 characters x 8) and the CPU time so far are recorded: a grid of (N, D, L, seconds).
Reported:

- the grid itself, per size;
- L(N) = (N_c / N)^alpha_N at the largest D and L(D) = (D_c / D)^beta_D for the largest
  model (Kaplan et al. 2020's form, a straight line in log-log), with standard errors;
- L(N, D) = E + A / N^alpha + B / D^beta (Hoffmann et al. 2022's form) fitted to every
  point with D >= 64k characters, with 90% bootstrap intervals (points resampled);
- for a few CPU budgets, the size that reaches the lowest loss within the budget
  (an IsoFLOP view, in seconds of one core instead of FLOPs) and its tokens per parameter.

N counts non-embedding parameters (Kaplan et al.'s convention): 12 L C^2 + 13 L C.
Writes bench/results/lm-scaling.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch
from scipy.optimize import least_squares

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lmschool.ml import datasets  # noqa: E402
from lmschool.ml.nn.gpt import GPT, GPTConfig  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "lm-scaling.md"
T, BATCH, LR = 64, 16, 2e-3
SIZES = [(1, 16, 2), (1, 32, 4), (2, 48, 4), (2, 64, 4), (3, 96, 4), (4, 128, 4)]


def non_embedding(model: GPT) -> int:
    emb = model.wte.weight.numel() + model.wpe.weight.numel()
    return model.num_params() - emb


def run(size: tuple[int, int, int], data, val, V: int, steps: int, seed: int) -> list[tuple]:  # noqa: ANN001
    n_layer, n_embd, n_head = size
    torch.manual_seed(seed)
    model = GPT(
        GPTConfig(vocab_size=V, block_size=T, n_layer=n_layer, n_head=n_head, n_embd=n_embd)
    )
    N = non_embedding(model)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    starts = torch.linspace(0, len(val) - T - 1, 512).long()
    vx = torch.stack([val[i : i + T] for i in starts])
    vy = torch.stack([val[i + 1 : i + T + 1] for i in starts])
    points, cpu = [], 0.0
    for step in range(1, steps + 1):
        t = time.process_time()
        for group in opt.param_groups:
            group["lr"] = LR * min(1.0, step / 50)
        ix = torch.randint(len(data) - T - 1, (BATCH,), generator=g)
        x = torch.stack([data[i : i + T] for i in ix])
        y = torch.stack([data[i + 1 : i + T + 1] for i in ix])
        loss = model(x, y)[1]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        cpu += time.process_time() - t
        if step >= 32 and step & (step - 1) == 0:  # a power of two
            model.eval()
            with torch.no_grad():
                val_loss = float(
                    np.mean(
                        [
                            model(vx[k : k + 128], vy[k : k + 128])[1].item()
                            for k in range(0, 512, 128)
                        ]
                    )
                )
            model.train()
            points.append((N, step * BATCH * T, val_loss, cpu))
    return points


def loglog(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """Slope, intercept and the slope's standard error of log y = a + b log x."""
    X = np.column_stack([np.ones(len(x)), np.log(x)])
    coef, res, *_ = np.linalg.lstsq(X, np.log(y), rcond=None)
    resid = np.log(y) - X @ coef
    s2 = resid @ resid / max(1, len(x) - 2)
    se = float(np.sqrt(s2 * np.linalg.inv(X.T @ X)[1, 1]))
    return float(coef[1]), float(coef[0]), se


def chinchilla_fit(N: np.ndarray, D: np.ndarray, L: np.ndarray) -> np.ndarray:
    """E, A, alpha, B, beta minimising squared error of log L (E < min L)."""

    def resid(p: np.ndarray) -> np.ndarray:
        E, logA, a, logB, b = p
        pred = E + np.exp(logA - a * np.log(N)) + np.exp(logB - b * np.log(D))
        return np.log(pred) - np.log(L)

    best = None
    for a0 in (0.2, 0.5, 1.0):
        for b0 in (0.2, 0.5, 1.0):
            p0 = np.array([0.5 * L.min(), np.log(5.0) + a0 * 8, a0, np.log(5.0) + b0 * 11, b0])
            fit = least_squares(
                resid,
                p0,
                bounds=([0.0, -50, 0.0, -50, 0.0], [L.min() * 0.999, 80, 3.0, 80, 3.0]),
            )
            if best is None or fit.cost < best.cost:
                best = fit
    E, logA, a, logB, b = best.x
    return np.array([E, np.exp(logA), a, np.exp(logB), b])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=2048)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--quick", action="store_true", help="128 steps, one seed, writes nothing")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.quick:
        args.steps, args.seeds = 128, [0]
    torch.set_num_threads(1)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    text = datasets.load("tinyshakespeare")
    chars = sorted(set(text))
    lut = np.zeros(128, dtype=np.int64)
    lut[[ord(c) for c in chars]] = np.arange(len(chars))
    ids = torch.from_numpy(lut[np.frombuffer(text.encode("ascii"), dtype=np.uint8)])
    cut = int(0.9 * len(ids))
    data, val = ids[:cut], ids[cut:]

    grid: dict[tuple[int, int], list[tuple]] = {}  # (size index, seed) -> points
    for seed in args.seeds:
        for s, size in enumerate(SIZES):
            grid[s, seed] = run(size, data, val, len(chars), args.steps, seed)
            N, D, L, sec = grid[s, seed][-1]
            print(
                f"seed {seed} size {size}: N {N:,}, D {D:,}, loss {L:.3f}, {sec:.0f} s", flush=True
            )

    # average the seeds point by point
    pts = {}
    for (s, _), points in grid.items():
        for N, D, L, sec in points:
            pts.setdefault((s, D), []).append((N, L, sec))
    rows = sorted(
        (s, D, v[0][0], float(np.mean([x[1] for x in v])), float(np.std([x[1] for x in v])),
         float(np.mean([x[2] for x in v])))
        for (s, D), v in pts.items()
    )  # fmt: skip
    arr = np.array([(N, D, L, sec) for _, D, N, L, _, sec in rows], dtype=np.float64)
    Ds = sorted({r[1] for r in rows})
    D_max, big = Ds[-1], len(SIZES) - 1
    atD = np.array([(r[2], r[3]) for r in rows if r[1] == D_max])
    aN, cN, seN = loglog(atD[:, 0], atD[:, 1])
    ofbig = np.array([(r[1], r[3]) for r in rows if r[0] == big])
    aD, cD, seD = loglog(ofbig[:, 0], ofbig[:, 1])
    keep = arr[:, 1] >= 64 * 1024
    fit = chinchilla_fit(arr[keep, 0], arr[keep, 1], arr[keep, 2])
    rng = np.random.default_rng(0)
    boots = []
    for _ in range(10 if args.quick else 200):
        i = rng.choice(np.flatnonzero(keep), size=keep.sum(), replace=True)
        boots.append(chinchilla_fit(arr[i, 0], arr[i, 1], arr[i, 2]))
    lo, hi = np.percentile(np.array(boots), [5, 95], axis=0)

    budgets = [b for b in (5, 15, 45, 135, 400) if b <= arr[:, 3].max()]
    frontier = []
    for b in budgets:
        best = None
        for s in range(len(SIZES)):
            curve = np.array([(r[5], r[3], r[1], r[2]) for r in rows if r[0] == s])
            inside = curve[curve[:, 0] <= b]
            if len(inside) and (best is None or inside[-1, 1] < best[1]):
                best = (s, inside[-1, 1], inside[-1, 2], inside[-1, 3])
        if best is not None:
            frontier.append((b, *best))

    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    E, A, a, B, b = fit
    lines = [
        "# Scaling benchmark: character GPTs on tiny Shakespeare",
        "",
        "Written by `bench/lm_scaling.py`; quoted by the `lm/scaling` lesson.",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" torch {torch.__version__}, one thread; wall time {wall / 60:.1f} min, CPU {cpu / 60:.1f} min",
        f"- Data: tiny Shakespeare, {len(chars)} characters, first 90% train, last 10% held out;"
        f" {args.steps} steps of {BATCH} x {T} characters (D up to {D_max:,}), AdamW {LR}, seeds {args.seeds}",
        "- N: non-embedding parameters; D: training characters seen; loss: held-out nats per character",
        "",
        "| size (layers x width) | N | "
        + " | ".join(f"D = {d // 1024}k" for d in Ds)
        + " | CPU s at the end |",
        "|---|---|" + "---|" * len(Ds) + "---|",
    ]
    for s, (L_, C_, _) in enumerate(SIZES):
        cells = {r[1]: f"{r[3]:.3f}" for r in rows if r[0] == s}
        N = next(r[2] for r in rows if r[0] == s)
        sec = max(r[5] for r in rows if r[0] == s)
        lines.append(
            f"| {L_} x {C_} | {int(N):,} | "
            + " | ".join(cells.get(d, "") for d in Ds)
            + f" | {sec:.0f} |"
        )
    lines += [
        "",
        "| fit | here | published |",
        "|---|---|---|",
        f"| L(N) = (N_c/N)^alpha_N at D = {D_max // 1024}k | alpha_N = {-aN:.3f} ± {seN:.3f} |"
        " alpha_N = 0.076 (Kaplan et al. 2020) |",
        f"| L(D) = (D_c/D)^alpha_D, largest model | alpha_D = {-aD:.3f} ± {seD:.3f} |"
        " alpha_D = 0.095 (Kaplan et al. 2020) |",
        f"| L(N, D) = E + A/N^alpha + B/D^beta, D >= 64k ({int(keep.sum())} points) |"
        f" E = {E:.2f} [{lo[0]:.2f}, {hi[0]:.2f}], alpha = {a:.2f} [{lo[2]:.2f}, {hi[2]:.2f}],"
        f" beta = {b:.2f} [{lo[4]:.2f}, {hi[4]:.2f}] |"
        " E = 1.69, alpha = 0.34, beta = 0.28 (Hoffmann et al. 2022) |",
        "",
        "(± one standard error of the log-log slope; [ ] 90% bootstrap interval over points.)",
        "",
        "Within a CPU budget (one core), the size that reached the lowest held-out loss:",
        "",
        "| budget | best size | loss | tokens seen | tokens per parameter (all parameters) |",
        "|---|---|---|---|---|",
    ]
    for bsec, s, L, D, N in frontier:
        L_, C_, _ = SIZES[s]
        total = N + (len(chars) + T) * C_  # with the embeddings
        lines.append(
            f"| {bsec} s | {L_} x {C_} (N = {int(N):,}) | {L:.3f} | {int(D):,} | {D / total:.0f} |"
        )
    lines.append("")
    report = "\n".join(lines)
    print(report)
    if not args.quick:
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
