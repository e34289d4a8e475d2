"""df/dx for f = x*y + x^2: two paths from x to f."""


def generate(rng):
    x = int(rng.integers(-9, 10)) or 3
    y = int(rng.integers(-9, 10)) or -2
    return {
        "params": {"x": x, "y": y, "two_x": 2 * x, "answer": y + 2 * x},
        "answer": float(y + 2 * x),
    }
