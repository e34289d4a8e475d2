"""dL/dw for L = (tanh(wx + b) - t)^2, with per-learner numbers."""

import math


def generate(rng):
    w = round(float(rng.uniform(-1.5, 1.5)), 1) or 0.5
    x = round(float(rng.uniform(-2.0, 2.0)), 1) or 1.0
    b = round(float(rng.uniform(-1.0, 1.0)), 1)
    t = float(rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0]))
    z = w * x + b
    a = math.tanh(z)
    dL_da, da_dz = 2 * (a - t), 1 - a * a
    answer = dL_da * da_dz * x
    return {
        "params": {
            "w": w,
            "x": x,
            "b": b,
            "t": t,
            "z": round(z, 4),
            "a": round(a, 6),
            "dL_da": round(dL_da, 6),
            "da_dz": round(da_dz, 6),
            "answer": round(answer, 6),
        },
        "answer": answer,
    }
