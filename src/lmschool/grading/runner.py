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
import resource
import sys
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from lmschool.grading import checks as checks_api
from lmschool.grading import imports, wire
from lmschool.grading.proxy import (
    DeadlineExceeded,
    LearnerClient,
    LearnerError,
    LearnerGone,
    LearnerModule,
    ProtocolViolation,
)
from lmschool.i18n import LANGS, Msg, msg

MESSAGE_CHARS = 4000  # per language, per check message: the result document stays small
LOAD_MARK = "@load\n"  # written to stdout before the learner's code first runs


class _Stop(Exception):
    """Grading cannot continue; carries the error for the result document."""

    def __init__(
        self, kind: str, message: Msg, learner_gone: bool = False, incident: str | None = None
    ) -> None:
        super().__init__(str(message))
        self.kind = kind
        self.message = message
        self.learner_gone = learner_gone
        self.incident = incident


class Incidents:
    """Grader-side problems of one grading: the id goes to the learner, the detail to the log."""

    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, where: str, detail: str) -> str:
        incident = uuid.uuid4().hex[:12]
        self.items.append({"id": incident, "where": where, "detail": detail[-6000:]})
        return incident


def _capped(message: dict[str, str]) -> dict[str, str]:
    out = {}
    for lang in LANGS:
        text = str(message.get(lang, ""))
        out[lang] = text if len(text) <= MESSAGE_CHARS else text[:MESSAGE_CHARS] + " [...]"
    return out


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
    incidents = Incidents()
    result["incidents"] = incidents.items
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
    max_reply = int(job["limits"].get("reply_mb", 8)) << 20
    client = LearnerClient(to_learner, from_learner, deadline, max_reply=max_reply)
    try:
        _scan(job)
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
            records[i].update(_run_check(chk, ctx, job["limits"], incidents))
            records[i]["message"] = _capped(records[i]["message"])
    except _Stop as stop:
        result["error"] = _error(stop.kind, stop.message)
        result["learner_gone"] = stop.learner_gone
        if stop.incident:
            result["incident"] = stop.incident
    finally:
        client.bye()
    score = sum(r["points"] for r in records) / total
    result["score"] = round(score, 6)
    result["passed"] = result["error"] is None and all(r["passed"] for r in records)
    result["duration_ms"] = (time.monotonic() - started) * 1000
    return result


def _scan(job: dict[str, Any]) -> None:
    """Refuse a source that imports or uses what the exercise does not allow."""
    allow = list(job.get("allow") or ["numpy"])
    forbid = list(job.get("forbid") or [])
    found = imports.scan(job["source"], allow, forbid)
    if not found:
        return
    shown = ", ".join(allow)
    lines = {lang: [] for lang in LANGS}
    for v in found[:8]:
        text = msg(
            f"imports.{v.kind}",
            line=v.line,
            code=v.code,
            name=v.name,
            allowed=shown,
            forbidden=", ".join(forbid),
        )
        for lang in LANGS:
            lines[lang].append("- " + text.render(lang))
    problems = {lang: "\n".join(lines[lang]) for lang in LANGS}
    message = Msg(
        {lang: msg("error.not_allowed", problems=problems[lang]).render(lang) for lang in LANGS},
        "error.not_allowed",
    )
    raise _Stop("not-allowed", message)


def _load(client: LearnerClient, job: dict[str, Any]) -> LearnerModule:
    sys.stdout.flush()
    _mark(LOAD_MARK)
    try:
        reply = client.load(job["source"], job.get("filename", "submission.py"), job["limits"])
    except DeadlineExceeded:
        raise _Stop(
            "timeout", msg("error.timeout_wall", seconds=job["limits"]["wall_seconds"])
        ) from None
    except LearnerGone:
        raise _gone() from None
    except ProtocolViolation as exc:
        raise _Stop("protocol", msg("error.protocol", detail=str(exc))) from None
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
    chk: checks_api.Check,
    ctx: checks_api.Context,
    limits: dict[str, Any],
    incidents: Incidents,
) -> dict[str, Any]:
    try:
        chk.fn(ctx)
    except checks_api.CheckFailure as failure:
        return {"passed": False, "points": 0.0, "message": failure.message.both()}
    except LearnerError as exc:
        if exc.type_name == "MemoryError":
            raise _Stop("memory", msg("error.memory", mb=limits["memory_mb"])) from None
        if exc.type_name == "SystemExit":
            where = {"en": f"check '{chk.name}'", "zh": f"检查“{chk.name}”"}
            raise _Stop(
                "runtime",
                Msg(
                    {lang: msg("error.exit_call", where=where[lang]).render(lang) for lang in LANGS}
                ),
            ) from None
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
        raise _Stop("protocol", msg("error.protocol", detail=str(exc))) from None
    except (Exception, RecursionError, MemoryError):
        # The check's own code raised while handling what the learner's code returned: a
        # failed check with a neutral message. The traceback (trusted code, host paths)
        # goes to the server's log only, under the incident id the learner sees.
        incident = incidents.add(f"check {chk.name!r}", traceback.format_exc(limit=-8))
        return {
            "passed": False,
            "points": 0.0,
            "message": msg("check.grader_error", incident=incident).both(),
        }
    return {"passed": True, "points": chk.points, "message": msg("check.passed").both()}


def main(argv: list[str] | None = None) -> None:
    """Started as a program, or called in a fork of a zygote (zygote.py) with ``argv``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to-learner", type=int, required=True)
    parser.add_argument("--from-learner", type=int, required=True)
    parser.add_argument("--preload", action="append", default=[])
    args = parser.parse_args(argv)
    for mod in args.preload:
        __import__(mod)
    # Checks may print while debugging; keep fd 1 for the result document alone.
    result_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    global _MARKS
    _MARKS = result_out
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
    _limit_self(job.get("runner_limits") or {})
    if host_problem is not None:
        result = _failed(job, "sandbox", msg("error.sandbox", detail=host_problem))
    else:
        try:
            result = run_job(job, args.to_learner, args.from_learner)
        except BaseException:
            # checks.py or solution.py failed to import, or the runner itself broke: not
            # the learner's doing, and nothing of it (paths, code) reaches the learner.
            incidents = Incidents()
            incident = incidents.add("runner", traceback.format_exc(limit=-8))
            result = _failed(job, "internal", msg("error.internal", incident=incident))
            result["incident"] = incident
            result["incidents"] = incidents.items
    result_out.write(json.dumps(result, default=str) + "\n")
    result_out.flush()
    # Skip interpreter teardown: after torch it costs ~1 s, and the result is out.
    os._exit(0)


HOST_READY_SECONDS = 120.0
_MARKS: Any = None


def _mark(text: str) -> None:
    """A progress mark on the result stream (the supervisor reads the last JSON line)."""
    if _MARKS is not None:
        _MARKS.write(text)
        _MARKS.flush()


def _limit_self(limits: dict[str, Any]) -> None:
    """The runner's own budgets, counted from what its imports already use.

    Its control group (when there is one) holds the same memory budget for the
    whole process tree; these rlimits make most overruns a Python MemoryError that
    the runner survives and reports, rather than a kill.
    """
    memory_mb = limits.get("memory_mb")
    if memory_mb:
        with open("/proc/self/status") as f:
            vm = next((int(ln.split()[1]) * 1024 for ln in f if ln.startswith("VmSize:")), 0)
        soft = vm + int(memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (soft, soft))
    cpu = limits.get("cpu_seconds")
    if cpu:
        used = resource.getrusage(resource.RUSAGE_SELF)
        soft = int(used.ru_utime + used.ru_stime + float(cpu)) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 5))


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
