import math  # noqa: F401  (you will want math.tanh, math.exp and math.log)


class Value:
    """A scalar that remembers how it was computed, so that backward() can apply the chain rule."""

    def __init__(self, data, _children=(), _op=""):
        self.data = float(data)
        self.grad = 0.0  # d(output)/d(self), filled in by backward()
        self._backward = lambda: None  # pushes self.grad to the children's grads
        self._prev = tuple(_children)
        self._op = _op

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    # TODO: the operations. Each one computes out = Value(result, (children...), "op"),
    # and sets out._backward to a function that adds (+=) the local derivative times
    # out.grad to each child's grad. Python numbers must work on both sides (2 * v, 1 - v).
    def __add__(self, other):
        raise NotImplementedError("Value.__add__: write your code here")

    def __mul__(self, other):
        raise NotImplementedError("Value.__mul__: write your code here")

    def __pow__(self, k):
        raise NotImplementedError("Value.__pow__: write your code here")

    def __neg__(self):
        raise NotImplementedError("Value.__neg__: write your code here")

    def __sub__(self, other):
        raise NotImplementedError("Value.__sub__: write your code here")

    def __truediv__(self, other):
        raise NotImplementedError("Value.__truediv__: write your code here")

    def __radd__(self, other):
        raise NotImplementedError("Value.__radd__: write your code here")

    def __rmul__(self, other):
        raise NotImplementedError("Value.__rmul__: write your code here")

    def __rsub__(self, other):
        raise NotImplementedError("Value.__rsub__: write your code here")

    def __rtruediv__(self, other):
        raise NotImplementedError("Value.__rtruediv__: write your code here")

    def tanh(self):
        raise NotImplementedError("Value.tanh: write your code here")

    def relu(self):
        raise NotImplementedError("Value.relu: write your code here")

    def exp(self):
        raise NotImplementedError("Value.exp: write your code here")

    def log(self):
        raise NotImplementedError("Value.log: write your code here")

    def backward(self):
        # TODO: 1) order the graph topologically, 2) seed self.grad = 1.0,
        # 3) call each node's _backward from the output back to the inputs.
        raise NotImplementedError("Value.backward: write your code here")


def evaluate(program, inputs):
    """Run ``program`` on Values made from ``inputs``; return (output value, [d out / d input]).

    Given: you need not change it. The checks call it, and it runs your Value.

    (In the starter this function is given: the checks call it, and it calls your Value.)

    Nodes are numbered: the inputs first (0 .. len(inputs) - 1), then one new node per
    step of the program, in order. Each step is a list: ["add", i, j] is node i + node j;
    likewise "sub", "mul", "div"; ["pow", i, k] is node i ** k (k an int); ["neg", i];
    ["tanh", i], ["relu", i], ["exp", i], ["log", i]; and, with a Python number c on
    the left, ["cadd", c, i] is c + node i, likewise "csub", "cmul", "cdiv". The
    output is the last node.
    """
    xs = [Value(float(v)) for v in inputs]
    nodes = list(xs)
    for op, *args in program:
        if op in ("add", "sub", "mul", "div"):
            a, b = nodes[args[0]], nodes[args[1]]
            if op == "add":
                out = a + b
            elif op == "sub":
                out = a - b
            elif op == "mul":
                out = a * b
            else:
                out = a / b
        elif op in ("cadd", "csub", "cmul", "cdiv"):
            c, a = float(args[0]), nodes[args[1]]
            if op == "cadd":
                out = c + a
            elif op == "csub":
                out = c - a
            elif op == "cmul":
                out = c * a
            else:
                out = c / a
        elif op == "pow":
            out = nodes[args[0]] ** int(args[1])
        elif op == "neg":
            out = -nodes[args[0]]
        elif op in ("tanh", "relu", "exp", "log"):
            out = getattr(nodes[args[0]], op)()
        else:
            raise ValueError(f"unknown operation {op!r}")
        nodes.append(out)
    out = nodes[-1]
    out.backward()
    return out.data, [x.grad for x in xs]
