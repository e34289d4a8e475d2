"""Mutation operators: one small change to a solution's code, of the kinds a learner makes.

bench/mutants.py grades the mutants; this module only makes them. Each operator is an
``ast.NodeTransformer`` that walks function and method bodies in a fixed order and numbers
every change it could make there; with ``target=i`` it makes the i-th and no other, so a
mutant is rebuilt from its number and named by ``line:col:operator:detail``.

``arith`` flips ``+ -``, ``* /``, ``//`` to ``/``, ``**`` and ``@`` to ``*`` (augmented
assignments too); ``compare`` flips ``< <=``, ``> >=``, ``== !=``, ``is``, ``in``; ``bool``
swaps ``and``/``or`` and drops ``not``; ``slice`` moves slice bounds and ``range`` arguments
by one (and adds a missing bound: ``a[:n]`` -> ``a[1:n]``); ``drop`` keeps one operand of
``+ - * /``; ``axis`` swaps ``axis=``/``dim=`` values and drops ``axis``, ``dim`` and
``keepdims``; ``const`` changes numbers (0 -> 1, 1 -> 0, an int c -> c + 1, a float c ->
c * 1.5) and flips booleans; ``neg`` drops a unary minus. Not mutated: imports, decorators,
annotations, default values, docstrings, ``raise`` statements and f-strings.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Mutant:
    id: str  # line:col:operator:detail
    operator: str
    before: str  # the changed expression (with its parent when short), unparsed
    after: str  # the same after the change
    source: str  # the whole mutated solution, unparsed

    @property
    def diff(self) -> str:
        return f"{_short(self.before)} -> {_short(self.after)}"


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


# Statements and expressions no operator enters: not what a learner's mistake looks like.
_SKIP = (ast.Import, ast.ImportFrom, ast.Raise, ast.JoinedStr, ast.arguments)


def _number(node: ast.AST) -> int | float | None:
    """The value of a numeric literal (``3``, ``0.5``, ``-1``); None for anything else."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _number(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


def _literal(value: int | float) -> ast.expr:
    if value < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-value))
    return ast.Constant(value)


def _plus(node: ast.expr, k: int) -> ast.expr:
    """``node + k``, folded when node is a number (``a[1:]`` -> ``a[2:]``, not ``a[1 + 1:]``)."""
    value = _number(node)
    if value is not None:
        return _literal(value + k)
    return ast.BinOp(node, ast.Add() if k > 0 else ast.Sub(), ast.Constant(abs(k)))


CONTEXT_CHARS = 16  # a mutated expression shorter than this is shown with its parent
_CONTEXTS = (ast.expr, ast.keyword, ast.Assign, ast.AugAssign, ast.Return)  # one-line parents


@dataclass
class Site:
    """A change an operator can make: ``node`` becomes ``replacement``; ``context`` is
    ``node`` or the expression around it, shown in reports."""

    node: ast.AST
    detail: str
    replacement: ast.AST
    context: ast.AST


class Operator(ast.NodeTransformer):
    """One class of mutation. Walks function bodies in a fixed order and numbers every
    mutation it could make there; with ``target=i`` it makes the i-th one and no other."""

    name = ""

    def __init__(self, target: int | None = None) -> None:
        self.target = target
        self.sites: list[Site] = []
        self._depth = 0  # > 0 inside a function body
        self._parents: list[ast.AST] = []

    def alternatives(self, node: ast.AST) -> Iterable[tuple[str, ast.AST]]:
        """(detail, replacement) for each way this operator mutates ``node``."""
        return ()

    def descend(self, node: ast.AST) -> bool:
        """Whether to look inside ``node`` for more sites after offering it."""
        return True

    def visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, _SKIP):
            return node
        if self._depth:
            for detail, replacement in self.alternatives(node):
                self.sites.append(Site(node, detail, replacement, self._context(node)))
                if len(self.sites) - 1 == self.target:
                    return ast.copy_location(replacement, node)
            if not self.descend(node):
                return node
        self._parents.append(node)
        try:
            return super().visit(node)
        finally:
            self._parents.pop()

    def _context(self, node: ast.AST) -> ast.AST:
        """What a reader needs to see the change: ``node``, or its enclosing expression when
        ``node`` is as short as ``0`` or ``:n``."""
        for parent in reversed(self._parents):
            if len(ast.unparse(node)) >= CONTEXT_CHARS or not isinstance(parent, _CONTEXTS):
                break
            node = parent
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        # The body only: not the decorators, annotations or default values.
        self._depth += 1
        node.body = self.generic_visit(ast.Module(body=node.body, type_ignores=[])).body
        self._depth -= 1
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_Assert(self, node: ast.Assert) -> ast.AST:
        node.test = self.visit(node.test)
        return node


class Arith(Operator):
    name = "arith"
    FLIPS = {
        ast.Add: ast.Sub,
        ast.Sub: ast.Add,
        ast.Mult: ast.Div,
        ast.Div: ast.Mult,
        ast.FloorDiv: ast.Div,
        ast.Pow: ast.Mult,
        ast.MatMult: ast.Mult,
    }

    def alternatives(self, node):
        if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in self.FLIPS:
            new = self.FLIPS[type(node.op)]()
            mutated = copy.copy(node)
            mutated.op = new
            yield f"{_symbol(node.op)}->{_symbol(new)}", mutated


class Compare(Operator):
    name = "compare"
    FLIPS = {
        ast.Lt: ast.LtE,
        ast.LtE: ast.Lt,
        ast.Gt: ast.GtE,
        ast.GtE: ast.Gt,
        ast.Eq: ast.NotEq,
        ast.NotEq: ast.Eq,
        ast.Is: ast.IsNot,
        ast.IsNot: ast.Is,
        ast.In: ast.NotIn,
        ast.NotIn: ast.In,
    }

    def alternatives(self, node):
        if not isinstance(node, ast.Compare):
            return
        for i, op in enumerate(node.ops):
            new = self.FLIPS[type(op)]()
            mutated = copy.copy(node)
            mutated.ops = [*node.ops[:i], new, *node.ops[i + 1 :]]
            where = f"#{i}" if len(node.ops) > 1 else ""
            yield f"{_symbol(op)}->{_symbol(new)}{where}", mutated


class Boolean(Operator):
    name = "bool"

    def alternatives(self, node):
        if isinstance(node, ast.BoolOp):
            new = ast.Or() if isinstance(node.op, ast.And) else ast.And()
            yield f"{_symbol(node.op)}->{_symbol(new)}", ast.BoolOp(new, node.values)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield "not->", node.operand


class OffByOne(Operator):
    name = "slice"

    def alternatives(self, node):
        if isinstance(node, ast.Slice):
            for bound in ("lower", "upper"):
                value = getattr(node, bound)
                if value is None:  # a[:n] -> a[1:n], a[i:] -> a[i:-1]
                    moved = ast.Constant(1) if bound == "lower" else _literal(-1)
                    yield f"{bound}={ast.unparse(moved)}", _replace(node, bound, moved)
                else:
                    for k in (1, -1):
                        yield f"{bound}{k:+d}", _replace(node, bound, _plus(value, k))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "range"
            and 1 <= len(node.args) <= 3
        ):
            names = ["stop"] if len(node.args) == 1 else ["start", "stop"]
            for i, arg_name in enumerate(names):
                for k in (1, -1):
                    args = list(node.args)
                    args[i] = _plus(args[i], k)
                    yield f"range-{arg_name}{k:+d}", ast.Call(node.func, args, node.keywords)


class DropTerm(Operator):
    name = "drop"
    KEEP = {ast.Add: "lr", ast.Mult: "lr", ast.Sub: "l", ast.Div: "l"}

    def alternatives(self, node):
        if isinstance(node, ast.BinOp) and type(node.op) in self.KEEP:
            sym = _symbol(node.op)
            if "l" in self.KEEP[type(node.op)]:
                yield f"a{sym}b->a", node.left
            if "r" in self.KEEP[type(node.op)]:
                yield f"a{sym}b->b", node.right


class Axis(Operator):
    name = "axis"
    SWAP = {0: (1, -1), 1: (0,), -1: (0,), 2: (1,), -2: (-1,)}

    def alternatives(self, node):
        if not isinstance(node, ast.Call):
            return
        for i, kw in enumerate(node.keywords):
            if kw.arg in ("axis", "dim"):
                value = _number(kw.value)
                for new in self.SWAP.get(value, ()) if isinstance(value, int) else ():
                    yield f"{kw.arg}={value}->{new}", _keyword(node, i, _literal(new))
            if kw.arg in ("axis", "dim", "keepdims", "keepdim"):
                yield f"{kw.arg}->", _keyword(node, i, None)


class Const(Operator):
    name = "const"

    def alternatives(self, node):
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield f"{node.value}->{not node.value}", ast.Constant(not node.value)
            return
        value = _number(node)
        if value is None:
            return
        if isinstance(value, int):
            new = {0: [1], 1: [0]}.get(value, [value + 1])
        else:
            new = {0.0: [1.0], 1.0: [0.0]}.get(value, [value * 1.5])
        for v in new:
            yield f"{value!r}->{v!r}", _literal(v)

    def descend(self, node):
        return _number(node) is None  # the 1 of -1 is not a second constant


class Neg(Operator):
    name = "neg"

    def alternatives(self, node):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            yield "-x->x", node.operand


OPERATORS: tuple[type[Operator], ...] = (
    Arith,
    Compare,
    Boolean,
    OffByOne,
    DropTerm,
    Axis,
    Const,
    Neg,
)

_SYMBOLS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
    ast.Pow: "**", ast.MatMult: "@", ast.Mod: "%", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
    ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is-not",
    ast.In: "in", ast.NotIn: "not-in", ast.And: "and", ast.Or: "or",
}  # fmt: skip


def _symbol(op: ast.AST) -> str:
    return _SYMBOLS[type(op)]


def _replace(node: ast.AST, field: str, value: ast.AST | None) -> ast.AST:
    new = copy.copy(node)
    setattr(new, field, value)
    return new


def _keyword(call: ast.Call, i: int, value: ast.expr | None) -> ast.Call:
    """``call`` with keyword i's value replaced, or keyword i dropped (value None)."""
    keywords = list(call.keywords)
    if value is None:
        del keywords[i]
    else:
        keywords[i] = ast.keyword(keywords[i].arg, value)
    return ast.Call(call.func, call.args, keywords)


def mutants(source: str) -> list[Mutant]:
    """Every mutant of ``source``, operator by operator, each distinct from the others."""
    original = ast.unparse(ast.parse(source))
    seen = {original}
    out: list[Mutant] = []
    ids: set[str] = set()
    for op_class in OPERATORS:
        survey = op_class()
        survey.visit(ast.parse(source))
        for i, site in enumerate(survey.sites):
            op = op_class(target=i)
            text = ast.unparse(ast.fix_missing_locations(op.visit(ast.parse(source))))
            if text in seen:
                continue
            seen.add(text)
            where = f"{site.node.lineno}:{site.node.col_offset}:{op_class.name}:{site.detail}"
            mid, n = where, 2
            while mid in ids:  # the same change at one place twice: never in practice
                mid, n = f"{where}~{n}", n + 1
            ids.add(mid)
            # The mutated tree's context now holds the replacement (or is it).
            done = op.sites[i]
            after = done.replacement if done.context is done.node else done.context
            out.append(
                Mutant(mid, op_class.name, ast.unparse(site.context), ast.unparse(after), text)
            )
    return out
