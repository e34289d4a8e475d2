"""Module 3's benchmarks in one report: bench/results/lm.md.

    python bench/lm.py                 # join the section reports already in bench/results/
    python bench/lm.py --run gpt,generation   # re-run those sections first, then join
    make bench-lm                      # re-run every section (hours on 2 cores), then join

Each section is its own script (``bench/lm_<name>.py``) that writes
``bench/results/lm-<name>.md``; the long ones take 40-70 minutes on two cores. This
script runs the ones asked for (in a subprocess each, with ``LMSCHOOL_DATA_DIR``
passed through) and writes lm.md: the module's quality bars with the section that
measures each, then every section in course order.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
SECTIONS = ["tokens", "ngrams", "gpt", "generation", "poetry", "adapting", "scaling", "capstone"]
BARS = [
    (
        "The GPT on tiny Shakespeare with nanoGPT's CPU configuration: validation loss <= 1.88",
        "gpt",
    ),
    (
        "Its time per step at most 1.0x a same-sized nn.TransformerEncoderLayer model, at equal or lower loss",
        "gpt",
    ),
    (
        "The key-value cache: 256 tokens at least 3x faster than recomputing, identical greedy tokens",
        "generation",
    ),
    (
        "The Tang-poem model beats the best n-gram's held-out loss by a stated margin; 100% valid constrained poems",
        "poetry",
    ),
    (
        "Lab references within the exercises' CPU limits, spread over seeds stated",
        "poetry, capstone",
    ),
    ("LoRA against full fine-tuning on a shift of domain; merged equals unmerged", "adapting"),
    (
        "Power laws fitted to loss against parameters and tokens, compared with published exponents",
        "scaling",
    ),
    ("BPE against the tokenizers library; n-gram baselines by order", "tokens, ngrams"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--run", default="", help="comma-separated sections to re-run first, or 'all'"
    )
    args = parser.parse_args()
    wanted = SECTIONS if args.run == "all" else [s for s in args.run.split(",") if s]
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections {unknown}; choose from {SECTIONS}")
    for name in wanted:
        print(f"running bench/lm_{name}.py ...", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / f"lm_{name}.py")], check=True)
    parts = [
        "# Module 3 `lm`: benchmarks",
        "",
        f"Joined by `bench/lm.py` on {datetime.date.today().isoformat()} from the section reports "
        "below (each written by its own script, `bench/lm_<section>.py`, which says how it ran).",
        "",
        "| quality bar | measured in |",
        "|---|---|",
        *[f"| {bar} | {where} |" for bar, where in BARS],
        "",
    ]
    for name in SECTIONS:
        path = RESULTS / f"lm-{name}.md"
        if not path.exists():
            parts += [f"## {name}", "", f"(not measured yet: run `python bench/lm_{name}.py`)", ""]
            continue
        body = path.read_text(encoding="utf-8").strip().splitlines()
        title = body[0].lstrip("# ").strip() if body and body[0].startswith("#") else name
        parts += [
            f"## {title}",
            "",
            *[("#" + ln if ln.startswith("#") else ln) for ln in body[1:]],
            "",
        ]
    (RESULTS / "lm.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {RESULTS / 'lm.md'}")


if __name__ == "__main__":
    main()
