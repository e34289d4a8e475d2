"""How fast the learner's commands answer, side by side with bare imports, in one run.

Run ``make bench`` or ``python bench/cli.py [--runs 7] [--quick] [--out PATH]``; a full
run writes bench/results/cli.md. Every row is a whole process as the learner starts it
(``lmschool ...`` through the installed entry point, output to a pipe), median of the
runs, interleaved so that machine noise falls on every row alike:

- bare ``python -c "import numpy"`` and ``import torch``: the yardsticks;
- ``--help``, ``list``, ``show``, ``progress``: through the warm command daemon, and
  in-process (``LMSCHOOL_DAEMON=0``), which is also what the first command of a
  session costs;
- a one-shot NumPy and PyTorch ``check`` of a passing submission: through the daemon
  after ``start`` (which has it start a sandbox for that kind of exercise while the
  learner writes code), and in-process.

Goals (from the first-hour issue): ``--help``, ``list``, ``show``, ``progress`` and a
NumPy ``check`` at most 2x bare ``import numpy``; a PyTorch ``check`` at most 1.2x bare
``import torch``. Nothing here asserts on time; the run fails only when a command fails.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACK = ROOT / "tests" / "packs" / "basics"
OUT = ROOT / "bench" / "results" / "cli.md"
NUMPY_EX = "basics/numpy-warmup/standardize"
TORCH_EX = "basics/torch-warmup/linear-forward"


def lmschool() -> list[str]:
    exe = shutil.which("lmschool", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "lmschool"]


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, capture_output=True, text=True, cwd=ROOT)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr[-1500:]}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="2 runs, writes nothing")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    runs = 2 if args.quick else args.runs

    tmp = Path(tempfile.mkdtemp(prefix="lmschool-bench-cli-"))
    folder = tmp / "run"
    folder.mkdir(mode=0o700)
    base = {k: v for k, v in os.environ.items() if not k.startswith("LMSCHOOL_")}
    base.update(
        LMSCHOOL_HOME=str(tmp / "home"),
        LMSCHOOL_LEARNER="bench",
        LMSCHOOL_DAEMON_DIR=str(folder),
        LMSCHOOL_DAEMON_IDLE="600",
    )
    if os.environ.get("LMSCHOOL_DATA_DIR"):
        base["LMSCHOOL_DATA_DIR"] = os.environ["LMSCHOOL_DATA_DIR"]
    daemon_env = dict(base)
    local_env = {**base, "LMSCHOOL_DAEMON": "0", "LMSCHOOL_HOME": str(tmp / "home-local")}
    cli = lmschool()
    course = ["--course", str(PACK)]
    numpy_sol = str(PACK / "basics/numpy-warmup/exercises/standardize/solution.py")
    torch_sol = str(PACK / "basics/torch-warmup/exercises/linear-forward/solution.py")

    rows: dict[str, tuple[list[str], dict[str, str], list[str] | None]] = {
        "bare: python -c 'import numpy'": ([sys.executable, "-c", "import numpy"], base, None),
        "bare: python -c 'import torch'": ([sys.executable, "-c", "import torch"], base, None),
    }
    commands = {
        "lmschool --help": ["--help"],
        "lmschool list": ["list", *course],
        "lmschool show LESSON": ["show", "basics/numpy-warmup", *course],
        "lmschool progress": ["progress", *course],
    }
    for name, argv in commands.items():
        rows[f"{name} (daemon)"] = (cli + argv, daemon_env, None)
        rows[f"{name} (in-process)"] = (cli + argv, local_env, None)
    for flavor, ex, sol in (("NumPy", NUMPY_EX, numpy_sol), ("PyTorch", TORCH_EX, torch_sol)):
        check = cli + ["check", ex, "--file", sol, *course]
        start = cli + ["start", ex, *course]
        rows[f"lmschool check, {flavor} (daemon, after start)"] = (check, daemon_env, start)
        rows[f"lmschool check, {flavor} (in-process)"] = (check, local_env, None)

    # the daemon: started by a first command, then given time to import everything
    timed(cli + ["list", *course], daemon_env)
    deadline = time.monotonic() + 60
    while not (folder / "cli.sock").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    times: dict[str, list[float]] = {name: [] for name in rows}
    for i in range(runs + 1):  # the first round warms caches and is not counted
        for name, (argv, env, before) in rows.items():
            if before is not None:
                timed(before, env)
                time.sleep(1.5)  # the learner reads the prompt; the sandbox starts
            took = timed(argv, env)
            if i:
                times[name].append(took)
    served = (folder / "daemon.log").read_text(encoding="utf-8").count("served")
    subprocess.run(["pkill", "-f", f"lmschool.cli.daemon {folder}"], check=False)
    shutil.rmtree(tmp, ignore_errors=True)

    med = {name: statistics.median(v) * 1000 for name, v in times.items()}
    numpy_ms = med["bare: python -c 'import numpy'"]
    torch_ms = med["bare: python -c 'import torch'"]
    lines = [
        "# Command latency, side by side with bare imports",
        "",
        f"Written by `bench/cli.py` on {datetime.date.today()}.",
        "",
        f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python"
        f" {platform.python_version()}; median of {runs} interleaved runs, whole processes,"
        " output to a pipe",
        f"- Commands served by the daemon in the run: {served}",
        "",
        "| command | median ms | x bare import numpy | x bare import torch |",
        "|---|---|---|---|",
    ]
    for name, ms in med.items():
        lines.append(f"| {name} | {ms:.0f} | {ms / numpy_ms:.2f} | {ms / torch_ms:.2f} |")
    goals = [
        (f"{c} (daemon)", numpy_ms, 2.0, "import numpy")
        for c in ("lmschool --help", "lmschool list", "lmschool show LESSON", "lmschool progress")
    ] + [
        ("lmschool check, NumPy (daemon, after start)", numpy_ms, 2.0, "import numpy"),
        ("lmschool check, PyTorch (daemon, after start)", torch_ms, 1.2, "import torch"),
    ]
    lines += ["", "| goal | result | met |", "|---|---|---|"]
    for name, ref, factor, what in goals:
        ratio = med[name] / ref
        lines.append(
            f"| {name}: at most {factor}x bare {what} | {ratio:.2f}x | {'✓' if ratio <= factor else '✗'} |"
        )
    lines += [
        "",
        "In-process rows are what a command costs without the daemon: the first command of a",
        "session (which then starts the daemon in the background), `LMSCHOOL_DAEMON=0`, and",
        "`watch`, `demo`, `doctor` and paged `show`, which always run in-process.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
