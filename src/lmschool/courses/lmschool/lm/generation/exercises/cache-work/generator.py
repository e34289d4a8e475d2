"""Token positions processed without a cache: sum of P + j for j < N."""


def generate(rng):
    P = int(rng.integers(5, 200))
    N = int(rng.integers(20, 300))
    answer = N * P + N * (N - 1) // 2
    cached = P + N - 1
    params = {"P": P, "N": N, "answer": answer, "cached": cached, "ratio": f"{answer / cached:.1f}"}
    return {"params": params, "answer": answer}
