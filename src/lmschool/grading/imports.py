"""The allow-list scan: what a submission imports and uses, read from its syntax tree.

The trusted runner parses the learner's source (as data: nothing is executed) before
sending it to the sandbox and refuses it, with the line and the name, when it

- imports a module that is neither in Python's standard library nor in the
  exercise's ``allow`` list (``import sklearn`` in a NumPy exercise), including
  ``__import__("x")`` and ``importlib.import_module("x")`` with a literal name;
- uses a name in the exercise's ``forbid`` list (``torch.nn.functional.conv2d``),
  however it was imported (``import torch.nn.functional as F; F.conv2d``, ``from
  torch.nn.functional import conv2d``, ``getattr(F, "conv2d")``); in exercises with
  a ``forbid`` list, reflective access to an imported module (``getattr(F, name)``
  with a computed name, ``vars(F)``, ``F.__dict__``), imports by a computed name and
  ``eval``/``exec``/``compile`` are refused too, because they would hide the name.

The scan gives a clear message for honest mistakes; the sandbox enforces imports by
itself (only allowed libraries are installed there, see packages.py). A forbidden
*function* of an allowed library can still be reached by code obfuscated beyond what
the scan reads; checks that test the method (driving the learner's objects, comparing
intermediate results) are the defence there, and docs/grading.md says so.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence
from dataclasses import dataclass

STDLIB = frozenset(sys.stdlib_module_names)
DYNAMIC_CODE = ("eval", "exec", "compile")


@dataclass(frozen=True)
class Violation:
    line: int
    kind: str  # "import", "dynamic-import", "forbidden", "reflection"
    name: str  # the module or dotted name concerned
    code: str  # how it appears in the source (e.g. "F.conv2d")


def module_allowed(module: str, allow: Sequence[str], *, parents: bool = True) -> bool:
    """Standard library, an allowed module or part of one, or (``parents``) a package
    above one (``import lmschool`` when ``lmschool.ml`` is allowed)."""
    if module.split(".", 1)[0] in STDLIB:
        return True
    for a in allow:
        if module == a or module.startswith(a + "."):
            return True
        if parents and a.startswith(module + "."):
            return True
    return False


def scan(source: str, allow: Sequence[str], forbid: Sequence[str] = ()) -> list[Violation]:
    """Every violation, in source order; [] also when the source does not parse
    (the sandbox then reports the syntax error with its line)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    return _Scanner(allow, forbid).run(tree)


class _Scanner(ast.NodeVisitor):
    def __init__(self, allow: Sequence[str], forbid: Sequence[str]) -> None:
        self.allow = list(allow)
        self.forbid = list(forbid)
        self.aliases: dict[str, str] = {}  # local name -> dotted name it stands for
        self.found: list[Violation] = []

    def run(self, tree: ast.AST) -> list[Violation]:
        # First every import (wherever it is), so that uses above an import resolve too.
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                self._import(node)
            elif isinstance(node, ast.ImportFrom):
                self._import_from(node)
        self.visit(tree)
        unique = {(v.line, v.kind, v.name, v.code): v for v in self.found}
        return sorted(unique.values(), key=lambda v: (v.line, v.code))

    # -- imports ---------------------------------------------------------------------
    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._check_module(node.lineno, alias.name, f"import {alias.name}")
            if alias.asname:
                self.aliases[alias.asname] = alias.name
            else:
                top = alias.name.split(".", 1)[0]
                self.aliases[top] = top
            self._check_forbidden(node.lineno, alias.name, f"import {alias.name}")

    def _import_from(self, node: ast.ImportFrom) -> None:
        if node.level or not node.module:
            return  # relative imports fail at run time anyway: the file is no package
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            ok = module_allowed(node.module, self.allow, parents=False) or module_allowed(
                full, self.allow, parents=False
            )
            if not ok:
                self._add(node.lineno, "import", node.module, f"from {node.module} import ...")
            if alias.name == "*":
                continue
            self.aliases[alias.asname or alias.name] = full
            self._check_forbidden(node.lineno, full, f"from {node.module} import {alias.name}")

    def _check_module(self, line: int, module: str, code: str) -> None:
        if not module_allowed(module, self.allow):
            self._add(line, "import", module, code)

    # -- uses --------------------------------------------------------------------------
    def _dotted(self, node: ast.AST) -> str | None:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self._dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        return None

    def _check_forbidden(self, line: int, dotted: str, code: str) -> None:
        for name in self.forbid:
            if dotted == name or dotted.startswith(name + "."):
                self._add(line, "forbidden", name, code)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        dotted = self._dotted(node)
        if dotted:
            self._check_forbidden(node.lineno, dotted, ast.unparse(node))
            if node.attr == "__dict__" and self.forbid:
                self._add(node.lineno, "reflection", dotted, ast.unparse(node))
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        dotted = self.aliases.get(node.id)
        if dotted and dotted != node.id:
            self._check_forbidden(node.lineno, dotted, node.id)
        if self.forbid and node.id in DYNAMIC_CODE and isinstance(node.ctx, ast.Load):
            self._add(node.lineno, "reflection", node.id, node.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        dotted = self._dotted(func) if not name else None
        first = node.args[0] if node.args else None
        literal = first.value if isinstance(first, ast.Constant) else None
        if name == "__import__" or dotted == "importlib.import_module":
            if isinstance(literal, str):
                self._check_module(node.lineno, literal, ast.unparse(node))
                self._check_forbidden(node.lineno, literal, ast.unparse(node))
            elif self.forbid:  # elsewhere the sandbox itself holds only allowed packages
                self._add(node.lineno, "dynamic-import", "", ast.unparse(node))
        elif name in ("getattr", "vars") and first is not None:
            target = self._dotted(first)
            if target is not None and name == "getattr" and len(node.args) > 1:
                attr = node.args[1]
                if isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                    self._check_forbidden(node.lineno, f"{target}.{attr.value}", ast.unparse(node))
                elif self.forbid:
                    self._add(node.lineno, "reflection", target, ast.unparse(node))
            elif target is not None and name == "vars" and self.forbid:
                self._add(node.lineno, "reflection", target, ast.unparse(node))
        self.generic_visit(node)

    def _add(self, line: int, kind: str, name: str, code: str) -> None:
        if len(code) > 80:
            code = code[:77] + "..."
        self.found.append(Violation(line, kind, name, code))
