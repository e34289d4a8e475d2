"""Diagnostics for course content: the :class:`Issue` type and the rules behind it.

Everything here looks at one thing at a time (a pydantic error, a Python source, a
markdown text, a prerequisite graph) and never runs content code: Python files are
compiled and read with ``ast``. :mod:`lmschool.course.validate` walks a pack and
applies these rules to every file.
"""

from __future__ import annotations

import ast
import difflib
import keyword
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ValidationError

Severity = Literal["error", "warning"]
DOCS = "docs/authoring.md"


@dataclass(frozen=True)
class Issue:
    """One problem in a pack: where (file and field), what, and how to fix it."""

    path: Path
    field: str
    message: str
    fix: str
    severity: Severity = "error"

    def to_dict(self) -> dict[str, str]:
        """JSON-ready form (``lmschool author validate --json``)."""
        return {
            "path": str(self.path),
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
            "severity": self.severity,
        }

    def __str__(self) -> str:
        where = ": ".join(p for p in (display_path(self.path), self.field) if p)
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}: {tag}{_sentence(self.message)} Fix: {_sentence(self.fix)}"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


# --- pydantic errors -> issues ---------------------------------------------------------

_KINDS = {
    "string_type": "a string in quotes",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list [...]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
}
_TEXT = '{ en = "...", zh = "..." }'
_EXAMPLES = {
    "id": '"my-course"',
    "version": '"0.1.0"',
    "title": _TEXT,
    "summary": _TEXT,
    "prompt": _TEXT,
    "question": _TEXT,
    "explanation": _TEXT,
    "modules": '["basics"]',
    "lessons": '["numpy-warmup"]',
    "exercises": '["standardize"]',
    "prerequisites": '["basics/numpy-warmup"]',
    "skills": '["numpy.arrays"]',
    "minutes": "30",
    "level": '"core"',
    "audience": '["undergraduate", "professional"]',
    "industries": '["general"]',
    "datasets": '["tiny-shakespeare"]',
    "names": '["standardize"]',
    "needs": '["numpy"]',
    "kind": '"code"',
    "type": '"choice"',
    "quiz": '{ type = "choice", question = { en = "...", zh = "..." }, choices = [...] }',
}


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_at(model: type[BaseModel] | None, loc: Iterable[Any]) -> type[BaseModel] | None:
    for part in loc:
        if model is None:
            return None
        if isinstance(part, str):
            info = model.model_fields.get(part)
            model = _inner_model(info.annotation) if info else None
    return model


def _inner_model(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in get_args(tp):
        if found := _inner_model(arg):
            return found
    return None


def shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'the string "{value}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"{type(value).__name__} {value!r}"


def issues_from_validation(path: Path, exc: ValidationError, model: type[BaseModel]) -> list[Issue]:
    """pydantic's errors for ``path`` as issues with the file, the field and a fix."""
    issues = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        field_name = _loc(loc)
        names = [p for p in loc if isinstance(p, str)]
        name = names[-1] if names else ""
        kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
        example = _EXAMPLES.get(name, "...")
        if "fix" in ctx:  # our own validators say how to fix it
            message, fix = err["msg"], str(ctx["fix"])
        elif kind == "missing":
            parent = _loc(loc[:-1])
            where = f" under [{parent}]" if parent else ""
            message = "required field is missing"
            fix = f"add {name} = {example}{where} in {path.name} (see {DOCS})"
        elif kind == "extra_forbidden":
            known = list((_model_at(model, loc[:-1]) or model).model_fields)
            close = difflib.get_close_matches(name, known, n=1)
            message = f"unknown field '{name}'"
            fix = (
                f"rename it to '{close[0]}'"
                if close
                else f"remove it ({DOCS} lists the fields of {path.name})"
            )
        elif kind == "literal_error":
            message = f"{shown(value)} is not allowed"
            fix = f"use one of {ctx.get('expected', '')}"
        elif kind in _KINDS:
            message = f"expected {_KINDS[kind]}, got {shown(value)}"
            fix = (
                f"write {name} = {example}"
                if example != "..."
                else f"write {field_name} as {_KINDS[kind]}"
            )
        elif kind in ("greater_than", "greater_than_equal"):
            bound = ctx.get("gt", ctx.get("ge"))
            message = f"{value!r} is too small: {err['msg'].lower()}"
            fix = f"use a number {'above' if 'gt' in ctx else 'of at least'} {bound}"
        elif kind == "too_short":
            message = "must not be empty"
            fix = f"list at least one item, e.g. {name} = {example}"
        else:
            message, fix = err["msg"], f"see {DOCS} for what {field_name} may hold"
        issues.append(Issue(path, field_name, message, fix))
    return issues


# --- Python sources, markdown, prerequisite graphs -------------------------------------


def defined_names(tree: ast.Module) -> set[str]:
    """Names a module defines at top level (def, class, assignment, import), also inside if/try."""
    names: set[str] = set()

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, ast.If | ast.Try | ast.With):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                visit(getattr(node, "finalbody", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    visit(tree.body)
    return names


def defines_check(tree: ast.Module) -> bool:
    """Whether a checks.py has a top-level function decorated with ``@check``."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                target = deco.func if isinstance(deco, ast.Call) else deco
                if (isinstance(target, ast.Name) and target.id == "check") or (
                    isinstance(target, ast.Attribute) and target.attr == "check"
                ):
                    return True
    return False


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")


def count_code_blocks(markdown: str) -> tuple[int, bool]:
    """(number of fenced code blocks, whether the last one is left open).

    As in CommonMark: a block closes at a fence of the same character, at least as
    long as the opening one, with nothing after it.
    """
    count, opening = 0, ""
    for line in markdown.splitlines():
        match = _FENCE.match(line)
        if not match:
            continue
        fence, rest = match.groups()
        if not opening:
            opening, count = fence, count + 1
        elif fence[0] == opening[0] and len(fence) >= len(opening) and not rest.strip():
            opening = ""
    return count, bool(opening)


def find_cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Cycles of a graph (node -> nodes it requires), each once, as ``[a, b, a]``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []
    found: dict[tuple[str, ...], list[str]] = {}

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :]
                k = cycle.index(min(cycle))  # one name per cycle, whatever the entry point
                canon = cycle[k:] + cycle[:k]
                found.setdefault(tuple(canon), [*canon, canon[0]])
            elif nxt not in state and nxt in graph:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)
    return list(found.values())


def identifiers(value: Any) -> list[str]:
    """The valid Python names of a raw ``names`` value (the model reports the rest)."""
    items = value if isinstance(value, list) else []
    return [
        n for n in items if isinstance(n, str) and n.isidentifier() and not keyword.iskeyword(n)
    ]


def template_fields(text: str) -> set[str]:
    """The ``{name}`` placeholders of a str.format template (ValueError if malformed)."""
    return {
        re.split(r"[.\[!:]", name, maxsplit=1)[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    }


# --- hints that give the solution away ------------------------------------------------------

#: A solution line shorter than this (whitespace removed) is too generic to count as
#: pasted: ``h = h0``, ``return out``, ``opt.step()`` appear in any answer.
HINT_MIN_LINE_CHARS = 12
#: A hint that contains this many non-trivial lines of solution.py pastes code.
HINT_MAX_LINES = 3
#: ... and so does one that contains at least two lines making up this share of them (a
#: short solution whose two key lines are the whole answer).
HINT_MAX_SHARE = 0.3

_TRIVIAL_LINE = re.compile(
    r"^(import |from \S+ import |def |class |@|return self$|pass$|raise \w+\()"
)


def _squash(text: str) -> str:
    """Code compared without whitespace, backticks or the kind of quotes."""
    return re.sub(r"[\s`]+", "", text).replace("'", '"')


def solution_lines(source: str) -> list[str]:
    """The non-trivial lines of a solution, normalised for comparison with hints.

    Blank lines, comments, docstrings, imports, ``def``/``class`` headers, decorators,
    ``return self``/``pass`` and lines shorter than :data:`HINT_MIN_LINE_CHARS` (once
    whitespace is removed) are left out: they say nothing about how to solve the task.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    doc_lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                doc_lines.update(range(body[0].lineno, (body[0].end_lineno or body[0].lineno) + 1))
    lines = []
    for number, raw in enumerate(source.splitlines(), start=1):
        if number in doc_lines:
            continue
        line = re.sub(r"\s+#.*$", "", raw).strip()
        if not line or line.startswith("#") or _TRIVIAL_LINE.match(line):
            continue
        squashed = _squash(line)
        if len(squashed) >= HINT_MIN_LINE_CHARS:
            lines.append(squashed)
    return lines


def hint_copies(hint: str, lines: list[str]) -> list[str]:
    """The lines of ``solution_lines(...)`` that ``hint`` contains verbatim (whitespace aside)."""
    squashed = _squash(hint)
    return [line for line in dict.fromkeys(lines) if line in squashed]


def hint_gives_away(hint: str, lines: list[str]) -> bool:
    """Whether a hint pastes a large part of the solution instead of guiding towards it.

    True when it contains :data:`HINT_MAX_LINES` or more non-trivial solution lines, or
    at least two that make up :data:`HINT_MAX_SHARE` of them.
    """
    copied = len(hint_copies(hint, lines))
    distinct = len(set(lines))
    return copied >= HINT_MAX_LINES or (copied >= 2 and copied >= HINT_MAX_SHARE * distinct)
