"""Parameters of a GPT in lmschool's layout: the closed formula of lmschool.ml.nn.gpt.param_count."""


def generate(rng):
    V = int(rng.choice([65, 96, 256, 512, 1000, 5000]))
    T = int(rng.choice([32, 64, 128, 256, 512]))
    L = int(rng.integers(2, 9))
    H = int(rng.choice([2, 4, 8]))
    C = H * int(rng.choice([8, 16, 32]))
    bias = bool(rng.integers(0, 2))
    tie = bool(rng.integers(0, 2))
    per_block_w = 12 * C * C  # attention 4 C^2 + MLP 8 C^2
    vectors = 13 * C if bias else 2 * C  # biases and LayerNorm gains, or the gains only
    per_block = per_block_w + vectors
    emb = V * C + T * C  # token and position embeddings
    lnf = 2 * C if bias else C
    head = 0 if tie else V * C + (V if bias else 0)
    answer = emb + L * per_block + lnf + head
    return {
        "params": {
            "V": V,
            "T": T,
            "L": L,
            "C": C,
            "H": H,
            "bias": bias,
            "tie": tie,
            "per_block_w": per_block_w,
            "vectors": vectors,
            "per_block": per_block,
            "blocks": L * per_block,
            "emb": emb,
            "lnf": lnf,
            "head": head,
            "answer": answer,
        },
        "answer": answer,
    }
