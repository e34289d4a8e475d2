"""StepLR after a learner-specific number of steps: lr0 * gamma ** (step // step_size)."""


def generate(rng):
    lr0 = float(rng.choice([0.1, 0.05, 0.2, 0.01, 0.3]))
    gamma = float(rng.choice([0.1, 0.5, 0.3, 0.8, 0.9]))
    step_size = int(rng.integers(5, 31))
    decays = int(rng.integers(1, 5))
    # Sometimes exactly on a boundary, where an off-by-one answer differs.
    step = decays * step_size + (0 if rng.random() < 0.4 else int(rng.integers(1, step_size)))
    answer = lr0 * gamma**decays
    return {
        "params": {
            "lr0": lr0,
            "gamma": gamma,
            "step_size": step_size,
            "step": step,
            "decays": decays,
            "answer_text": f"{answer:.6g}",
        },
        "answer": answer,
    }
