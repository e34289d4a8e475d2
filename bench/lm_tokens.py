"""Tokenizers on the full corpora: tokens per character against vocabulary size, and speed.

    python bench/lm_tokens.py [--out PATH] [--quick]

For tiny Shakespeare and the Tang poems (first 90% to train, last 10% held out):

1. tokens per held-out character for byte-level BPE trained by the Hugging Face
   `tokenizers` library (GPT-2 pre-tokenisation) at vocabulary sizes 512 to 16,384, beside
   characters and raw bytes;
2. `lmschool.ml.BPETokenizer` against the library with the same pre-tokenisation on the
   same text (the first 1,000,000 training characters of Shakespeare, the first 300,000
   of the poems): training time, tokens shared, tokens per held-out character.

Writes bench/results/lm-tokens.md; the lm/tokens lesson measures the same on subsets.
--quick uses a tenth of the text and vocabularies up to 4,096.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tokenizers import Regex, Tokenizer, models, pre_tokenizers, trainers  # noqa: E402

from lmschool.ml import BPETokenizer, datasets  # noqa: E402
from lmschool.ml.text import GPT2_PATTERN  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "lm-tokens.md"


def train_hf(text: str, vocab_size: int, pattern: str | None = None) -> Tokenizer:
    """Byte-level BPE from `tokenizers`: GPT-2's regex split, or `pattern` then bytes."""
    tok = Tokenizer(models.BPE())
    if pattern is None:
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    else:
        tok.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(pattern), behavior="isolated"),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        special_tokens=[],
        show_progress=False,
    )
    tok.train_from_iterator([text], trainer=trainer)
    return tok


def hf_vocab(tok: Tokenizer) -> set[bytes]:
    printable = [*range(33, 127), *range(161, 173), *range(174, 256)]
    others = [b for b in range(256) if b not in printable]
    to_byte = {chr(b): b for b in printable} | {chr(256 + i): b for i, b in enumerate(others)}
    return {bytes(to_byte[c] for c in token) for token in tok.get_vocab()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]
    sizes = [512, 1024, 4096] if args.quick else [512, 1024, 2048, 4096, 16384]
    out = ["# Tokenizers (lm/tokens)", ""]
    out.append(
        "Written by `bench/lm_tokens.py`. First 90% of each corpus to train, last 10% held "
        "out. Tokens per held-out character (lower = shorter sequences)."
        + (" **Quick run: a tenth of the text.**" if args.quick else "")
    )
    out.append("")
    curve = ["| corpus | characters | bytes | " + " | ".join(f"BPE {v:,}" for v in sizes) + " |"]
    curve.append("|---" * (3 + len(sizes)) + "|")
    same = [
        "| corpus | training characters | vocabulary | ours: fit s | tokenizers: fit s | "
        "tokens shared | ours: tokens/char | tokenizers: tokens/char |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, key, n_same in [
        ("tiny Shakespeare", "tinyshakespeare", 1_000_000),
        ("Tang poems", "tang-poems", 300_000),
    ]:
        text = datasets.load(key)
        n = int(0.9 * len(text))
        train, val = text[:n], text[n:]
        if args.quick:
            train, val, n_same = train[: n // 10], val[: len(val) // 10], n_same // 10
        row = [name, "1.000", f"{len(val.encode('utf-8')) / len(val):.3f}"]
        for v in sizes:
            t0 = time.perf_counter()
            tok = train_hf(train, v)
            per_char = len(tok.encode(val).ids) / len(val)
            row.append(f"{per_char:.3f}")
            print(
                f"{name} tokenizers {v}: {per_char:.3f} tokens/char ({time.perf_counter() - t0:.1f} s)",
                flush=True,
            )
        curve.append("| " + " | ".join(row) + " |")

        sub = train[:n_same]
        t0 = time.perf_counter()
        ours = BPETokenizer(1024, pattern=GPT2_PATTERN).fit(sub)
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        hf = train_hf(sub, 1024, pattern=GPT2_PATTERN)
        t_hf = time.perf_counter() - t0
        shared = len(set(ours.vocab_) & hf_vocab(hf))
        same.append(
            f"| {name} | {len(sub):,} | 1,024 | {t_ours:.2f} | {t_hf:.2f} | {shared} of 1,024 | "
            f"{len(ours.encode(val)) / len(val):.4f} | {len(hf.encode(val).ids) / len(val):.4f} |"
        )
        print(same[-1], flush=True)
    wall = time.perf_counter() - t_start
    out += [
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.system()}; load average {load_start:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end (other processes share the CPUs: compare "
        f"times within this run only); wall time {wall / 60:.1f} min",
        "",
        "## Tokens per held-out character against vocabulary size",
        "",
        "Byte-level BPE trained by `tokenizers` (GPT-2 pre-tokenisation) on the whole training part.",
        "",
        *curve,
        "",
        "## Our BPETokenizer against tokenizers, same pre-tokenisation, same text",
        "",
        "Both with `GPT2_PATTERN` (the library through a `Split` pre-tokenizer with the same "
        "expression), vocabulary 1,024, no special tokens. The library is Rust and uses every "
        "core; ours is NumPy on one. Differences in the tokens come from ties (see the lesson).",
        "",
        *same,
    ]
    report = "\n".join(out) + "\n"
    print(report)
    if not args.quick or args.out != RESULTS:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
