"""Adapting benchmark: full fine-tuning against LoRA on a shift of domain, at a useful size.

    LMSCHOOL_DATA_DIR=/path/to/data python bench/lm_adapting.py [--quick] [--out PATH]

The lm/adapting lesson runs the same experiment in seconds with a weak base model; this
is the longer run it quotes. A character GPT (nanoGPT's CPU configuration: 4 layers,
4 heads, 128 wide, context 64) is pretrained on tiny Shakespeare (domain A), then
adapted to clinical notes from ``lmschool.ml.textgen`` (domain B, 100,000 characters)
by full fine-tuning and by LoRA at ranks 1, 4, 16 and 64 (on ``c_attn`` and ``c_proj``,
alpha = 2r), three seeds each. Reported: trainable parameters, held-out loss on B (what
we wanted) and on A (what we forgot), CPU time; then the merge check, what the adapted
model writes (real words, valid drug regimens, a sex stated consistently), and a
preference probe before and after 150 steps of DPO on (valid, invalid) regimen pairs, at two
settings of beta and the learning rate.

One thread throughout (``torch.set_num_threads(1)``), as in the lessons and the sandbox.
Writes bench/results/lm-adapting.md.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch.nn import functional as F

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from lmschool.ml import datasets, textgen  # noqa: E402
from lmschool.ml.nn.gpt import GPT, GPTConfig  # noqa: E402
from lmschool.ml.nn.lora import apply_lora, count_parameters, merge_lora  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "lm-adapting.md"
T = 64  # context length
BATCH = 12


def encoder(chars: list[str]):  # noqa: ANN201
    lut = np.zeros(128, dtype=np.int64)
    lut[[ord(c) for c in chars]] = np.arange(len(chars))
    return lambda text: torch.from_numpy(lut[np.frombuffer(text.encode("ascii"), dtype=np.uint8)])


def get_batch(data: torch.Tensor, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    ix = torch.randint(len(data) - T - 1, (BATCH,), generator=g)
    x = torch.stack([data[i : i + T] for i in ix])
    y = torch.stack([data[i + 1 : i + T + 1] for i in ix])
    return x, y


@torch.no_grad()
def loss_on(model: GPT, data: torch.Tensor, n: int = 512) -> float:
    model.eval()
    starts = torch.linspace(0, len(data) - T - 1, n).long()
    x = torch.stack([data[i : i + T] for i in starts])
    y = torch.stack([data[i + 1 : i + T + 1] for i in starts])
    losses = [model(x[k : k + 128], y[k : k + 128])[1].item() for k in range(0, n, 128)]
    model.train()
    return float(np.mean(losses))


def train(model: GPT, data: torch.Tensor, steps: int, lr: float, seed: int = 0) -> GPT:
    """AdamW, linear warmup over 5% of the steps, cosine decay to lr / 10."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr)
    warm = max(1, steps // 20)
    for step in range(steps):
        frac = max(0.0, (step - warm) / max(1, steps - warm))
        scale = min(1.0, (step + 1) / warm) * (0.1 + 0.45 * (1 + np.cos(np.pi * frac)))
        for group in opt.param_groups:
            group["lr"] = lr * scale
        x, y = get_batch(data, g)
        loss = model(x, y)[1]
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    return model


def facts(text: str, known_words: set[str]) -> dict[str, float]:
    """Share of real words, of valid drug regimens, of people whose sex is stated consistently."""
    words = re.findall(r"[A-Za-z]+", text)
    freq = "once daily|twice daily|three times daily|four times daily|at night|as needed"
    regimens = re.findall(rf"({'|'.join(textgen.DRUGS)}) (\S+ \S+) (\S+) ({freq})", text)
    valid = [(dose, route, f) in textgen.DRUGS[d] for d, dose, route, f in regimens]
    # "Patient: Maria Lopez, 67-year-old woman" and "Ms. Lopez (67F)" must agree
    named = re.findall(r"Patient: (\w+) \w+, (?:a )?\d+-year-old (woman|man)", text)
    titled = re.findall(r"(Mr|Ms)\. \w+ \(\d+(F|M)\)", text)
    agree = [(n in textgen.FEMALE_NAMES) == (s == "woman") for n, s in named]
    agree += [(t == "Ms") == (s == "F") for t, s in titled]
    return {
        "real words": float(np.mean([w in known_words for w in words])) if words else 0.0,
        "regimens": len(valid),
        "valid regimens": float(np.mean(valid)) if valid else float("nan"),
        "people": len(agree),
        "sex consistent": float(np.mean(agree)) if agree else float("nan"),
    }


def regimen_pairs(rng: np.random.Generator, n: int) -> list[tuple[str, str, str]]:
    """(prompt, valid continuation, invalid continuation): a drug, then a regimen of it or of another."""
    drugs = list(textgen.DRUGS)
    pairs = []
    for _ in range(n):
        drug = drugs[int(rng.integers(len(drugs)))]
        good = textgen.DRUGS[drug][int(rng.integers(len(textgen.DRUGS[drug])))]
        while True:
            other = drugs[int(rng.integers(len(drugs)))]
            bad = textgen.DRUGS[other][int(rng.integers(len(textgen.DRUGS[other])))]
            if bad not in textgen.DRUGS[drug]:
                break
        pairs.append((f"Treatment: {drug} ", " ".join(good) + ".", " ".join(bad) + "."))
    return pairs


def sequence_logp(model: GPT, encode, pairs, which: int) -> torch.Tensor:  # noqa: ANN001
    """Sum of log p(continuation | prompt) per pair: (N,)."""
    out = []
    for prompt, *answers in pairs:
        ids = encode(prompt + answers[which])
        logits = model(ids[:-1].unsqueeze(0))[0][0]  # (L-1, V)
        logp = F.log_softmax(logits, dim=-1)
        start = len(prompt) - 1  # the first answer character is predicted at position len(prompt)-1
        tgt = ids[1:]
        out.append(logp[start:].gather(1, tgt[start:, None]).sum())
    return torch.stack(out)


def dpo_loss(pc, pr, rc, rr, beta: float):  # noqa: ANN001, ANN201
    return -F.logsigmoid(beta * ((pc - rc) - (pr - rr))).mean()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny run, writes nothing")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    torch.set_num_threads(1)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    pre_steps, ad_steps, seeds = (60, 20, [0]) if args.quick else (2000, 300, [0, 1, 2])

    shakespeare = datasets.load("tinyshakespeare")
    notes = textgen.generate("medicine", 160_000, seed=1)
    chars = sorted(set(shakespeare) | set(textgen.ALPHABET))
    encode = encoder(chars)
    A_train, A_val = encode(shakespeare[:1_000_000]), encode(shakespeare[1_000_000:])
    B_train, B_val = encode(notes[:100_000]), encode(notes[100_000:130_000])
    known = set(re.findall(r"[A-Za-z]+", notes[:100_000]))

    torch.manual_seed(0)
    config = GPTConfig(vocab_size=len(chars), block_size=T, n_layer=4, n_head=4, n_embd=128)
    base = GPT(config)
    t = time.process_time()
    train(base, A_train, pre_steps, 1e-3)
    pre_s = time.process_time() - t
    base_A, base_B = loss_on(base, A_val), loss_on(base, B_val)
    print(f"pretrained in {pre_s:.0f} s: A {base_A:.3f}, B {base_B:.3f}", flush=True)

    variants = [("full fine-tuning", None, 1e-3)] + [
        (f"LoRA r={r}", r, 1e-2) for r in (1, 4, 16, 64)
    ]
    rows, models = [], {}
    for name, r, lr in variants:
        got = {"B": [], "A": [], "s": []}
        for seed in seeds:
            model = copy.deepcopy(base)
            if r is not None:
                torch.manual_seed(seed)
                apply_lora(model, r=r, alpha=2 * r)
            trainable, total = count_parameters(model)
            t = time.process_time()
            train(model, B_train, ad_steps, lr, seed=seed)
            got["s"].append(time.process_time() - t)
            got["B"].append(loss_on(model, B_val))
            got["A"].append(loss_on(model, A_val))
            if seed == seeds[0]:
                models[name] = model
        rows.append((name, trainable, total, got))
        print(name, {k: np.round(v, 3).tolist() for k, v in got.items()}, flush=True)

    # merging
    lora16 = models["LoRA r=16"]
    merged = merge_lora(copy.deepcopy(lora16))
    idx = B_val[:T].unsqueeze(0)
    with torch.no_grad():
        diff = (lora16(idx)[0] - merged(idx)[0]).abs().max().item()
    timing = {}
    for label, m in (("LoRA r=16, unmerged", lora16), ("merged", merged), ("base", base)):
        x = B_val[: 32 * T].view(32, T)
        with torch.no_grad():
            m.eval()
            m(x)
            t = time.perf_counter()
            for _ in range(5):
                m(x)
            timing[label] = (time.perf_counter() - t) / 5 * 1000

    # what the adapted models write
    written = {}
    g = torch.Generator().manual_seed(0)
    n_samples = 4 if args.quick else 40
    for label, m in (("full fine-tuning", models["full fine-tuning"]), ("LoRA r=16", lora16)):
        text = "\n\n".join(
            "".join(
                chars[i]
                for i in m.generate(
                    encode("DISCHARGE SUMMARY\nPatient: "), 500, temperature=0.8, generator=g
                ).tolist()
            )
            for _ in range(n_samples)
        )
        written[label] = (facts(text, known), text[:700])
    data_facts = facts(notes[100_000:130_000], known)

    # preference probe and DPO (LoRA r=8 on top of the fully fine-tuned model)
    rng = np.random.default_rng(0)
    train_pairs, test_pairs = regimen_pairs(rng, 300), regimen_pairs(rng, 200)
    sft = models["full fine-tuning"]
    sft.eval()
    with torch.no_grad():
        before = (
            (sequence_logp(sft, encode, test_pairs, 0) > sequence_logp(sft, encode, test_pairs, 1))
            .float()
            .mean()
            .item()
        )
    dpo_rows = []
    dpo_steps = 10 if args.quick else 150
    for beta, lr in ((0.1, 3e-3), (0.5, 5e-4)):
        torch.manual_seed(0)
        policy = apply_lora(copy.deepcopy(sft), r=8, alpha=16)
        opt = torch.optim.AdamW([p for p in policy.parameters() if p.requires_grad], lr=lr)
        pick = np.random.default_rng(1)
        t = time.process_time()
        for _ in range(dpo_steps):
            batch = [train_pairs[int(i)] for i in pick.integers(len(train_pairs), size=16)]
            with torch.no_grad():
                rc, rr = sequence_logp(sft, encode, batch, 0), sequence_logp(sft, encode, batch, 1)
            pc, pr = (
                sequence_logp(policy, encode, batch, 0),
                sequence_logp(policy, encode, batch, 1),
            )
            loss = dpo_loss(pc, pr, rc, rr, beta)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
        dpo_s = time.process_time() - t
        policy.eval()
        with torch.no_grad():
            after = (
                (
                    sequence_logp(policy, encode, test_pairs, 0)
                    > sequence_logp(policy, encode, test_pairs, 1)
                )
                .float()
                .mean()
                .item()
            )
        dpo_rows.append((beta, lr, after, loss_on(policy, B_val), loss_on(policy, A_val), dpo_s))
        print("DPO", dpo_rows[-1], flush=True)

    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    ms = lambda v: f"{statistics.mean(v):.3f} ± {statistics.pstdev(v):.3f}"  # noqa: E731
    lines = [
        "# Adapting benchmark: full fine-tuning and LoRA",
        "",
        "Written by `bench/lm_adapting.py`; quoted by the `lm/adapting` lesson.",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()},"
        f" torch {torch.__version__}, one thread; wall time {wall / 60:.1f} min, CPU {cpu / 60:.1f} min",
        f"- Base: GPT {config.n_layer} layers x {config.n_head} heads x {config.n_embd}, context {T},"
        f" {base.num_params():,} parameters, vocabulary {len(chars)}; pretrained on tiny Shakespeare"
        f" (first 1,000,000 characters) for {pre_steps} steps of {BATCH} x {T} characters"
        f" (AdamW 1e-3, cosine) in {pre_s:.0f} s of CPU",
        f"- Base loss (nats per character): Shakespeare held out {base_A:.3f};"
        f" clinical notes held out {base_B:.3f}",
        f"- Adaptation: {ad_steps} steps on 100,000 characters of `textgen.generate('medicine', ..., seed=1)`;"
        f" full fine-tuning at lr 1e-3, LoRA on c_attn and c_proj with alpha = 2r at lr 1e-2;"
        f" seeds {seeds} (mean ± standard deviation)",
        "",
        "| method | trainable parameters | share | loss on notes (B) | loss on Shakespeare (A) | CPU s |",
        "|---|---|---|---|---|---|",
        f"| base model, not adapted | 0 | 0% | {base_B:.3f} | {base_A:.3f} | |",
    ]
    for name, trainable, total, got in rows:
        lines.append(
            f"| {name} | {trainable:,} | {trainable / total:.1%} | {ms(got['B'])} | {ms(got['A'])}"
            f" | {statistics.mean(got['s']):.0f} |"
        )
    lines += [
        "",
        f"Merging LoRA r=16: largest logit difference {diff:.1e}; forward of 32 x {T} characters:"
        + ", ".join(f" {k} {v:.1f} ms" for k, v in timing.items())
        + ".",
        "",
        f"What the adapted models write ({n_samples} samples of 500 characters after"
        " `DISCHARGE SUMMARY\\nPatient: `, temperature 0.8), against held-out real notes:",
        "",
        "| text | real words | drug regimens written | valid regimens | people with a stated sex | sex stated consistently |",
        "|---|---|---|---|---|---|",
    ]
    for label, (f, _) in [*written.items(), ("real notes (held out)", (data_facts, ""))]:
        lines.append(
            f"| {label} | {f['real words']:.1%} | {f['regimens']} | {f['valid regimens']:.1%}"
            f" | {f['people']} | {f['sex consistent']:.1%} |"
        )
    lines += [
        "",
        "A sample (full fine-tuning):",
        "",
        "```text",
        written["full fine-tuning"][1],
        "```",
        "",
        f"Preference probe: on {len(test_pairs)} held-out pairs (`Treatment: <drug> ` + a valid"
        " regimen of that drug, or a regimen of another drug), how often the model gives the"
        f" valid one the higher probability. DPO: {dpo_steps} steps, LoRA r=8 on the fully"
        f" fine-tuned model (the reference), batches of 16 of {len(train_pairs)} training pairs:",
        "",
        "| model | preference probe | loss on notes (B) | loss on Shakespeare (A) | CPU s |",
        "|---|---|---|---|---|",
        f"| full fine-tuning (the reference) | {before:.1%} | {rows[0][3]['B'][0]:.3f} |"
        f" {rows[0][3]['A'][0]:.3f} | |",
    ]
    for beta, lr, after, dB, dA, dpo_s in dpo_rows:
        lines.append(
            f"| + DPO, beta {beta}, lr {lr:g} | {after:.1%} | {dB:.3f} | {dA:.3f} | {dpo_s:.0f} |"
        )
    lines.append("")
    report = "\n".join(lines)
    print(report)
    if not args.quick:
        args.out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
