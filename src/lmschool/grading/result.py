"""The result document: what every grading produces, even when the grader fails.

This is the contract between the grader, the store, the CLI (``grade --json``) and
the web app; docs/grading.md describes each field. Messages are ``{"en", "zh"}``
pairs so a stored result can be shown in either language later.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from lmschool.i18n import Lang, Msg, pick

ErrorKind = Literal[
    "syntax",
    "runtime",
    "timeout",
    "memory",
    "output-limit",
    "missing-name",
    "not-allowed",
    "protocol",
    "sandbox",
    "internal",
]
ERROR_KINDS: tuple[str, ...] = ErrorKind.__args__  # type: ignore[attr-defined]


class CheckResult(BaseModel):
    name: str
    title: dict[str, str] = Field(default_factory=dict)
    passed: bool
    points: float = Field(ge=0)
    max_points: float = Field(ge=0)
    message: dict[str, str]


class ErrorInfo(BaseModel):
    kind: ErrorKind
    message: dict[str, str]

    def text(self, lang: Lang) -> str:
        return pick(self.message, lang)


class SandboxInfo(BaseModel):
    isolated: bool
    backend: str  # "bwrap", "none" (rlimits only) or "quiz" (no learner code runs)
    warm: bool = False
    warning: dict[str, str] | None = None
    missing: list[str] = Field(default_factory=list)  # protections not in force: "cgroups", ...
    memory_peak_mb: float | None = None  # the submission's processes together (cgroup peak)
    cpu_seconds: float | None = None  # CPU time of the submission's processes together


class Result(BaseModel):
    exercise: str
    passed: bool
    score: float = Field(ge=0, le=1)
    checks: list[CheckResult] = Field(default_factory=list)
    error: ErrorInfo | None = None
    duration_ms: float = 0.0
    output: str = ""
    output_truncated: bool = False
    sandbox: SandboxInfo
    seed: int = 0
    incident: str | None = None  # id of a grader-side problem in the server's log

    def doc(self) -> dict:
        """The JSON-ready result document."""
        return self.model_dump(mode="json")


def failure(
    exercise: str,
    kind: str,
    message: Msg,
    *,
    sandbox: SandboxInfo,
    seed: int = 0,
    duration_ms: float = 0.0,
    incident: str | None = None,
) -> Result:
    """A result for a grading that could not run any check."""
    return Result(
        exercise=exercise,
        passed=False,
        score=0.0,
        error=ErrorInfo(kind=kind, message=message.both()),  # type: ignore[arg-type]
        sandbox=sandbox,
        seed=seed,
        duration_ms=duration_ms,
        incident=incident,
    )
