"""N-gram baselines on the full corpora: held-out bits per character for n = 1..6.

    python bench/lm_ngrams.py [--orders 6] [--out PATH] [--quick]

Character level, first 90% of each corpus to fit and last 10% to score (nanoGPT's split
for tiny Shakespeare), the vocabulary being every character of the whole corpus (as
nanoGPT builds it; only the symbol set, no counts, comes from the held-out part).
Models: lmschool.ml.NGramLM with interpolated Kneser-Ney (discount 0.75) and with add-k
(k = 0.01, close to raw counts: it shows training loss falling while held-out loss
rises). Writes bench/results/lm-ngrams.md; the lm/ngrams lesson quotes these figures
and measures the same on subsets. --quick uses the first 10% of each split.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lmschool.ml import NGramLM, datasets  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "lm-ngrams.md"
TRAIN_SCORED = 200_000  # training loss is measured on the first 200,000 training characters


def measure(name: str, text: str, orders: int, quick: bool) -> list[dict]:
    n = int(0.9 * len(text))
    train, val = text[:n], text[n:]
    if quick:
        train, val = train[: len(train) // 10], val[: len(val) // 10]
    vocab = sorted(set(text))
    rows = []
    for order in range(1, orders + 1):
        for smoothing, kw in [("kneser-ney", {"discount": 0.75}), ("add-k", {"k": 0.01})]:
            t0 = time.perf_counter()
            model = NGramLM(order, smoothing=smoothing, vocabulary=vocab, **kw).fit(train)
            fit_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            val_bits = model.bits_per_symbol(val)
            score_s = time.perf_counter() - t0
            train_bits = model.bits_per_symbol(train[:TRAIN_SCORED])
            rows.append(
                {
                    "corpus": name,
                    "n": order,
                    "smoothing": smoothing,
                    "train": train_bits,
                    "val": val_bits,
                    "ppl": 2**val_bits,
                    "fit_s": fit_s,
                    "score_s": score_s,
                    "chars": (len(train), len(val), len(vocab)),
                }
            )
            print(
                f"{name} n={order} {smoothing:10s} train {train_bits:.3f} val {val_bits:.3f} "
                f"bits/char (fit {fit_s:.1f} s, score {score_s:.1f} s)",
                flush=True,
            )
            del model
    return rows


def markdown(rows: list[dict], wall: float, quick: bool, loads: tuple[float, float]) -> str:
    out = ["# N-gram baselines (lm/ngrams)", ""]
    out.append(
        "Written by `bench/lm_ngrams.py`. Character-level `lmschool.ml.NGramLM`, first 90% "
        "of each corpus to fit, last 10% held out, vocabulary = every character of the "
        "corpus. Bits per character (cross-entropy in bits; nats = bits x ln 2, "
        "perplexity = 2 ** bits). Training loss is measured on the first "
        f"{TRAIN_SCORED:,} training characters."
        + (" **Quick run: 10% of each split.**" if quick else "")
    )
    out.append("")
    out.append(
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.system()}; load average {loads[0]:.1f} at the "
        f"start, {loads[1]:.1f} at the end (fit times depend on the other processes; the "
        f"bits per character do not); wall time {wall / 60:.1f} min"
    )
    for corpus in dict.fromkeys(r["corpus"] for r in rows):
        sub = [r for r in rows if r["corpus"] == corpus]
        n_train, n_val, V = sub[0]["chars"]
        out += [
            "",
            f"## {corpus}: {n_train:,} training and {n_val:,} held-out characters, V = {V:,}",
            "",
        ]
        out.append(
            "| n | Kneser-Ney held-out | KN perplexity | KN train | add-k (k=0.01) held-out | add-k train | KN fit s |"
        )
        out.append("|---|---|---|---|---|---|---|")
        for order in sorted({r["n"] for r in sub}):
            kn = next(r for r in sub if r["n"] == order and r["smoothing"] == "kneser-ney")
            ak = next(r for r in sub if r["n"] == order and r["smoothing"] == "add-k")
            out.append(
                f"| {order} | {kn['val']:.3f} | {kn['ppl']:.1f} | {kn['train']:.3f} | "
                f"{ak['val']:.3f} | {ak['train']:.3f} | {kn['fit_s']:.1f} |"
            )
        best = min((r for r in sub if r["smoothing"] == "kneser-ney"), key=lambda r: r["val"])
        out.append("")
        out.append(
            f"Best held-out: n = {best['n']}, {best['val']:.3f} bits/char = "
            f"{best['val'] * math.log(2):.3f} nats/char (perplexity {best['ppl']:.1f})."
        )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=6)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    load_start = os.getloadavg()[0]
    rows = []
    for name, key in [("tiny Shakespeare", "tinyshakespeare"), ("Tang poems", "tang-poems")]:
        rows += measure(name, datasets.load(key), args.orders, args.quick)
    loads = (load_start, os.getloadavg()[0])
    report = markdown(rows, time.perf_counter() - t0, args.quick, loads)
    print(report)
    if not args.quick or args.out != RESULTS:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
