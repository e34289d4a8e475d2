"""Days of training: 6 N D / (sustained FLOP/s) / 86,400."""


def _sci(x):
    mantissa, exponent = f"{x:.3e}".split("e")
    return f"{float(mantissa):g} \\times 10^{{{int(exponent)}}}"


def generate(rng):
    N = float(rng.choice([1.3, 2.7, 6.7, 13.0, 30.0, 70.0])) * 1e9
    D = float(rng.choice([0.3, 1.0, 1.4, 2.0])) * 1e12
    R = float(rng.choice([2.0, 5.0, 8.0, 12.0])) * 1e16
    C = 6 * N * D
    seconds = C / R
    days = seconds / 86400.0
    return {
        "params": {
            "N": _sci(N),
            "D": _sci(D),
            "R": _sci(R),
            "C": _sci(C),
            "seconds": f"{seconds:.3g}",
            "answer": f"{days:.3g}",
        },
        "answer": days,
    }
