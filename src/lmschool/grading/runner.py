"""The trusted runner: loads an exercise's checks and reference, drives the learner.

Run as ``python -m lmschool.grading.runner --to-learner FD --from-learner FD``. It
reads one job (JSON, one line) on stdin, sends the learner's source to the
sandboxed host, runs every check in order and writes one result document (JSON)
on stdout. It never executes anything the learner sends: replies are data.

This process holds author code (checks.py, solution.py) but no learner code; the
supervisor (:mod:`grader`) still treats its output as fallible and always
produces a result, even when this process crashes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import numpy as np

from lmschool.grading import checks as checks_api
from lmschool.grading import wire
from lmschool.grading.proxy import (
    DeadlineExceeded,
    LearnerClient,
    LearnerError,
    LearnerGone,
    LearnerModule,
    ProtocolViolation,
)
from lmschool.i18n import Msg, msg


class _Stop(Exception):
    """Grading cannot continue; carries the error for the result document."""

    def __init__(self, kind: str, message: Msg, learner_gone: bool = False) -> None:
        super().__init__(str(message))
        self.kind = kind
        self.message = message
        self.learner_gone = learner_gone


def _import_file(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _error(kind: str, message: Msg) -> dict[str, Any]:
    return {"kind": kind, "message": message.both()}


def _gone() -> _Stop:
    """The learner process ended; the supervisor, which saw its exit status, refines this."""
    return _Stop("runtime", msg("error.process_ended", status="?"), learner_gone=True)


def run_job(job: dict[str, Any], to_learner: int, from_learner: int) -> dict[str, Any]:
    started = time.monotonic()
    deadline = started + float(job["limits"]["wall_seconds"])
    result: dict[str, Any] = {
        "exercise": job["exercise"],
        "passed": False,
        "score": 0.0,
        "checks": [],
        "error": None,
        "seed": job["seed"],
    }
    exercise_dir = Path(job["dir"])
    sys.path.insert(0, str(exercise_dir))
    checks_mod = _import_file(exercise_dir / "checks.py", "lmschool_exercise_checks")
    reference = _import_file(exercise_dir / "solution.py", "lmschool_exercise_solution")
    all_checks = checks_api.collect_checks(checks_mod)
    if not all_checks:
        raise RuntimeError(f"{exercise_dir / 'checks.py'} defines no @check functions")
    total = sum(c.points for c in all_checks)
    records = [
        {
            "name": c.name,
            "title": c.title,
            "passed": False,
            "points": 0.0,
            "max_points": c.points,
            "message": msg("check.not_run").both(),
        }
        for c in all_checks
    ]
    result["checks"] = records
    client = LearnerClient(to_learner, from_learner, deadline)
    try:
        learner = _load(client, job)
        for i, chk in enumerate(all_checks):
            hidden = int(job.get("hidden_seed", 0))
            ctx = checks_api.Context(
                rng=np.random.default_rng(checks_api.check_seed(job["seed"], chk.name)),
                seed=job["seed"],
                learner=learner,
                reference=reference,
                lang=job.get("lang", "en"),
                hidden_seed=hidden,
                hidden_rng=np.random.default_rng(checks_api.hidden_check_seed(hidden, chk.name)),
            )
            records[i].update(_run_check(chk, ctx, job["limits"]))
    except _Stop as stop:
        result["error"] = _error(stop.kind, stop.message)
        result["learner_gone"] = stop.learner_gone
    finally:
        client.bye()
    score = sum(r["points"] for r in records) / total
    result["score"] = round(score, 6)
    result["passed"] = result["error"] is None and all(r["passed"] for r in records)
    result["duration_ms"] = (time.monotonic() - started) * 1000
    return result


def _load(client: LearnerClient, job: dict[str, Any]) -> LearnerModule:
    try:
        reply = client.load(job["source"], job.get("filename", "submission.py"), job["limits"])
    except DeadlineExceeded:
        raise _Stop(
            "timeout", msg("error.timeout_wall", seconds=job["limits"]["wall_seconds"])
        ) from None
    except LearnerGone:
        raise _gone() from None
    except ProtocolViolation as exc:
        raise _Stop("runtime", msg("error.protocol", detail=str(exc))) from None
    if "error" in reply:
        err = reply["error"] if isinstance(reply["error"], dict) else {}
        kind = err.get("kind")
        if kind == "syntax":
            raise _Stop(
                "syntax",
                msg(
                    "error.syntax",
                    line=err.get("line", "?"),
                    message=str(err.get("message", ""))[:500],
                ),
            )
        if kind == "exit":
            raise _Stop("runtime", msg("error.exit_load"))
        if kind == "memory":
            raise _Stop("memory", msg("error.memory", mb=job["limits"]["memory_mb"]))
        tb = str(err.get("traceback", ""))[:4000]
        message = str(err.get("message", ""))[:1000] + (f"\n{tb}" if tb else "")
        raise _Stop(
            "runtime",
            msg(
                "error.runtime_load", type=str(err.get("type", "Exception"))[:100], message=message
            ),
        )
    ok = reply.get("ok")
    names = ok.get("names") if isinstance(ok, dict) else None
    if not isinstance(names, dict):
        raise _Stop("runtime", msg("error.protocol", detail="malformed load reply"))
    names = {str(k): str(v) for k, v in names.items()}
    missing = [n for n in job["names"] if n not in names]
    if missing:
        raise _Stop("missing-name", msg("error.missing_name", names=", ".join(missing)))
    return LearnerModule(client, names)


def _run_check(
    chk: checks_api.Check, ctx: checks_api.Context, limits: dict[str, Any]
) -> dict[str, Any]:
    try:
        chk.fn(ctx)
    except checks_api.CheckFailure as failure:
        return {"passed": False, "points": 0.0, "message": failure.message.both()}
    except LearnerError as exc:
        if exc.type_name == "MemoryError":
            raise _Stop("memory", msg("error.memory", mb=limits["memory_mb"])) from None
        text = exc.message + (f"\n{exc.traceback}" if exc.traceback else "")
        return {
            "passed": False,
            "points": 0.0,
            "message": msg("check.learner_raised", type=exc.type_name, message=text).both(),
        }
    except DeadlineExceeded:
        raise _Stop("timeout", msg("error.timeout_wall", seconds=limits["wall_seconds"])) from None
    except LearnerGone:
        raise _gone() from None
    except ProtocolViolation as exc:
        raise _Stop("runtime", msg("error.protocol", detail=str(exc))) from None
    except Exception:
        detail = f"check {chk.name!r} failed: " + traceback.format_exc(limit=-3)[-1500:]
        raise _Stop("internal", msg("error.internal", detail=detail)) from None
    return {"passed": True, "points": chk.points, "message": msg("check.passed").both()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to-learner", type=int, required=True)
    parser.add_argument("--from-learner", type=int, required=True)
    parser.add_argument("--preload", action="append", default=[])
    args = parser.parse_args()
    for mod in args.preload:
        __import__(mod)
    # Checks may print while debugging; keep fd 1 for the result document alone.
    result_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # Wait for the learner host's hello, then tell the supervisor this slot is ready.
    host_problem = _await_host(args.from_learner)
    result_out.write("ready\n" if host_problem is None else "host-failed\n")
    result_out.flush()
    line = sys.stdin.readline()
    if not line:
        os._exit(0)  # the supervisor shut an unused warm slot
    job = json.loads(line)
    if host_problem is not None:
        result = _failed(job, "sandbox", msg("error.sandbox", detail=host_problem))
    else:
        try:
            result = run_job(job, args.to_learner, args.from_learner)
        except Exception:
            detail = traceback.format_exc(limit=-4)[-2000:]
            result = _failed(job, "internal", msg("error.internal", detail=detail))
    result_out.write(json.dumps(result, default=str) + "\n")
    result_out.flush()
    # Skip interpreter teardown: after torch it costs ~1 s, and the result is out.
    os._exit(0)


HOST_READY_SECONDS = 120.0


def _await_host(from_learner: int) -> str | None:
    """None when the host said hello; else what went wrong (it never started)."""
    try:
        body = wire.read_frame(from_learner, deadline=time.monotonic() + HOST_READY_SECONDS)
        hello = wire.decode(body)
    except wire.Deadline:
        return f"the learner process did not start within {HOST_READY_SECONDS:g} s"
    except wire.WireError as exc:
        return f"the learner process ended while starting ({exc})"
    if not isinstance(hello, dict) or hello.get("hello") != 1:
        return "the learner process sent no hello"
    return None


def _failed(job: dict[str, Any], kind: str, message: Msg) -> dict[str, Any]:
    return {
        "exercise": job.get("exercise"),
        "passed": False,
        "score": 0.0,
        "checks": [],
        "error": _error(kind, message),
        "seed": job.get("seed"),
    }


if __name__ == "__main__":
    main()
