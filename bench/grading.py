"""Grading latency and throughput, side by side with a bare ``import numpy``.

Run ``make bench`` or ``python bench/grading.py [--quick] [--out PATH]``; a full run
writes bench/results/grading.md. bench/README.md says what each row measures and
how to read it. Nothing here asserts on time; the run fails (exit 1) only when a
grading does not pass or a "warm" grading did not get a warm slot, because the
numbers of such a run would be meaningless.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import importlib.metadata
import importlib.util
import json
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
if importlib.util.find_spec("lmschool") is None:  # a checkout without the project installed
    sys.path.insert(0, str(ROOT / "src"))

import lmschool  # noqa: E402
from lmschool.course import Catalog  # noqa: E402
from lmschool.grading.grader import DEFAULT_ALLOW, Grader, seed_for  # noqa: E402
from lmschool.grading.result import Result  # noqa: E402
from lmschool.grading.sandbox import detect_backend, start_learner_process  # noqa: E402

PACK = ROOT / "tests" / "packs" / "basics"
EXERCISES = {
    "numpy": "basics/numpy-warmup/standardize",
    "torch": "basics/torch-warmup/linear-forward",
}
DEFAULT_OUT = ROOT / "bench" / "results" / "grading.md"
PACKAGE_PARENT = str(Path(lmschool.__file__).resolve().parents[1])  # for child processes
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# Row labels, by measurement; {flavor}, {plus_torch} and {backend} are filled in per row.
LABELS = {
    "pass": '`python -c "pass"`',
    "bare": '`python -c "import {flavor}"`',
    "library": "one-shot, library: `Grader().grade()`",
    "cli": "one-shot, CLI: `lmschool grade --json`",
    "warm": "warm pool, idle slot",
    "warm_b2b": "warm pool, right after `wait_ready()`",
    "warm_solo": "idle slot, no refill running (`start_slot` + `run_in_slot`)",
    "spawn": "`start_slot()` call (two `Popen`s)",
    "runner": "runner imports ready (`lmschool.grading.runner`{plus_torch})",
    "runner_exit": "runner-like process: interpreter shutdown after those imports",
    "host": "sandbox host ready (backend {backend})",
    "host_none": "host ready without a sandbox (backend none)",
    "slot": "runner imports + sandbox host, started together, both ready",
    "cli_import": '`python -c "import lmschool.cli"`',
}
LATENCY_ROWS = ["pass", "bare", "library", "cli", "warm", "warm_b2b", "warm_solo"]
BREAKDOWN_ROWS = ["spawn", "runner", "runner_exit", "host", "host_none", "slot", "cli_import"]


@dataclass(frozen=True)
class Reps:
    numpy: int  # repetitions of every NumPy measurement
    torch: int  # repetitions of every torch measurement (a torch cold start is 1-2 s)
    submissions: int  # submissions per throughput run
    warmup: int = 1  # untimed rounds before the one-shot measurements (page cache)


FULL = Reps(numpy=20, torch=5, submissions=40)
QUICK = Reps(numpy=3, torch=1, submissions=6, warmup=0)


class BenchError(Exception):
    """A grading failed or was not what its row claims: the numbers would lie."""


@dataclass
class Series:
    samples: list[float] = field(default_factory=list)  # milliseconds

    def stat(self, which: str) -> float:
        s = sorted(self.samples)
        if not s:
            return math.nan
        if which == "median":
            mid = len(s) // 2
            return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2
        if which == "p90":  # nearest rank: with n <= 10 this is the maximum
            return s[max(0, math.ceil(0.9 * len(s)) - 1)]
        return {"min": s[0], "max": s[-1]}[which]


# --- helpers ---------------------------------------------------------------------------


def ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def timed_grade(grader: Grader, exercise: Any, source: str, seed: int) -> tuple[float, Result]:
    start = time.perf_counter()
    result = grader.grade(exercise, source, seed=seed)
    return ms_since(start), result


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def run_timed(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
    ms = ms_since(start)
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(argv)} exited {proc.returncode}: {proc.stderr[-800:]}")
    return ms


def require_pass(result: Result, what: str, *, warm: bool | None = None) -> None:
    if not result.passed:
        if result.error is not None:
            detail = f"{result.error.kind}: {result.error.message.get('en', '')}"
        else:
            failed = [c for c in result.checks if not c.passed]
            detail = "; ".join(f"{c.name}: {c.message.get('en', '')}" for c in failed)
        raise BenchError(f"{what}: {result.exercise} did not pass ({detail[:1500]})")
    if warm is not None and result.sandbox.warm != warm:
        raise BenchError(f"{what}: expected a {'warm' if warm else 'fresh'} slot, got the other")


def _descendants_cpu(root: int) -> tuple[int, bool]:
    """CPU ticks used by every descendant of ``root``, and whether any is running."""
    parent: dict[int, int] = {}
    info: dict[int, tuple[str, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                rest = f.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        pid = int(entry)
        parent[pid] = int(rest[1])
        info[pid] = (rest[0], int(rest[11]) + int(rest[12]))  # state, utime + stime
    ticks, busy = 0, False
    for pid, (state, cpu) in info.items():
        p = parent.get(pid, 0)
        while p not in (0, 1, root):
            p = parent.get(p, 0)
        if p == root and pid != root:
            ticks += cpu
            busy = busy or state in ("R", "D")
    return ticks, busy


def settle(timeout: float = 30.0) -> None:
    """Wait until every process this benchmark started is idle, so a warm slot is warm.

    ``WarmPool.wait_ready()`` returns as soon as a slot's processes are *started*,
    not when they have finished importing NumPy or torch.
    """
    end = time.monotonic() + timeout
    last, quiet = -1, 0
    while time.monotonic() < end and quiet < 3:
        ticks, busy = _descendants_cpu(os.getpid())
        quiet = quiet + 1 if ticks == last and not busy else 0
        last = ticks
        time.sleep(0.05)


# --- the measurements --------------------------------------------------------------------

Step = Callable[[], dict[str, float]]  # one run of a measurement: {row: ms}


@dataclass
class Bench:
    reps: Reps
    catalog: Catalog
    home: Path  # LMSCHOOL_HOME for the CLI, masked in the sandbox like the CLI does
    sandbox: str  # the LMSCHOOL_SANDBOX setting, for the library and the CLI alike
    series: dict[tuple[str, str], Series] = field(default_factory=dict)  # (flavor, row)
    throughput: list[dict[str, Any]] = field(default_factory=list)
    backends_seen: set[str] = field(default_factory=set)

    def record(self, flavor: str, row: str, ms: float) -> None:
        self.series.setdefault((flavor, row), Series()).samples.append(ms)

    def median(self, flavor: str, row: str) -> float:
        s = self.series.get((flavor, row))
        return s.stat("median") if s else math.nan

    def grader(self, pool: dict[str, int] | None = None) -> Grader:
        hidden = tuple(c.root for c in self.catalog.courses) + (self.home,)
        return Grader(sandbox=self.sandbox, hidden=hidden, pool=pool)

    def exercise(self, flavor: str) -> tuple[Any, str]:
        ex = self.catalog.exercise(EXERCISES[flavor])
        return ex, ex.solution_path.read_text(encoding="utf-8")

    # 1-3 and the breakdown: no pool alive; the measurements take turns, round by round,
    # so that the machine's noise falls on all of them alike.
    def cold(self) -> None:
        with self.grader() as grader:
            for flavor, n in (("numpy", self.reps.numpy), ("torch", self.reps.torch)):
                steps = self._cold_steps(grader, flavor)
                order = random.Random(flavor)
                for rnd in range(self.reps.warmup + n):
                    order.shuffle(steps)
                    for step in steps:
                        for row, ms in step().items():
                            if rnd >= self.reps.warmup:
                                self.record(flavor, row, ms)

    def _cold_steps(self, grader: Grader, flavor: str) -> list[Step]:
        ex, source = self.exercise(flavor)
        py = sys.executable
        preload = ("torch",) if flavor == "torch" else ()

        def bare() -> dict[str, float]:
            return {"bare": run_timed([py, "-c", f"import {flavor}"])}

        def library() -> dict[str, float]:
            ms, result = timed_grade(grader, ex, source, seed_for("bench", ex.id))
            require_pass(result, f"one-shot library ({flavor})", warm=False)
            self.backends_seen.add(result.sandbox.backend)
            return {"library": ms}

        def cli() -> dict[str, float]:
            argv = [py, "-m", "lmschool", "grade", "--exercise", ex.id, "--file"]
            argv += [str(ex.solution_path), "--json", "--course", str(PACK)]
            env = child_env(LMSCHOOL_HOME=str(self.home), LMSCHOOL_SANDBOX=self.sandbox)
            start = time.perf_counter()
            proc = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True)
            ms = ms_since(start)
            try:
                doc = json.loads(proc.stdout.strip().splitlines()[-1])
            except (ValueError, IndexError):
                raise BenchError(
                    f"CLI ({flavor}) printed no result: {proc.stderr[-800:]}"
                ) from None
            require_pass(Result.model_validate(doc), f"one-shot CLI ({flavor})")
            if proc.returncode != 0:
                raise BenchError(f"CLI ({flavor}) passed but exited {proc.returncode}")
            self.backends_seen.add(doc["sandbox"]["backend"])
            return {"cli": ms}

        # The runner has no "ready" signal, so a stand-in imports what it imports,
        # says so on stdout, and exits like the runner does (normal interpreter shutdown).
        runner_code = "import lmschool.grading.runner" + "".join(f", {m}" for m in preload)
        runner_code += "; import sys; sys.stdout.write('r'); sys.stdout.flush()"

        def start_runner() -> subprocess.Popen[bytes]:
            return subprocess.Popen(
                [py, "-c", runner_code],
                stdout=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                env=child_env(**ONE_THREAD),
            )

        def runner_ready(proc: subprocess.Popen[bytes], start: float) -> float:
            assert proc.stdout is not None
            if proc.stdout.read(1) != b"r":
                raise BenchError(f"the runner stand-in failed ({flavor}): exit {proc.wait()}")
            return ms_since(start)

        def runner() -> dict[str, float]:
            start = time.perf_counter()
            proc = start_runner()
            ready = runner_ready(proc, start)
            proc.wait(timeout=120)
            return {"runner": ready, "runner_exit": ms_since(start) - ready}

        def start_host(backend_name: str) -> Any:
            backend = grader.backend if backend_name == "default" else detect_backend(backend_name)
            learner = start_learner_process(
                dataclasses.replace(grader.spec, preload=preload, allow=DEFAULT_ALLOW[flavor]),
                backend,
                seccomp=backend.name == "bwrap" and grader.protections.seccomp,
            )
            # The host imports NumPy (and torch), then reads EOF here and exits at once.
            os.close(learner.runner_write)
            learner.runner_write = -1
            return learner

        def host_ready(learner: Any, start: float) -> float:
            try:
                status = learner.popen.wait(timeout=120)
                ms = ms_since(start)
            finally:
                learner.close()
            if status != 0:
                raise BenchError(f"sandbox host exited {status}: {learner.output_text()[0][-800:]}")
            return ms

        def host(backend_name: str, row: str) -> Step:
            def run() -> dict[str, float]:
                start = time.perf_counter()
                return {row: host_ready(start_host(backend_name), start)}

            return run

        def slot() -> dict[str, float]:
            start = time.perf_counter()
            proc, learner = start_runner(), start_host("default")
            try:
                ready = max(runner_ready(proc, start), host_ready(learner, start))
            finally:
                learner.close()
                proc.wait(timeout=120)
            return {"slot": ready}

        def spawn() -> dict[str, float]:
            start = time.perf_counter()
            made = grader.start_slot(flavor)
            ms = ms_since(start)
            made.close()
            return {"spawn": ms}

        steps = [bare, library, cli, runner, host("default", "host"), slot, spawn]
        if flavor == "numpy":
            steps += [
                lambda: {"pass": run_timed([py, "-c", "pass"])},
                lambda: {"cli_import": run_timed([py, "-c", "import lmschool.cli"], child_env())},
            ]
            if grader.backend.name != "none":
                steps.append(host("none", "host_none"))
        return steps

    # 4: a pool of one slot; three kinds of turn take turns: an idle slot (what a learner
    # who saves every few seconds gets), one taken right after wait_ready(), and an idle
    # slot of our own graded while nothing else runs (no refill competing for the CPUs).
    def warm(self) -> None:
        for flavor, n in (("numpy", self.reps.numpy), ("torch", self.reps.torch)):
            ex, source = self.exercise(flavor)
            seed = seed_for("bench", ex.id)
            with self.grader(pool={flavor: 1}) as grader:
                assert grader.pool is not None
                for _ in range(n):
                    grader.pool.wait_ready()
                    settle()
                    ms, result = timed_grade(grader, ex, source, seed)
                    require_pass(result, f"warm ({flavor})", warm=True)
                    self.record(flavor, "warm", ms)

                    grader.pool.wait_ready()
                    ms, result = timed_grade(grader, ex, source, seed)
                    require_pass(result, f"warm, right after wait_ready() ({flavor})", warm=True)
                    self.record(flavor, "warm_b2b", ms)

                    slot = grader.start_slot(flavor)
                    slot.warm = True
                    settle()  # this slot, and the pool's refill, are idle now
                    start = time.perf_counter()
                    result = grader.run_in_slot(slot, ex, source, seed=seed)
                    self.record(flavor, "warm_solo", ms_since(start))
                    require_pass(result, f"warm, nothing else running ({flavor})", warm=True)

    # 5: NumPy submissions as fast as `threads` threads can grade them
    def throughput_runs(self, threads: int = 2) -> None:
        ex, source = self.exercise("numpy")
        seeds = [seed_for(f"learner-{i}", ex.id) for i in range(self.reps.submissions)]
        for mode, pool in (("warm pool, 2 slots", {"numpy": threads}), ("one-shot, no pool", None)):
            with self.grader(pool=pool) as grader:
                if grader.pool is not None:
                    grader.pool.wait_ready()
                settle()
                start = time.perf_counter()
                with ThreadPoolExecutor(max_workers=threads) as workers:
                    done = list(
                        workers.map(lambda seed, g=grader: timed_grade(g, ex, source, seed), seeds)
                    )
                wall = time.perf_counter() - start
            for _, result in done:
                require_pass(result, f"throughput, {mode}")
            latency = Series([ms for ms, _ in done])
            self.throughput.append(
                {
                    "mode": mode,
                    "n": len(seeds),
                    "threads": threads,
                    "wall_s": wall,
                    "per_s": len(seeds) / wall,
                    "warm": sum(r.sandbox.warm for _, r in done),
                    "median": latency.stat("median"),
                    "p90": latency.stat("p90"),
                }
            )


# --- the report --------------------------------------------------------------------------


def machine(sandbox: str) -> list[tuple[str, str]]:
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass

    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    def output(*argv: str) -> str:
        try:
            return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
        except OSError:
            return ""

    backend = detect_backend(sandbox)
    described = backend.name + (
        " (isolated)" if backend.isolated else f" (NOT isolated: {backend.reason})"
    )
    if backend.name == "bwrap":
        described += f", {output('bwrap', '--version')}"
    described += ", as root (no user namespace)" if os.geteuid() == 0 else ", in a user namespace"
    commit = output("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD") or "unknown"
    if output("git", "-C", str(ROOT), "status", "--porcelain"):
        commit += " + uncommitted changes"
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} logical CPUs ({len(os.sched_getaffinity(0))} usable)"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("numpy / torch", f"{version('numpy')} / {version('torch')}"),
        ("Sandbox backend", described),
        ("Commit", commit),
    ]


def busy_seconds() -> tuple[float, float]:
    """CPU seconds the whole machine has been busy (steal included), and this process tree's."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    machine_busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    ours = os.times()
    return machine_busy, ours.user + ours.system + ours.children_user + ours.children_system


def fmt(ms: float) -> str:
    return "-" if math.isnan(ms) else (f"{ms:.1f}" if ms < 10 else f"{ms:,.0f}")


STAT_HEADERS = ["Measurement", "median ms", "p90 ms", "min ms", "max ms", "n"]


def stat_rows(bench: Bench, flavor: str, rows: list[str], backend: str) -> list[list[str]]:
    out = []
    for row in rows:
        s = bench.series.get((flavor, row))
        if s is None:
            continue
        plus_torch = " + torch" if flavor == "torch" else ""
        label = LABELS[row].format(flavor=flavor, plus_torch=plus_torch, backend=backend)
        stats = [fmt(s.stat(w)) for w in ("median", "p90", "min", "max")]
        out.append([label, *stats, str(len(s.samples))])
    return out


Section = tuple[str, list[str], list[list[str]]]  # title, headers, rows


def sections(bench: Bench, backend: str) -> list[Section]:
    med = bench.median
    bare = med("numpy", "bare")
    goals = [
        ("Warm NumPy check (idle slot)", 150.0, med("numpy", "warm")),
        ("Warm torch check (idle slot)", 400.0, med("torch", "warm")),
        (
            "One-shot NumPy check, **library**, <= 2x bare `import numpy`",
            2 * bare,
            med("numpy", "library"),
        ),
        ("One-shot NumPy check, **CLI**, <= 2x bare `import numpy`", 2 * bare, med("numpy", "cli")),
    ]
    goal_rows = [
        [
            name,
            f"<= {fmt(target)}",
            fmt(got),
            f"{got / target:.2f}",
            "yes" if got <= target else "no",
        ]
        for name, target, got in goals
    ]
    out: list[Section] = [
        ("Goals (medians)", ["Goal", "Target ms", "Measured ms", "Ratio", "Met"], goal_rows)
    ]
    for flavor, ex_id in EXERCISES.items():
        out.append(
            (
                f"Latency: {flavor} exercise `{ex_id}`",
                STAT_HEADERS,
                stat_rows(bench, flavor, LATENCY_ROWS, backend),
            )
        )
        out.append(
            (
                f"Where one-shot {flavor} time goes",
                STAT_HEADERS,
                stat_rows(bench, flavor, BREAKDOWN_ROWS, backend),
            )
        )
    headers = [
        "Mode",
        "Submissions",
        "Threads",
        "Wall s",
        "Per second",
        "Warm slots used",
        "Latency median ms",
        "Latency p90 ms",
    ]
    rows = [
        [
            t["mode"],
            str(t["n"]),
            str(t["threads"]),
            f"{t['wall_s']:.2f}",
            f"{t['per_s']:.1f}",
            str(t["warm"]),
            fmt(t["median"]),
            fmt(t["p90"]),
        ]
        for t in bench.throughput
    ]
    out.append((f"Throughput: `{EXERCISES['numpy']}`, one seed per submission", headers, rows))
    return out


def observations(bench: Bench) -> list[str]:
    def m(flavor: str, row: str) -> str:
        return fmt(bench.median(flavor, row))

    notes = [
        f"{k}: one-shot library grading {m(k, 'library')} ms; starting its two processes together "
        f"takes {m(k, 'slot')} ms (alone: runner imports {m(k, 'runner')} ms, sandbox host "
        f"{m(k, 'host')} ms); a grading in an idle warm slot takes {m(k, 'warm')} ms."
        for k in EXERCISES
    ]
    notes.append(
        f"Interpreter shutdown after the runner's imports: {m('numpy', 'runner_exit')} ms with NumPy, "
        f"{m('torch', 'runner_exit')} ms with torch. The supervisor waits for the runner to exit "
        "before it returns a result, so every torch grading, warm or not, pays this: an idle torch "
        f"slot with nothing else running grades in {m('torch', 'warm_solo')} ms, and "
        f"{m('torch', 'warm')} ms from the pool, whose refill competes for the CPUs."
    )
    if ("numpy", "host_none") in bench.series:
        cost = bench.median("numpy", "host") - bench.median("numpy", "host_none")
        notes.append(
            f"NumPy host ready in bubblewrap {m('numpy', 'host')} ms, without a sandbox "
            f"{m('numpy', 'host_none')} ms: the sandbox costs {fmt(cost)} ms."
        )
    cli_extra = bench.median("numpy", "cli") - bench.median("numpy", "library")
    notes.append(
        f"The CLI adds {fmt(cli_extra)} ms to a NumPy one-shot grading; "
        f"`import lmschool.cli` alone takes {m('numpy', 'cli_import')} ms."
    )
    notes.append(
        "A slot taken right after `wait_ready()` is still importing: "
        f"{m('numpy', 'warm_b2b')} ms (NumPy) and {m('torch', 'warm_b2b')} ms (torch), against "
        f"{m('numpy', 'warm')} and {m('torch', 'warm')} ms once idle: `wait_ready()` waits for "
        "the processes to start, not to be ready."
    )
    return notes


def markdown(sections: list[Section], about: list[tuple[str, str]], notes: list[str]) -> str:
    lines = [
        "# Grading benchmark",
        "",
        "Written by `bench/grading.py`; bench/README.md explains every row.",
        "",
    ]
    lines += ["| | |", "|---|---|", *(f"| {k} | {v} |" for k, v in about), ""]
    for title, headers, rows in sections:
        lines += [f"## {title}", "", "| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        lines.append("")
    lines += ["## Observations", "", *(f"- {n}" for n in notes), ""]
    return "\n".join(lines)


def show(
    console: Console, sections: list[Section], about: list[tuple[str, str]], notes: list[str]
) -> None:
    table = Table(show_header=False, title="Grading benchmark", title_justify="left")
    for k, v in about:
        table.add_row(k, v)
    console.print(table)
    for title, headers, rows in sections:
        table = Table(title=title.replace("**", ""), title_justify="left")
        for i, h in enumerate(headers):
            table.add_column(h, justify="left" if i == 0 else "right")
        for row in rows:
            table.add_row(*(cell.replace("**", "") for cell in row))
        console.print(table)
    for note in notes:
        console.print(f"- {note}", highlight=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a few repetitions, for a smoke test; writes a report only with --out",
    )
    parser.add_argument(
        "--out", type=Path, help=f"the Markdown report (default: {DEFAULT_OUT.relative_to(ROOT)})"
    )
    args = parser.parse_args(argv)
    reps = QUICK if args.quick else FULL
    out = args.out or (None if args.quick else DEFAULT_OUT)
    console = Console() if sys.stdout.isatty() else Console(width=160)
    sandbox = os.environ.get("LMSCHOOL_SANDBOX", "auto")
    started = datetime.datetime.now(datetime.UTC)
    load_start = os.getloadavg()[0]
    busy_start, ours_start = busy_seconds()
    catalog = Catalog.load([PACK])
    with tempfile.TemporaryDirectory(prefix="lmschool-bench-") as home:
        bench = Bench(reps, catalog, Path(home), sandbox)
        phases = [
            ("one-shot and baselines", bench.cold),
            ("warm pool", bench.warm),
            ("throughput", bench.throughput_runs),
        ]
        try:
            for phase, run in phases:
                start = time.perf_counter()
                with console.status(f"[bold]{phase}..."):
                    run()
                console.print(f"{phase}: {time.perf_counter() - start:.0f} s")
        except BenchError as exc:
            console.print(f"[red bold]benchmark invalid:[/] {exc}")
            return 1
    elapsed = (datetime.datetime.now(datetime.UTC) - started).total_seconds()
    busy_end, ours_end = busy_seconds()
    others = (busy_end - busy_start) - (ours_end - ours_start)
    capacity = elapsed * len(os.sched_getaffinity(0))
    info = machine(sandbox)
    about = [
        ("Date", started.strftime("%Y-%m-%d %H:%M UTC")),
        (
            "Run",
            f"{'quick' if args.quick else 'full'}: {reps.numpy} NumPy and {reps.torch} torch "
            f"repetitions per row, {reps.submissions} submissions per throughput run; "
            f"{elapsed:.0f} s in all",
        ),
        ("Load average (1 min), start / end", f"{load_start:.2f} / {os.getloadavg()[0]:.2f}"),
        ("Other processes' share of the CPUs during the run", f"{max(0.0, others) / capacity:.0%}"),
        *info,
        ("Backends in the result documents", ", ".join(sorted(bench.backends_seen))),
    ]
    backend = detect_backend(sandbox).name
    secs, notes = sections(bench, backend), observations(bench)
    show(console, secs, about, notes)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(markdown(secs, about, notes), encoding="utf-8")
        console.print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
