"""The module's GPT on tiny Shakespeare with nanoGPT's CPU configuration, beside nn.TransformerEncoderLayer.

Run ``python bench/lm_gpt.py`` (several minutes) or ``--quick`` (a smoke test, writes
nothing unless ``--out`` is given). Writes bench/results/lm-gpt.md.

Two models of the same size train side by side, one optimisation step each in turn, on
the same batches with the same schedule, so that both see the same machine load:

- ``lmschool.ml.nn.gpt.GPT``, the course's GPT in one readable file;
- the same architecture built from PyTorch's ``nn.TransformerEncoderLayer``
  (norm_first=True, batch_first=True, GELU, a causal mask), with the same embeddings,
  final LayerNorm, tied head and initialisation.

The configuration is nanoGPT's CPU run of ``train_shakespeare_char`` (README, "I only
have a macbook"): 4 layers, 4 heads, width 128, context 64, batch 12, 2,000 iterations,
no dropout, no biases, AdamW lr 1e-3 betas (0.9, 0.99) weight decay 0.1 on matrices,
100 warm-up steps then cosine decay to 1e-4 at step 2,000, gradient clipping at 1.0;
characters of the first 90% of the text train, the last 10% validate. The final
validation loss is estimated on 200 random batches (nanoGPT's README figure, 1.88,
used 20). Nothing here asserts: the table says which goals were met.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import torch  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn import functional as F  # noqa: E402

from lmschool.ml import datasets  # noqa: E402
from lmschool.ml.nn.gpt import GPT, GPTConfig, param_count  # noqa: E402
from lmschool.ml.nn.lm import estimate_loss, get_batch, train_lm, train_lm_steps  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "lm-gpt.md"
NANOGPT_VAL_LOSS = 1.88  # README of karpathy/nanoGPT, CPU run, eval_iters=20
CONFIG = GPTConfig(
    vocab_size=65, block_size=64, n_layer=4, n_head=4, n_embd=128, dropout=0.0, bias=False
)
TRAIN = {  # the call the lesson lm/gpt shows
    "batch_size": 12,
    "lr": 1e-3,
    "min_lr": 1e-4,
    "warmup": 100,
    "weight_decay": 0.1,
    "betas": (0.9, 0.99),
    "grad_clip": 1.0,
    "eval_interval": 250,
    "eval_batches": 20,
}
FINAL_EVAL_BATCHES = 200


class TorchLayersGPT(nn.Module):
    """The same GPT, its blocks built from nn.TransformerEncoderLayer (pre-norm, causal)."""

    def __init__(self, config: GPTConfig) -> None:
        super().__init__()
        self.config = config
        C = config.n_embd
        self.wte = nn.Embedding(config.vocab_size, C)
        self.wpe = nn.Embedding(config.block_size, C)
        layer = nn.TransformerEncoderLayer(
            C,
            config.n_head,
            dim_feedforward=4 * C,
            dropout=config.dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
            bias=config.bias,
        )
        self.blocks = nn.TransformerEncoder(layer, config.n_layer, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(C, bias=config.bias)
        self.lm_head = nn.Linear(C, config.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight  # tied, as in GPT
        mask = nn.Transformer.generate_square_subsequent_mask(config.block_size)  # 0 / -inf
        self.register_buffer("mask", mask, persistent=False)
        # GPT-2's initialisation, as in lmschool's GPT: N(0, 0.02), residual projections
        # scaled by 1/sqrt(2L) (the attention's out_proj and the MLP's linear2)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02
                if name.endswith(("out_proj.weight", "linear2.weight")):
                    std = 0.02 / math.sqrt(2 * config.n_layer)
                nn.init.normal_(p, mean=0.0, std=std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(
        self, idx: torch.Tensor, targets: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        B, T = idx.shape
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))  # (B, T, C)
        x = self.blocks(x, mask=self.mask[:T, :T], is_causal=True)
        logits = self.lm_head(self.ln_f(x))  # (B, T, V)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.reshape(B * T, -1), targets.reshape(B * T))
        return logits, loss


@torch.no_grad()
def batch_losses(
    model: nn.Module, ids: torch.Tensor, block_size: int, batches: int, seed: int
) -> list[float]:
    """The loss of each of ``batches`` random batches (the windows of estimate_loss)."""
    model.eval()
    generator = torch.Generator().manual_seed(seed)
    losses = []
    for _ in range(batches):
        x, y = get_batch(ids, block_size, 12, generator)
        losses.append(float(model(x, y)[1]))
    model.train()
    return losses


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--steps", type=int, default=2000, help="optimisation steps (nanoGPT: 2000)"
    )
    parser.add_argument("--threads", type=int, default=1, help="torch threads for both models")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--extra-seeds",
        type=int,
        default=2,
        help="after the side-by-side run, train the lmschool GPT alone with seeds seed+1..seed+N",
    )
    parser.add_argument(
        "--quick", action="store_true", help="40 steps, 5 final batches; writes nothing"
    )
    parser.add_argument(
        "--out", type=Path, default=None, help=f"where to write (default {RESULTS})"
    )
    args = parser.parse_args()
    steps = 40 if args.quick else args.steps
    final_batches = 5 if args.quick else FINAL_EVAL_BATCHES
    out = args.out or (None if args.quick else RESULTS)
    torch.set_num_threads(args.threads)
    started = time.perf_counter()

    text = datasets.load("tinyshakespeare")
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(ids))
    train_ids, val_ids = ids[:n], ids[n:]
    config = GPTConfig(**{**vars(CONFIG), "vocab_size": len(chars)})

    torch.manual_seed(args.seed)
    models = {"lmschool GPT": GPT(config), "nn.TransformerEncoderLayer": TorchLayersGPT(config)}
    train = {**TRAIN, "warmup": 4, "eval_interval": 20} if args.quick else TRAIN
    runs = {
        name: train_lm_steps(model, train_ids, val_ids, steps=steps, seed=args.seed, **train)
        for name, model in models.items()
    }
    wall = dict.fromkeys(models, 0.0)
    cpu = {name: [] for name in models}  # CPU seconds of steps without an evaluation
    history = {}
    load_before = os.getloadavg()[0]
    for step in range(steps):  # one step of each model in turn: same batches, same load
        evaluates = (step + 1) % train["eval_interval"] == 0 or step + 1 == steps
        for name, run in runs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            history[name] = next(run)
            wall[name] += time.perf_counter() - t0
            if not evaluates:
                cpu[name].append(time.process_time() - c0)
    load_after = os.getloadavg()[0]
    results = {}
    for name, model in models.items():
        t0 = time.perf_counter()
        val_batches = batch_losses(model, val_ids, config.block_size, final_batches, seed=1234)
        val = statistics.fmean(
            val_batches
        )  # = estimate_loss(..., batches=final_batches, seed=1234)
        trn = estimate_loss(
            model,
            train_ids,
            block_size=config.block_size,
            batch_size=12,
            batches=final_batches,
            seed=1234,
        )
        wall[name] += time.perf_counter() - t0
        h = history[name]
        results[name] = {
            "params": sum(p.numel() for p in model.parameters()),
            "val": val,
            "train": trn,
            "step_ms": 1000 * statistics.fmean(h.step_time),
            "cpu_ms": 1000 * statistics.fmean(cpu[name]),
            "median_ms": 1000 * statistics.median(h.step_time),
            "train_s": sum(h.step_time),
            "wall_s": wall[name],
            "history": h,
            "val_batches": val_batches,
        }
    # the spread between seeds: the lmschool GPT alone, other initialisations and batches
    spread = {args.seed: results["lmschool GPT"]["val"]}
    for seed in range(args.seed + 1, args.seed + 1 + (0 if args.quick else args.extra_seeds)):
        torch.manual_seed(seed)
        model = GPT(config)
        train_lm(model, train_ids, val_ids, steps=steps, seed=seed, progress=False, **train)
        spread[seed] = estimate_loss(
            model,
            val_ids,
            block_size=config.block_size,
            batch_size=12,
            batches=final_batches,
            seed=1234,
        )
    total_s = time.perf_counter() - started

    ours, theirs = results["lmschool GPT"], results["nn.TransformerEncoderLayer"]
    ratio = ours["step_ms"] / theirs["step_ms"]
    cpu_ratio = ours["cpu_ms"] / theirs["cpu_ms"]
    assert ours["params"] == param_count(config)
    lines = [
        "## Language models: the GPT on tiny Shakespeare (nanoGPT's CPU configuration)",
        "",
        f"Written by `bench/lm_gpt.py` on {datetime.date.today()}.",
        "",
        f"- Machine: {cpu_name()}, {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, torch {torch.__version__}, "
        f"`torch.set_num_threads({args.threads})` for both models",
        f"- Data: tiny Shakespeare, {len(chars)} characters; first 90% train ({len(train_ids):,} tokens), "
        f"last 10% validation ({len(val_ids):,} tokens)",
        f"- Model: {config.n_layer} layers, {config.n_head} heads, width {config.n_embd}, context "
        f"{config.block_size}, no biases, no dropout, tied head; batch {TRAIN['batch_size']}, "
        f"{steps} steps, AdamW lr {train['lr']:g} betas {train['betas']} weight decay "
        f"{train['weight_decay']} (matrices), warm-up {train['warmup']} then cosine to "
        f"{train['min_lr']:g}, clipping {train['grad_clip']}",
        "- The two models train in turn, one step each, on the same batches; time per step is "
        "forward + backward + update (+ drawing the batch), without evaluation; CPU ms / step is "
        "the process's CPU time for the same steps, which other programs on the machine disturb less",
        f"- Machine load (1-minute load average) {load_before:.1f} at the start of training, "
        f"{load_after:.1f} at the end, on {os.cpu_count()} CPUs",
        f"- Final losses: mean over {final_batches} random batches of 12 x 64 tokens (the same "
        "windows for both models)",
        "",
        "| model | parameters | val loss | train loss | ms / step (mean) | ms / step (median) | CPU ms / step | training s | wall s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['params']:,} | {r['val']:.4f} | {r['train']:.4f} | {r['step_ms']:.1f} | "
            f"{r['median_ms']:.1f} | {r['cpu_ms']:.1f} | {r['train_s']:.0f} | {r['wall_s']:.0f} |"
        )
    val_ok = ours["val"] <= NANOGPT_VAL_LOSS
    lines += [
        "",
        "| goal | result | met |",
        "|---|---|---|",
        f"| lmschool GPT: validation loss <= {NANOGPT_VAL_LOSS} (nanoGPT's README) | {ours['val']:.4f} | {'✓' if val_ok else '✗'} |",
        f"| time per step, lmschool GPT / nn.TransformerEncoderLayer <= 1.0 | {ratio:.3f} (CPU time: {cpu_ratio:.3f}) | {'✓' if ratio <= 1.0 else '✗'} |",
        f"| at equal or lower loss: val loss of ours - theirs <= 0.01 (the spread between seeds) | {ours['val'] - theirs['val']:+.4f} | "
        f"{'✓' if ours['val'] <= theirs['val'] + 0.01 else '✗'} |",
        "",
        f"Total wall time of the benchmark (data, both models, evaluations, extra seeds): {total_s:.0f} s.",
        "",
    ]
    if len(spread) > 1:
        values = list(spread.values())
        lines += [
            f"The lmschool GPT with other seeds (initialisation and batches; val loss over {final_batches} batches):",
            "",
            "| seed | val loss |",
            "|---|---|",
            *[f"| {seed} | {val:.4f} |" for seed, val in spread.items()],
            f"| mean ± std over {len(values)} seeds | {statistics.fmean(values):.4f} ± {statistics.stdev(values):.4f} |",
            "",
        ]
    groups = [
        statistics.fmean(ours["val_batches"][i : i + 20]) for i in range(0, final_batches - 19, 20)
    ]
    if len(groups) > 1:
        lines += [
            f"How noisy a 20-batch estimate is (nanoGPT's `eval_iters=20`): the {final_batches} final "
            f"validation batches of the lmschool GPT cut into {len(groups)} groups of 20 give "
            f"{min(groups):.4f} to {max(groups):.4f} (std {statistics.stdev(groups):.4f}) around "
            f"their mean {ours['val']:.4f}.",
            "",
        ]
    lines += [
        f"Validation loss during training ({TRAIN['eval_batches']} fixed batches per evaluation):",
        "",
        "| step | " + " | ".join(results) + " |",
        "|---|" + "---|" * len(results),
    ]
    for i, step in enumerate(ours["history"].eval_step):
        row = " | ".join(f"{r['history'].val_loss[i]:.3f}" for r in results.values())
        lines.append(f"| {step} | {row} |")
    lines.append("")
    report = "\n".join(lines)
    print(report)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
