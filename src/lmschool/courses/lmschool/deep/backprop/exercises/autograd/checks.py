"""Hidden checks for deep/backprop/autograd.

A learner's Value objects live in the sandbox, so the checks pass data in and get data
out: a program (a list of steps, see evaluate's docstring) and its inputs go to the
learner's evaluate(), which runs it with the learner's Value and returns the output and
the gradient for every input. The same program is built here in torch (float64) and
differentiated with torch.autograd. Graphs are drawn from ctx.rng so that every learner
gets their own; their values are kept inside each function's domain (log of positive
numbers, division by numbers away from 0, relu away from its kink).
"""

import math

import numpy as np
import torch

from lmschool.grading.checks import check, expect, expect_close, fail
from lmschool.grading.proxy import RemoteObject

BINARY = ("add", "sub", "mul", "div")
CONST = ("cadd", "csub", "cmul", "cdiv")
UNARY = ("tanh", "relu", "exp", "log", "neg")
DERIVATIVE = {
    "add": "d(a + b)/da = 1 and d(a + b)/db = 1",
    "sub": "d(a − b)/da = 1 and d(a − b)/db = −1",
    "mul": "d(ab)/da = b and d(ab)/db = a",
    "div": "d(a/b)/da = 1/b and d(a/b)/db = −a/b²",
    "pow": "d(aᵏ)/da = k·aᵏ⁻¹",
    "neg": "d(−a)/da = −1",
    "tanh": "d tanh(a)/da = 1 − tanh(a)², computed from the output t = tanh(a), not from a",
    "relu": "d relu(a)/da = 1 where a > 0 and 0 where a < 0",
    "exp": "d eᵃ/da = eᵃ",
    "log": "d log(a)/da = 1/a",
    "cadd": "d(c + a)/da = 1 (this needs __radd__)",
    "csub": "d(c − a)/da = −1 (this needs __rsub__)",
    "cmul": "d(c·a)/da = c (this needs __rmul__)",
    "cdiv": "d(c/a)/da = −c/a² (this needs __rtruediv__)",
}
DERIVATIVE_ZH = {
    "add": "d(a + b)/da = 1，d(a + b)/db = 1",
    "sub": "d(a − b)/da = 1，d(a − b)/db = −1",
    "mul": "d(ab)/da = b，d(ab)/db = a",
    "div": "d(a/b)/da = 1/b，d(a/b)/db = −a/b²",
    "pow": "d(aᵏ)/da = k·aᵏ⁻¹",
    "neg": "d(−a)/da = −1",
    "tanh": "d tanh(a)/da = 1 − tanh(a)²，要用输出 t = tanh(a) 来算，而不是用 a",
    "relu": "a > 0 时 d relu(a)/da = 1，a < 0 时为 0",
    "exp": "d eᵃ/da = eᵃ",
    "log": "d log(a)/da = 1/a",
    "cadd": "d(c + a)/da = 1（需要 __radd__）",
    "csub": "d(c − a)/da = −1（需要 __rsub__）",
    "cmul": "d(c·a)/da = c（需要 __rmul__）",
    "cdiv": "d(c/a)/da = −c/a²（需要 __rtruediv__）",
}


def _fail(en: str, zh: str) -> None:
    fail(
        {
            "en": en.replace("{", "{{").replace("}", "}}"),
            "zh": zh.replace("{", "{{").replace("}", "}}"),
        }
    )


def _torch_eval(program, inputs):
    """(value, grads) of the program by torch.autograd, in float64."""
    xs = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in inputs]
    nodes = list(xs)
    for op, *args in program:
        if op in BINARY:
            a, b = nodes[args[0]], nodes[args[1]]
            out = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div}[op](a, b)
        elif op in CONST:
            c, a = float(args[0]), nodes[args[1]]
            out = {"cadd": c + a, "csub": c - a, "cmul": c * a, "cdiv": c / a}[op]
        elif op == "pow":
            out = nodes[args[0]] ** int(args[1])
        elif op == "neg":
            out = -nodes[args[0]]
        else:
            out = getattr(torch, op)(nodes[args[0]])
        nodes.append(out)
    out = nodes[-1]
    grads = torch.autograd.grad(out, xs, allow_unused=True)
    return float(out), [0.0 if g is None else float(g) for g in grads]


def _run(ctx, program, inputs):
    """The learner's (value, grads) as a float and a float array, or a failure saying why not."""
    got = ctx.learner.evaluate(program, [float(v) for v in inputs])
    if not isinstance(got, tuple | list) or len(got) != 2:
        kind = got.type_name if isinstance(got, RemoteObject) else type(got).__name__
        _fail(
            f"evaluate must return a pair (value, grads); it returned a {kind}.",
            f"evaluate 必须返回二元组 (value, grads)；它返回的是 {kind}。",
        )
    value, grads = got
    if isinstance(value, RemoteObject) or isinstance(grads, RemoteObject):
        _fail(
            "evaluate returned Value objects: return out.data (a float) and [x.grad for x in xs] (floats).",
            "evaluate 返回了 Value 对象：请返回 out.data（浮点数）和 [x.grad for x in xs]（浮点数列表）。",
        )
    try:
        value = float(value)
        grads = np.asarray(grads, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        _fail(
            "evaluate must return a float and a list of floats.",
            "evaluate 必须返回一个浮点数和一个浮点数列表。",
        )
    if grads.shape != (len(inputs),):
        _fail(
            f"evaluate returned {grads.size} gradients for {len(inputs)} inputs.",
            f"evaluate 为 {len(inputs)} 个输入返回了 {grads.size} 个梯度。",
        )
    return value, grads


def _close(a, b) -> bool:
    return bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _no_flow(grads, want, where_en, where_zh):
    """All gradients 0 where some should not be: backward never reached the inputs."""
    if np.all(grads == 0.0) and np.any(np.abs(want) > 1e-9):
        _fail(
            f"{where_en}: every input's gradient is 0, so the gradient never flowed back from the output. Set the output's grad to 1.0 and call _backward on the nodes in REVERSED topological order (the output first): a node must pass its grad on only after it has received it.",
            f"{where_zh}：每个输入的梯度都是 0，梯度没有从输出传回来。请把输出的 grad 设为 1.0，并按拓扑序的逆序（从输出开始）调用各节点的 _backward：一个节点必须先收到梯度，才能把它传下去。",
        )


def _compare(ctx, program, inputs, where_en, where_zh):
    """Fail with the first difference between the learner's and torch's value or gradients."""
    value, grads = _run(ctx, program, inputs)
    want_value, want_grads = _torch_eval(program, inputs)
    if not math.isclose(value, want_value, rel_tol=1e-6, abs_tol=1e-9):
        _fail(
            f"{where_en}: the output is {value:.8g}, torch computes {want_value:.8g}. The forward pass of an operation is wrong. Program: {program}, inputs: {list(inputs)}.",
            f"{where_zh}：输出为 {value:.8g}，torch 算出的是 {want_value:.8g}。某个运算的前向计算有误。程序：{program}，输入：{list(inputs)}。",
        )
    if not _close(grads, want_grads):
        _no_flow(grads, np.asarray(want_grads), where_en, where_zh)
        i = int(np.argmax(~np.isclose(grads, want_grads, rtol=1e-6, atol=1e-9)))
        _fail(
            f"{where_en}: d out/d x{i} = {grads[i]:.8g}, torch.autograd gives {want_grads[i]:.8g}. Program: {program}, inputs: {list(inputs)}.",
            f"{where_zh}：d out/d x{i} = {grads[i]:.8g}，torch.autograd 给出 {want_grads[i]:.8g}。程序：{program}，输入：{list(inputs)}。",
        )
    return value, grads


@check(points=1, title={"en": "Value holds data and grad", "zh": "Value 保存 data 和 grad"})
def value_basics(ctx):
    x = float(ctx.rng.uniform(-2, 2))
    v = ctx.learner.Value(x)
    expect_close("Value(x).data", v.data, x)
    expect_close("Value(x).grad before backward()", v.grad, 0.0)
    e = v.exp()
    expect(
        isinstance(e, RemoteObject),
        {"en": "v.exp() must return a new Value.", "zh": "v.exp() 必须返回一个新的 Value。"},
    )
    e.backward()
    expect_close("out.grad after out.backward()", e.grad, 1.0)
    expect_close("v.grad after v.exp().backward()", v.grad, math.exp(x), rtol=1e-9)


def _operand(rng, op):
    if op == "log":
        return float(rng.uniform(0.3, 3.0))
    if op == "relu":
        return float(rng.choice([-1, 1]) * rng.uniform(0.2, 2.0))
    return float(rng.choice([-1, 1]) * rng.uniform(0.5, 2.0))


@check(points=3, title={"en": "Each operation and its derivative", "zh": "每个运算及其导数"})
def each_operation(ctx):
    rng = ctx.rng
    cases = []
    for op in BINARY:
        cases.append((op, [[op, 0, 1]], [_operand(rng, op), _operand(rng, op)]))
    for op in CONST:
        c = round(float(rng.uniform(0.5, 3.0)), 3)
        cases.append((op, [[op, c, 0]], [_operand(rng, op)]))
    k = int(rng.choice([2, 3, -1, -2]))
    cases.append(("pow", [["pow", 0, k]], [_operand(rng, "pow")]))
    for op in UNARY:
        cases.append((op, [[op, 0]], [_operand(rng, op)]))
    x = float(rng.uniform(0.2, 2.0))
    cases += [("relu", [["relu", 0]], [x]), ("relu", [["relu", 0]], [-x])]
    for op, program, inputs in cases:
        value, grads = _run(ctx, program, inputs)
        want_value, want_grads = _torch_eval(program, inputs)
        if not math.isclose(value, want_value, rel_tol=1e-6, abs_tol=1e-9):
            _fail(
                f"{op}: the value of {program[0]} on inputs {inputs} is {value:.8g}; expected {want_value:.8g}.",
                f"{op}：{program[0]} 在输入 {inputs} 上的值为 {value:.8g}；期望为 {want_value:.8g}。",
            )
        if _close(grads, want_grads):
            continue
        if op == "tanh" and math.isclose(grads[0], 1 - inputs[0] ** 2, rel_tol=1e-6):
            _fail(
                f"tanh: the gradient is 1 − a² = {grads[0]:.6g} with the INPUT a = {inputs[0]:.6g}; the derivative is 1 − t² with the output t = tanh(a), which gives {want_grads[0]:.6g}.",
                f"tanh：梯度用了输入 a = {inputs[0]:.6g}，得到 1 − a² = {grads[0]:.6g}；导数应是 1 − t²，t = tanh(a) 是输出，结果为 {want_grads[0]:.6g}。",
            )
        if op == "relu" and inputs[0] < 0:
            _fail(
                f"relu: at a = {inputs[0]:.6g} < 0 the output is the constant 0, so its gradient is 0; yours passes {grads[0]:.6g} back. Multiply out.grad by (a > 0).",
                f"relu：在 a = {inputs[0]:.6g} < 0 处输出恒为 0，梯度为 0；你的实现传回了 {grads[0]:.6g}。应当把 out.grad 乘以 (a > 0)。",
            )
        if op == "relu":
            _fail(
                f"relu: at a = {inputs[0]:.6g} > 0, relu(a) = a so the gradient passes through unchanged (1 · out.grad = 1); yours gives {grads[0]:.6g}.",
                f"relu：在 a = {inputs[0]:.6g} > 0 处 relu(a) = a，梯度原样通过（1 · out.grad = 1）；你的结果为 {grads[0]:.6g}。",
            )
        _no_flow(grads, np.asarray(want_grads), op, op)
        i = int(np.argmax(~np.isclose(grads, want_grads, rtol=1e-6, atol=1e-9)))
        _fail(
            f"{op}: on {program[0]} with inputs {inputs}, d out/d x{i} = {grads[i]:.8g} but should be {want_grads[i]:.8g}. Remember {DERIVATIVE[op]}.",
            f"{op}：对 {program[0]}，输入为 {inputs} 时，d out/d x{i} = {grads[i]:.8g}，应为 {want_grads[i]:.8g}。注意 {DERIVATIVE_ZH[op]}。",
        )


@check(points=1, title={"en": "A chain of functions", "zh": "函数链"})
def chain(ctx):
    x = float(ctx.rng.uniform(0.3, 1.0))
    program = [["tanh", 0], ["cmul", 2.0, 1], ["exp", 2], ["log", 3], ["pow", 4, 2]]
    _, grads = _run(ctx, program, [x])
    if grads[0] == 0.0:
        _fail(
            "On the chain x → tanh → ·2 → exp → log → ²  the input's gradient is 0: the gradients never reached it. Call _backward in REVERSED topological order (the output first), after setting the output's grad to 1.",
            "在 x → tanh → ·2 → exp → log → ² 这条链上，输入的梯度为 0：梯度没有传到它。要在把输出的 grad 设为 1 之后，按拓扑序的逆序（从输出开始）调用 _backward。",
        )
    _compare(
        ctx, program, [x], "chain x → tanh → ·2 → exp → log → ²", "链 x → tanh → ·2 → exp → log → ²"
    )


def _two_step_chain(ctx, x, y):
    """x·y then tanh: two nodes, nothing shared. Wrong here means order, not accumulation."""
    _compare(ctx, [["mul", 0, 1], ["tanh", 2]], [x, y], "tanh(x·y)", "tanh(x·y)")


def _reuse(ctx, x, y):
    for program, name in (
        ([["mul", 0, 0]], "x·x"),
        ([["add", 0, 0]], "x + x"),
        ([["mul", 0, 1], ["add", 2, 0]], "x·y + x"),
    ):
        _, grads = _run(ctx, program, [x, y])
        _, want = _torch_eval(program, [x, y])
        if not _close(grads, want):
            _fail(
                f"On {name} with x = {x:.6g}, y = {y:.6g} you get d/dx = {grads[0]:.6g} instead of {want[0]:.6g}: when a node feeds two places, both contributions must be ADDED to its grad (the multivariable chain rule). Use `self.grad += ...` in every _backward, never `=`.",
                f"在 {name} 上（x = {x:.6g}，y = {y:.6g}），你得到 d/dx = {grads[0]:.6g}，应为 {want[0]:.6g}：一个节点流向两处时，两处的贡献都要累加到它的 grad 上（多元链式法则）。每个 _backward 中都要写 `self.grad += ...`，不能用 `=`。",
            )


@check(points=2, title={"en": "A node used twice", "zh": "被使用两次的节点"})
def node_used_twice(ctx):
    x, y = (float(v) for v in ctx.rng.uniform(0.5, 2.0, size=2))
    _two_step_chain(ctx, x, y)
    _reuse(ctx, x, y)


@check(points=2, title={"en": "Two paths that meet (a diamond)", "zh": "两条路径汇合（菱形图）"})
def diamond(ctx):
    x = float(ctx.rng.uniform(0.3, 1.2))
    # the same operations without a diamond first, so that the message below is about order
    _compare(
        ctx,
        [["tanh", 0], ["exp", 1], ["cmul", 2.0, 2], ["pow", 3, 2]],
        [x],
        "(2·exp(tanh(x)))²",
        "(2·exp(tanh(x)))²",
    )
    _reuse(ctx, x, 0.5)
    # a = tanh(x); b = exp(a); c = a * b; out = (c + b)^2: a reaches out along two paths
    program = [["tanh", 0], ["exp", 1], ["mul", 1, 2], ["add", 3, 2], ["pow", 4, 2]]
    _, grads = _run(ctx, program, [x])
    _, want = _torch_eval(program, [x])
    if not _close(grads, want):
        _fail(
            f"Where paths split and meet again (a = tanh(x), b = exp(a), out = (a·b + b)²) d out/dx = {grads[0]:.6g} but should be {want[0]:.6g}, although the same operations on a chain and a node used twice are right. A node's _backward ran before every node that uses it had added to its grad (or ran twice). Sort all nodes topologically once (depth-first, append a node after its children), then call _backward exactly once per node in reversed order.",
            f"在路径分开又汇合的图上（a = tanh(x)，b = exp(a)，out = (a·b + b)²），d out/dx = {grads[0]:.6g}，应为 {want[0]:.6g}，尽管同样的运算在链上、在被使用两次的节点上都正确。某个节点的 _backward 在所有使用它的节点把梯度加到它的 grad 之前就运行了（或运行了两次）。先对所有节点做一次拓扑排序（深度优先，子节点之后再加入自己），再按逆序对每个节点恰好调用一次 _backward。",
        )


def _random_program(rng, n_inputs, n_steps):
    """A random expression graph whose values stay in every function's domain."""
    vals = [float(v) for v in rng.uniform(-1.5, 1.5, size=n_inputs)]
    program, used = [], [0] * n_inputs
    while len(program) < n_steps:
        k = len(vals)
        # favour recent nodes so graphs get deep, but allow reuse of any node
        i = max(0, k - int(rng.geometric(0.35))) if rng.random() < 0.7 else int(rng.integers(k))
        j = int(rng.integers(k))
        a, b = vals[i], vals[j]
        op = str(
            rng.choice(
                [
                    "add",
                    "sub",
                    "mul",
                    "div",
                    "pow",
                    "neg",
                    "tanh",
                    "relu",
                    "exp",
                    "log",
                    "cadd",
                    "csub",
                    "cmul",
                    "cdiv",
                ]
            )
        )
        c = round(float(rng.uniform(-2, 2)), 2) or 0.5
        if op == "add":
            step, v = [op, i, j], a + b
        elif op == "sub":
            step, v = [op, i, j], a - b
        elif op == "mul":
            step, v = [op, i, j], a * b
        elif op == "div":
            if abs(b) < 0.5:
                continue
            step, v = [op, i, j], a / b
        elif op == "pow":
            p = int(rng.choice([2, 3, -1]))
            if p < 0 and abs(a) < 0.5:
                continue
            step, v = [op, i, p], a**p
        elif op == "neg":
            step, v = [op, i], -a
        elif op == "tanh":
            step, v = [op, i], math.tanh(a)
        elif op == "relu":
            if abs(a) < 1e-3:
                continue
            step, v = [op, i], max(a, 0.0)
        elif op == "exp":
            if a > 2.5:
                continue
            step, v = [op, i], math.exp(a)
        elif op == "log":
            if a < 0.2:
                continue
            step, v = [op, i], math.log(a)
        elif op == "cdiv":
            if abs(a) < 0.5:
                continue
            step, v = [op, c, i], c / a
        else:
            step, v = [op, c, i], {"cadd": c + a, "csub": c - a, "cmul": c * a}[op]
        if not abs(v) < 50:
            continue
        program.append(step)
        vals.append(v)
        used.append(0)
        for operand in (i, j) if op in ("add", "sub", "mul", "div") else (i,):
            used[operand] += 1
    # 4) sum every node nobody used, so that the whole graph reaches the output
    dangling = [n for n in range(len(vals) - 1) if used[n] == 0]
    for n in dangling:
        program.append(["add", len(vals) - 1, n])
        vals.append(vals[-1] + vals[n])
    return program, vals[:n_inputs]


@check(
    points=3,
    title={
        "en": "Random expression graphs against torch.autograd",
        "zh": "随机表达式图与 torch.autograd 对比",
    },
)
def random_graphs(ctx):
    for g in range(6):
        n_inputs = int(ctx.rng.integers(2, 5))
        program, inputs = _random_program(ctx.rng, n_inputs, int(ctx.rng.integers(8, 25)))
        _compare(ctx, program, inputs, f"random graph {g + 1}", f"随机图 {g + 1}")
