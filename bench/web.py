"""The web platform under a class: simulated learners submitting to a local server.

Run ``python bench/web.py [--learners 200] [--duration 120] [--workers N] [--quick]
[--out PATH]``; a full run writes bench/results/web.md (``make bench`` runs it).

The server is the real one (``lmschool.web.create_app`` served by Uvicorn in this
process, on a fresh SQLite database, with ``lmschool serve``'s warm NumPy pool); the
learners are threads speaking HTTP to it, each with its own session: sign in, then, at
moments drawn uniformly over ``--duration`` seconds, submit a quiz answer and two versions
of ``pipeline/preprocessing/scaler`` (a wrong one and the reference), each time polling the
attempt page until the result is there, as a browser would.

Measured: time from the submit to the result on the page (p50, p95, max), results per
minute, the number of workers against the cores. Checked, and the run fails otherwise:
no submission lost or duplicated (the attempts in the database are exactly the ones
submitted, one row each, every one graded), and every result is the expected verdict.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

OUT = ROOT / "bench" / "results" / "web.md"
CODE = "pipeline/preprocessing/scaler"
QUIZ = "pipeline/preprocessing/zscore-quiz"
PASSWORD = "bench-password-1"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Learner(threading.Thread):
    def __init__(self, base: str, name: str, plan: list[tuple[float, str, bool]], t0: float):
        super().__init__(daemon=True)
        self.base, self.name, self.plan, self.t0 = base, name, plan, t0
        self.latencies: list[float] = []
        self.verdicts: list[tuple[str, bool, bool]] = []  # (what, expected pass, passed)
        self.attempt_ids: list[int] = []
        self.error: str | None = None

    def run(self) -> None:
        from lmschool.course.quiz import right_answer
        from lmschool.grading.grader import seed_for

        try:
            catalog = BENCH["catalog"]
            ex = catalog.exercise(CODE)
            quiz = catalog.exercise(QUIZ)
            sources = {
                True: ex.solution_path.read_text(encoding="utf-8"),
                False: ex.starter_path.read_text(encoding="utf-8"),
            }
            with httpx.Client(base_url=self.base, timeout=60) as c:
                token = CSRF.search(c.get("/login").text).group(1)
                r = c.post(
                    "/login", data={"username": self.name, "password": PASSWORD, "csrf": token}
                )
                assert r.status_code == 303, r.text[:300]
                csrf = CSRF.search(c.get("/map").text).group(1)
                for at, what, right in self.plan:
                    time.sleep(max(0.0, self.t0 + at - time.monotonic()))
                    start = time.monotonic()
                    if what == "quiz":
                        answer = right_answer(quiz, seed_for(self.name, QUIZ))
                        data = {"csrf": csrf, "answer": answer}
                        r = c.post(f"/exercises/{QUIZ}/submit", data=data)
                    else:
                        data = {"csrf": csrf, "source": sources[right]}
                        r = c.post(f"/exercises/{CODE}/submit", data=data)
                    assert r.status_code == 303, (r.status_code, r.text[:300])
                    url = r.headers["location"]
                    self.attempt_ids.append(int(url.rsplit("/", 1)[1]))
                    while True:
                        page = c.get(url).text
                        if 'class="verdict' in page:
                            break
                        time.sleep(0.1)
                    self.latencies.append(time.monotonic() - start)
                    self.verdicts.append((what, right, 'class="verdict ok"' in page))
        except Exception as exc:  # reported, and the run fails
            self.error = f"{self.name}: {type(exc).__name__}: {exc}"


BENCH: dict[str, object] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--duration", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--quick", action="store_true", help="20 learners over 20 s, writes nothing"
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if args.quick:
        args.learners, args.duration = 20, 20.0

    import uvicorn
    from sqlalchemy import func, select

    from lmschool.config import Settings
    from lmschool.learning import load_catalog
    from lmschool.store import open_database
    from lmschool.store.models import Attempt
    from lmschool.web import accounts, create_app
    from lmschool.web.queue import default_workers

    workers = args.workers or default_workers()
    tmp = Path(tempfile.mkdtemp(prefix="lmschool-bench-web-"))
    settings = Settings(home=tmp / "home", database_url=f"sqlite:///{tmp / 'web.db'}")
    catalog = load_catalog(settings)
    BENCH["catalog"] = catalog
    db = open_database(settings.db_url)
    names = [f"learner{i:03d}" for i in range(args.learners)]
    print(f"creating {len(names)} accounts ...", flush=True)
    with db.session() as s:
        for name in names:
            accounts.create_user(s, username=name, password=PASSWORD)
    app = create_app(settings, catalog=catalog, db=db, workers=workers, pool={"numpy": workers})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)

    rng = random.Random(args.seed)
    t0 = time.monotonic() + 2.0
    learners = []
    for name in names:
        moments = sorted(rng.uniform(0, args.duration) for _ in range(3))
        plan = list(zip(moments, ("quiz", "code", "code"), (True, False, True), strict=True))
        learners.append(Learner(f"http://127.0.0.1:{port}", name, plan, t0))
    print(
        f"{len(learners)} learners, {3 * len(learners)} submissions over {args.duration:.0f} s, "
        f"{workers} workers ...",
        flush=True,
    )
    for learner in learners:
        learner.start()
    for learner in learners:
        learner.join()
    wall = time.monotonic() - t0
    server.should_exit = True
    thread.join(timeout=30)

    errors = [lr.error for lr in learners if lr.error]
    submitted = [i for lr in learners for i in lr.attempt_ids]
    with db.session() as s:
        rows = s.execute(select(Attempt.id, Attempt.status)).all()
        per_learner = dict(
            s.execute(select(Attempt.learner_id, func.count()).group_by(Attempt.learner_id)).all()
        )
    in_db = Counter(i for i, _ in rows)
    lost = sorted(set(submitted) - set(in_db))
    extra = sorted(set(in_db) - set(submitted))
    not_done = sorted(i for i, status in rows if status != "done")
    duplicated = sorted(i for i, n in Counter(submitted).items() if n > 1)
    wrong_verdict = [(lr.name, v) for lr in learners for v in lr.verdicts if v[1] != v[2]]
    latencies = [x for lr in learners for x in lr.latencies]
    code_lat = [
        x
        for lr in learners
        for x, v in zip(lr.latencies, lr.verdicts, strict=True)
        if v[0] == "code"
    ]
    quiz_lat = [
        x
        for lr in learners
        for x, v in zip(lr.latencies, lr.verdicts, strict=True)
        if v[0] == "quiz"
    ]
    print(f"done in {wall:.0f} s: {len(latencies)} results", flush=True)
    problems = errors + [
        f"lost: {lost}" if lost else "",
        f"not submitted by anyone: {extra}" if extra else "",
        f"not graded: {not_done}" if not_done else "",
        f"duplicated: {duplicated}" if duplicated else "",
        f"wrong verdicts: {wrong_verdict[:5]}" if wrong_verdict else "",
        "attempts per learner differ from 3" if any(n != 3 for n in per_learner.values()) else "",
    ]
    problems = [p for p in problems if p]
    if problems:
        raise SystemExit("the load run failed:\n" + "\n".join(problems))

    def row(label: str, values: list[float]) -> str:
        return (
            f"| {label} | {len(values)} | {statistics.median(values) * 1000:,.0f} | "
            f"{percentile(values, 0.95) * 1000:,.0f} | {max(values) * 1000:,.0f} |"
        )

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    text = "\n".join(
        [
            "## The web platform under a class of simulated learners",
            "",
            f"Written by `bench/web.py` on {datetime.date.today().isoformat()}.",
            "",
            f"- Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; 1-minute load average {load:.1f} at the end",
            f"- Server: `create_app` under Uvicorn, SQLite, {workers} grading workers (one per "
            f"core) with {workers} warm NumPy sandbox slots, as `lmschool serve` runs it",
            f"- Load: {args.learners} learners, each submitting a quiz answer, a wrong and a "
            f"right `{CODE}` at moments drawn uniformly over {args.duration:.0f} s "
            f"({3 * args.learners} submissions), polling the attempt page every 100 ms",
            "",
            "| submissions | n | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
            row("all", latencies),
            row(f"code (`{CODE}`, graded in the sandbox)", code_lat),
            row("quiz (graded in the request)", quiz_lat),
            "",
            f"Throughput: {len(latencies) / wall * 60:,.0f} results per minute "
            f"({len(code_lat) / wall * 60:,.0f} sandbox gradings per minute) on {workers} "
            f"workers and {os.cpu_count()} cores; the whole run took {wall:.0f} s.",
            "",
            f"Checked: {len(submitted)} submissions, {len(in_db)} attempts in the database, "
            "none lost, none duplicated, every one graded with the expected verdict.",
            "",
        ]
    )
    print(text)
    if not args.quick:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
