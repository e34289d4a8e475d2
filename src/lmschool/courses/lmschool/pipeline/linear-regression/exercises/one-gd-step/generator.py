"""One gradient-descent step on three points: the learner computes the new w."""


def _draw(rng):
    xs = [int(v) for v in rng.integers(-3, 4, size=3)]
    ys = [int(v) for v in rng.integers(-5, 6, size=3)]
    w0 = int(rng.integers(-2, 3))
    b0 = int(rng.integers(-2, 3))
    lr = float(rng.choice([0.01, 0.05, 0.1]))
    return xs, ys, w0, b0, lr


def generate(rng):
    while True:
        xs, ys, w0, b0, lr = _draw(rng)
        residuals = [w0 * x + b0 - y for x, y in zip(xs, ys, strict=True)]
        grad_w = 2.0 / 3.0 * sum(r * x for r, x in zip(residuals, xs, strict=True))
        answer = w0 - lr * grad_w
        # A zero gradient would make "w does not change" right by accident.
        if abs(grad_w) > 1e-9 and abs(answer + 1.0) > 1e-6:
            break
    return {
        "params": {
            "points": ", ".join(f"({x}, {y})" for x, y in zip(xs, ys, strict=True)),
            "w0": w0,
            "b0": b0,
            "lr": lr,
            "residuals": ", ".join(str(r) for r in residuals),
            "grad": round(grad_w, 6),
            "answer": round(answer, 6),
        },
        "answer": answer,
    }
