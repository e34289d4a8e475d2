"""Compute of a Chinchilla-optimal run: D = 20 N tokens, C = 6 N D = 120 N^2 FLOPs."""


def _sci(x):
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{float(mantissa):g} \\times 10^{{{int(exponent)}}}"


def generate(rng):
    N = float(rng.choice([0.4, 1.3, 2.7, 6.7, 13.0, 34.0, 70.0])) * 1e9
    D = 20 * N
    C = 6 * N * D
    return {
        "params": {"N": _sci(N), "D": _sci(D), "C": _sci(C), "answer": f"{C / 1e21:.4g}"},
        "answer": C / 1e21,
    }
