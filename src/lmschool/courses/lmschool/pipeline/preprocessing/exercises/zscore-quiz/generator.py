"""A training mean and standard deviation and a new value; the answer is its z-score.

z is kept away from -1, where the checker's automatic wrong answer (2z + 1) would coincide.
"""


def generate(rng):
    while True:
        mu = int(rng.integers(110, 141))
        sigma = int(rng.integers(8, 21))
        x = int(rng.integers(85, 186))
        z = (x - mu) / sigma
        if abs(z + 1) > 0.05 and x != mu:
            break
    return {"params": {"mu": mu, "sigma": sigma, "x": x, "z": f"{z:.3f}"}, "answer": z}
