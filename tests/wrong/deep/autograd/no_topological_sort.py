"""Recurses into the children without a topological order, so shared nodes propagate too early and twice."""

import math


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

    # --- binary operations --------------------------------------------------
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad  # d(a + b)/da = 1; += because a node may feed several others
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad  # d(ab)/da = b
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k):
        assert isinstance(k, int | float), "only constant exponents"
        out = Value(self.data**k, (self,), f"**{k}")

        def _backward():
            self.grad += k * self.data ** (k - 1) * out.grad

        out._backward = _backward
        return out

    def __neg__(self):
        return self * -1

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other**-1

    # Python numbers on the left: 2 * v, 1 - v, 1 / v
    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return (-self) + other

    def __rtruediv__(self, other):
        return self**-1 * other

    # --- functions ------------------------------------------------------------
    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1.0 - t * t) * out.grad  # tanh' = 1 - tanh^2, from the OUTPUT

        out._backward = _backward
        return out

    def relu(self):
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        e = math.exp(self.data)
        out = Value(e, (self,), "exp")

        def _backward():
            self.grad += e * out.grad  # (e^a)' = e^a

        out._backward = _backward
        return out

    def log(self):
        out = Value(math.log(self.data), (self,), "log")

        def _backward():
            self.grad += out.grad / self.data  # (log a)' = 1/a

        out._backward = _backward
        return out

    # --- reverse mode ---------------------------------------------------------
    def backward(self):
        # no topological order: recurse from the output
        self.grad = 1.0

        def go(v):
            v._backward()
            for child in v._prev:
                go(child)

        go(self)


def evaluate(program, inputs):
    """Run ``program`` on Values made from ``inputs``; return (output value, [d out / d input]).

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
