"""The key-value cache of lmschool.ml.nn.gpt and the sampling filters of lmschool.ml.nn.sampling.

Cached and uncached generation must see the same context and give the same logits (up to
float32 rounding), hence the same greedy tokens and the same seeded samples, also past
block_size; the filters must match the rules written in their docstrings, computed here
the slow, obvious way.
"""

from __future__ import annotations

import itertools

import pytest
import torch
from torch.nn import functional as F

from lmschool.ml.nn.gpt import GPT, GPTConfig, KVCache
from lmschool.ml.nn.sampling import sample_next, top_k_filter, top_p_filter


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """Tiny models: threads only add overhead (and contention on a shared machine)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


CONFIGS = [
    dict(n_layer=2, n_head=2, n_embd=16, block_size=24, bias=True, tie_weights=True),
    dict(n_layer=3, n_head=4, n_embd=32, block_size=32, bias=False, tie_weights=True),
    dict(n_layer=1, n_head=1, n_embd=8, block_size=12, bias=True, tie_weights=False),
]


def _model(seed: int = 0, **config: object) -> GPT:
    torch.manual_seed(seed)
    return GPT(vocab_size=23, **config).eval()


@pytest.mark.parametrize("config", CONFIGS)
def test_cached_logits_equal_the_uncached_ones(config) -> None:  # noqa: ANN001
    model = _model(**config)
    T = config["block_size"]
    ids = torch.randint(23, (3, T))
    with torch.no_grad():
        full, _ = model(ids)
        cache = KVCache(model.config, batch_size=3)
        parts, at = [], 0
        for n in (5, 1, 1, 4, T - 11):  # a prompt, single tokens, a chunk, the rest
            parts.append(model(ids[:, at : at + n], cache=cache)[0])
            at += n
            assert cache.length == at
    torch.testing.assert_close(torch.cat(parts, dim=1), full, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("prompt_len", [1, 7, 40])  # 40 > every block_size: the window slides
def test_greedy_generation_is_the_same_with_and_without_the_cache(config, prompt_len) -> None:  # noqa: ANN001
    model = _model(seed=prompt_len, **config)
    prompt = torch.randint(23, (prompt_len,))
    cached = model.generate(prompt, 30, temperature=0, use_cache=True)
    plain = model.generate(prompt, 30, temperature=0, use_cache=False)
    assert torch.equal(cached, plain)
    assert len(cached) == prompt_len + 30 and torch.equal(cached[:prompt_len], prompt)


@pytest.mark.parametrize(
    "kw", [dict(temperature=1.0), dict(temperature=0.7, top_k=5), dict(top_p=0.8)]
)
def test_seeded_sampling_is_the_same_with_and_without_the_cache(kw) -> None:  # noqa: ANN001
    model = _model(**CONFIGS[0])
    prompt = [1, 2, 3]
    runs = [
        model.generate(prompt, 40, generator=torch.Generator().manual_seed(3), use_cache=c, **kw)
        for c in (True, False)
    ]
    assert torch.equal(runs[0], runs[1])
    again = model.generate(prompt, 40, generator=torch.Generator().manual_seed(3), **kw)
    assert torch.equal(again, runs[0])


def test_generate_restores_training_mode_and_checks_its_input() -> None:
    model = _model(**CONFIGS[0]).train()
    model.generate([1], 3)
    assert model.training
    with pytest.raises(ValueError, match="at least one token"):
        model.generate([], 3)


def test_cache_buffers_length_and_refusals() -> None:
    config = GPTConfig(vocab_size=23, n_layer=2, n_head=2, n_embd=16, block_size=10)
    model = GPT(config).eval()
    cache = KVCache(config, batch_size=2)
    assert cache.k.shape == (2, 2, 2, 10, 8) and cache.length == 0
    assert cache.nbytes == 2 * 2 * 2 * 10 * 16 * 4  # keys and values, L x B x T_max x C float32
    with torch.no_grad():
        model(torch.randint(23, (2, 6)), cache=cache)
        with pytest.raises(ValueError, match="exceeds block_size"):
            model(torch.randint(23, (2, 5)), cache=cache)
        with pytest.raises(ValueError, match="sequences"):
            model(torch.randint(23, (1, 1)), cache=cache)
    assert cache.length == 6


def test_constrained_generation_only_emits_allowed_tokens() -> None:
    model = _model(**CONFIGS[1])
    even = list(range(0, 23, 2))
    out = model.generate(
        [1], 50, allowed=lambda ids: even, generator=torch.Generator().manual_seed(0)
    )
    assert all(int(t) % 2 == 0 for t in out[1:])
    mask = torch.zeros(23, dtype=torch.bool)
    mask[5] = True
    assert model.generate([1], 4, temperature=0, allowed=lambda ids: mask)[1:].tolist() == [5] * 4


# ---------------------------------------------------------------- the filters, the slow way


def _top_k_slow(row: list[float], k: int) -> list[bool]:
    kth = sorted(row, reverse=True)[min(k, len(row)) - 1]
    return [v >= kth for v in row]


def _top_p_slow(row: list[float], p: float) -> list[bool]:
    """Keep token i when the tokens strictly more likely than i hold less than p."""
    probs = F.softmax(torch.tensor(row, dtype=torch.float64), dim=0).tolist()
    return [sum(q for q in probs if q > pi) < p or p >= 1.0 for pi in probs]


def _kept(filtered: torch.Tensor) -> list[list[bool]]:
    return torch.isfinite(filtered).tolist()


def test_top_k_keeps_ties_and_works_row_by_row() -> None:
    logits = torch.tensor([[3.0, 1.0, 2.0, 2.0, 0.0], [0.0, 5.0, 5.0, 5.0, 1.0]])
    for k in (1, 2, 3, 5, 9):
        got = top_k_filter(logits, k)
        assert _kept(got) == [_top_k_slow(row, k) for row in logits.tolist()]
        kept = torch.isfinite(got)
        assert torch.equal(got[kept], logits[kept])  # kept logits are unchanged
    with pytest.raises(ValueError):
        top_k_filter(logits, 0)


def test_top_p_matches_its_definition_on_random_rows() -> None:
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(50, 12, generator=g) * 2
    logits[:, 3] = logits[:, 4]  # ties in every row
    for p in (1e-6, 0.3, 0.5, 0.77, 0.9, 0.999, 1.0):
        want = [_top_p_slow(row, p) for row in logits.tolist()]
        got = _kept(top_p_filter(logits, p))
        # rows whose decision sits within rounding of p are not informative
        probs = F.softmax(logits.double(), -1)
        for i, (a, b) in enumerate(zip(got, want, strict=True)):
            before = [(probs[i] * (probs[i] > probs[i, j])).sum() for j in range(12)]
            if all(abs(float(m) - p) > 1e-6 for m in before):
                assert a == b, (p, i)


def test_top_p_edges() -> None:
    logits = torch.tensor([[4.0, 1.0, 1.0, 0.5], [-40.0, 0.0, 0.2, 0.1]])
    assert _kept(top_p_filter(logits, 0.5))[0] == [True, False, False, False]  # the top > p alone
    assert _kept(top_p_filter(logits, 1.0)) == [[True] * 4] * 2  # even a 1e-18 token
    probs = F.softmax(logits[0], 0)
    p = float(probs[0] + 0.5 * probs[1])  # reached halfway through a tie: both kept
    assert _kept(top_p_filter(logits, p))[0] == [True, True, True, False]
    already = torch.tensor([[2.0, float("-inf"), 1.0, float("-inf")]])
    assert _kept(top_p_filter(already, 0.99)) == [[True, False, True, False]]
    for bad in (0.0, -0.1, 1.01):
        with pytest.raises(ValueError):
            top_p_filter(logits, bad)


def test_sample_next_renormalises_over_the_kept_tokens() -> None:
    logits = torch.tensor([2.0, 1.5, 0.0, -1.0, -3.0])
    draws = torch.tensor(
        [
            sample_next(logits, top_k=2, generator=torch.Generator().manual_seed(s))
            for s in range(4000)
        ]
    )
    assert set(draws.tolist()) <= {0, 1}
    want = F.softmax(logits[:2], 0)[0].item()  # P(token 0 | kept {0, 1})
    assert abs((draws == 0).float().mean().item() - want) < 0.03
    assert sample_next(logits, temperature=0) == 0
    assert sample_next(logits, temperature=0, allowed=[2, 4]) == 2
    with pytest.raises(ValueError):
        sample_next(logits, allowed=torch.zeros(5, dtype=torch.bool))
    with pytest.raises(ValueError):
        sample_next(logits, temperature=-1)


def test_temperature_sharpens_and_flattens() -> None:
    logits = torch.tensor([2.0, 1.0, 0.5, 0.0])

    def entropy(t: float) -> float:
        p = F.softmax(logits / t, 0)
        return float(-(p * p.log()).sum())

    values = [entropy(t) for t in (0.1, 0.5, 1.0, 2.0, 50.0)]
    assert all(a < b for a, b in itertools.pairwise(values))
    assert values[-1] == pytest.approx(torch.log(torch.tensor(4.0)).item(), abs=1e-2)
