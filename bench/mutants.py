"""Mutation testing of the course's checks: do they fail the wrong programs a learner could write?

    python bench/mutants.py [--exercise PREFIX] [--max-per-exercise N] [--jobs N]
                            [--report-only] [--quick] [--out PATH]

Each code exercise's ``solution.py`` is parsed with ``ast`` and changed in one place at a
time by the operators below (a "mutant"); every mutant is graded by the real grader, in
the sandbox, through a warm pool, with one learner's seed (``seed_for("ada", id)``). A
mutant is *killed* when its grading does not pass (a failed check, an error, a timeout).
Mutants that no check can kill because they compute the same thing are listed, with a
reason, in ``bench/mutants-equivalent.toml``; the score is killed / (mutants - equivalent),
and the goal is at least 90% for every exercise.

The operators are in bench/mutation.py (flipped operators, off-by-one slices and
ranges, dropped terms, swapped axes, changed constants, dropped minus signs); a mutant's
id is ``line:col:operator:detail``, stable while solution.py is unchanged.

Labs that train models (``cpu_seconds >= 30``) take 10-90 s a grading, so they are
sampled: at most LAB_SAMPLE mutants each, chosen deterministically per exercise, unless
``--max-per-exercise`` says otherwise. Outcomes are kept per exercise in
bench/results/mutants.json, so a run over one exercise (``--exercise``) updates its
rows and the report bench/results/mutants.md is written for every exercise graded so
far; ``--report-only`` rewrites the report (after editing the equivalents) without
grading. ``--quick`` grades five mutants of two exercises and writes nothing.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import functools
import hashlib
import json
import os
import platform
import random
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mutation import Mutant, mutants  # noqa: E402  (bench/ is on sys.path as the script's folder)

DEFAULT_OUT = ROOT / "bench" / "results" / "mutants.md"
EQUIVALENT = ROOT / "bench" / "mutants-equivalent.toml"
LAB_SAMPLE = 25  # mutants per lab that trains a model (10-90 s a grading)
LAB_CPU_SECONDS = 30  # what makes an exercise a lab here (the conformance test's "slow")
LEARNER = "ada"  # one seed per exercise: the checks draw their inputs from it
GOAL = 0.9


MODULES = ("pipeline", "deep")  # the default: modules 1 and 2
SECRET = hashlib.sha256(b"lmschool bench/mutants").digest()  # the same hidden data every run


@functools.cache
def _catalog():
    from lmschool.course import Catalog

    return Catalog.load([], include_bundled=True)


def code_exercises(prefix: str | None) -> list:
    from lmschool.course import CodeExercise

    catalog = _catalog()
    return [
        ex
        for ex in catalog.exercises()
        if isinstance(ex, CodeExercise)
        and (ex.id.startswith(prefix) if prefix else ex.module_id in MODULES)
    ]


def is_lab(ex) -> bool:
    return ex.limits.cpu_seconds >= LAB_CPU_SECONDS


def sample(ex, all_mutants: list[Mutant], limit: int | None) -> list[Mutant]:
    """All mutants, or ``limit`` of them drawn by a generator seeded with the exercise id."""
    if limit is None and is_lab(ex):
        limit = LAB_SAMPLE
    if limit is None or len(all_mutants) <= limit:
        return all_mutants
    keep = set(random.Random(ex.id).sample(range(len(all_mutants)), limit))
    return [m for i, m in enumerate(all_mutants) if i in keep]


def _outcome(result) -> tuple[str, str]:
    """("killed" | "survived" | "not graded", by what)."""
    if result.passed:
        return "survived", ""
    if result.error is not None:
        if result.error.kind == "sandbox":
            return "not graded", "sandbox"
        return "killed", f"error:{result.error.kind}"  # "internal": checks.py crashed on it
    return "killed", ",".join(c.name for c in result.checks if not c.passed)


def grade_exercise(ex, muts: list[Mutant], *, jobs: int, advance) -> dict:
    """Grade the unparsed solution (it must pass), then every mutant; one dict per mutant."""
    from lmschool.grading.grader import Grader, profile_of, seed_for

    seed = seed_for(LEARNER, ex.id)
    grader = Grader(
        sandbox="auto", pool={profile_of(ex).key: jobs}, hidden=(ROOT / "tests",), secret=SECRET
    )

    def grade(source: str) -> tuple[str, str, float]:
        start = time.monotonic()
        for _ in range(2):  # a sandbox that failed to start says nothing: try once more
            outcome, by = _outcome(grader.grade(ex, source, seed=seed))
            if outcome != "not graded":
                break
        return outcome, by, time.monotonic() - start

    try:
        source = ex.solution_path.read_text(encoding="utf-8")
        outcome, by, _ = grade(ast.unparse(ast.parse(source)))
        if outcome != "survived":
            raise SystemExit(f"{ex.id}: the unparsed reference solution does not pass ({by})")

        def one(m: Mutant) -> dict:
            outcome, by, seconds = grade(m.source)
            advance()
            return {
                "id": m.id,
                "diff": m.diff,
                "outcome": outcome,
                "by": by,
                "s": round(seconds, 1),
            }

        with ThreadPoolExecutor(max_workers=jobs) as workers:
            return {"mutants": list(workers.map(one, muts))}
    finally:
        grader.close()


def _sha(ex) -> str:
    """A fingerprint of what a mutant's outcome depends on: the solution and the checks."""
    digest = hashlib.sha256(ex.solution_path.read_bytes())
    digest.update(ex.checks_path.read_bytes())
    return digest.hexdigest()[:12]


def run(exercises: list, *, limit: int | None, jobs: int, store: dict, save) -> None:
    """Grade each exercise's mutants into ``store``; ``save()`` after each exercise."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    plans = [
        (ex, sample(ex, all_m := mutants(ex.solution_path.read_text()), limit), all_m)
        for ex in exercises
    ]
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(),
    ) as progress:  # fmt: skip
        task = progress.add_task("mutants", total=sum(len(p[1]) for p in plans))
        for ex, muts, all_m in plans:
            progress.update(task, description=ex.id)
            start, fingerprint = time.monotonic(), _sha(ex)
            graded = grade_exercise(ex, muts, jobs=jobs, advance=lambda: progress.advance(task))
            store[ex.id] = {
                **graded,
                "total": len(all_m),
                "fingerprint": fingerprint,
                "date": datetime.date.today().isoformat(),
                "seconds": round(time.monotonic() - start),
            }
            save()


def load_equivalents(path: Path = EQUIVALENT) -> dict[str, dict[str, str]]:
    """{exercise id: {mutant id: reason}}."""
    if not path.exists():
        return {}
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def report(store: dict, equivalents: dict[str, dict[str, str]], exercises: list) -> str:
    current = {ex.id: ex for ex in exercises}
    lines = [
        "# Mutation testing of the checks",
        "",
        f"Written by `bench/mutants.py` (`make mutants`; bench/README.md) on "
        f"{datetime.date.today().isoformat()}, commit {_commit()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}. Each mutant of a reference "
        f'solution is graded once, with learner "{LEARNER}"\'s seed; a lab that trains a model '
        f"is sampled to {LAB_SAMPLE} mutants. Score = killed / (graded - equivalent); goal "
        f"{GOAL:.0%} for every exercise. Equivalent mutants, with reasons: "
        "bench/mutants-equivalent.toml; in a lab, graded on a quality bar, a mutant that still "
        "reaches the bar is a valid submission and is listed there, so a lab's killed / graded "
        "says how much its bar tolerates.",
        "",
        "| exercise | mutants | graded | killed by a check | killed by an error | equivalent "
        "| survived | killed / graded | score | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    totals = [0] * 7
    survivors: list[str] = []
    for ex_id in sorted(store, key=lambda i: list(current).index(i) if i in current else 1e9):
        entry, eq = store[ex_id], equivalents.get(ex_id, {})
        rows = [m for m in entry["mutants"] if m["outcome"] != "not graded"]
        by_check = sum(m["outcome"] == "killed" and not m["by"].startswith("error:") for m in rows)
        by_error = sum(m["outcome"] == "killed" and m["by"].startswith("error:") for m in rows)
        equivalent = [m for m in rows if m["outcome"] == "survived" and m["id"] in eq]
        alive = [m for m in rows if m["outcome"] == "survived" and m["id"] not in eq]
        counted = len(rows) - len(equivalent)
        score = (by_check + by_error) / counted if counted else 1.0
        raw = (by_check + by_error) / len(rows) if rows else 1.0  # before the equivalents
        notes = []
        if ex_id in current and entry.get("fingerprint") != _sha(current[ex_id]):
            notes.append("stale: solution.py or checks.py changed since")
        if len(entry["mutants"]) < entry["total"]:
            notes.append(f"sampled {len(entry['mutants'])} of {entry['total']}")
        if len(rows) < len(entry["mutants"]):
            notes.append(f"{len(entry['mutants']) - len(rows)} not graded")
        killed_eq = [m["id"] for m in rows if m["outcome"] == "killed" and m["id"] in eq]
        if killed_eq:
            notes.append(f"listed as equivalent but killed: {', '.join(killed_eq)}")
        mark = "" if score >= GOAL else "**below goal**"
        lines.append(
            f"| {ex_id} | {entry['total']} | {len(rows)} | {by_check} | {by_error} | "
            f"{len(equivalent)} | {len(alive)} | {raw:.0%} | {score:.0%} | "
            f"{'; '.join([mark, *notes]).strip('; ')} |"
        )
        for i, n in enumerate(
            (entry["total"], len(rows), by_check, by_error, len(equivalent), len(alive), counted)
        ):
            totals[i] += n
        if alive:
            diffs = {}  # as the operators show them now (the store keeps those of its run)
            if ex_id in current:
                diffs = {m.id: m.diff for m in mutants(current[ex_id].solution_path.read_text())}
            survivors += ["", f"### {ex_id}", ""]
            survivors += [f"- `{m['id']}`: `{diffs.get(m['id'], m['diff'])}`" for m in alive]
    killed = totals[2] + totals[3]
    total_raw = killed / totals[1] if totals[1] else 1.0
    total_score = killed / totals[6] if totals[6] else 1.0
    lines.append(
        f"| **total** | {' | '.join(str(n) for n in totals[:6])} | {total_raw:.0%} "
        f"| {total_score:.0%} | |"
    )
    missing = [i for i, ex in current.items() if ex.module_id in MODULES and i not in store]
    if missing:
        lines += ["", f"Not graded yet ({len(missing)}): " + ", ".join(missing) + "."]
    lines += ["", "## Surviving mutants", ""]
    lines += (
        ["Each one passes every check: kill it with a check, or list it as equivalent."] + survivors
        if survivors
        else ["None."]
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercise", metavar="PREFIX", help="only exercises whose id starts so")
    parser.add_argument("--max-per-exercise", type=int, metavar="N", help="deterministic sample")
    parser.add_argument("--jobs", type=int, default=1, help="gradings at once (default 1)")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite the report, grade nothing"
    )
    parser.add_argument(
        "--quick", action="store_true", help="5 mutants of 2 exercises, writes nothing"
    )
    parser.add_argument("--out", type=Path, default=None, help=f"default {DEFAULT_OUT}")
    args = parser.parse_args(argv)
    exercises = code_exercises(args.exercise)
    if not exercises:
        raise SystemExit(f"no code exercise matches {args.exercise!r}")
    out = args.out or (None if args.quick else DEFAULT_OUT)
    store_path = out.with_suffix(".json") if out is not None else None
    store = json.loads(store_path.read_text()) if store_path and store_path.exists() else {}
    if args.quick:
        exercises, args.max_per_exercise = exercises[:2], 5

    def save() -> None:
        """After every exercise, so that a long run that stops keeps what it graded; rows
        another run wrote meanwhile (two runs over different exercises) are kept."""
        if store_path is None:
            return
        merged = json.loads(store_path.read_text()) if store_path.exists() else {}
        merged.update({ex.id: store[ex.id] for ex in exercises if ex.id in store})
        store.update(merged)
        store_path.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n", "utf-8")

    if not args.report_only:
        run(exercises, limit=args.max_per_exercise, jobs=args.jobs, store=store, save=save)
    text = report(store, load_equivalents(), code_exercises(None) + exercises)
    print(text)
    if out is not None:
        out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
