"""lmschool.ml.text.NGramLM: normalised, padded, smoothed n-gram language models.

Add-k and interpolated Kneser-Ney are checked against formulas written out independently
here (plain loops over the counts), in every context: seen, unseen, and at the start.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from lmschool.ml import NGramLM, NotFittedError

TEXT = "the cat sat on the mat. the dog sat on the log. a cat and a dog met.\n" * 2
PAD = None  # the start symbol in the independent formulas below


def _padded(seq, n):
    return [PAD] * (n - 1) + list(seq)


def kn_reference(train, order, d, vocab, context, w):
    """Interpolated Kneser-Ney from its definition, with explicit loops."""
    seq = _padded(train, order)
    positions = range(order - 1, len(seq))
    grams = {
        m: Counter(tuple(seq[i - m + 1 : i + 1]) for i in positions) for m in range(1, order + 2)
    }

    def counts(m):  # A_m: raw at the top order, continuation counts below
        if m == order:
            return grams[m]
        return Counter(g[1:] for g in grams[m + 1])

    h_full = tuple(_padded(context, order)[len(_padded(context, order)) - (order - 1) :])
    p = 1 / len(vocab)
    for m in range(1, order + 1):
        A = counts(m)
        h = h_full[len(h_full) - (m - 1) :] if m > 1 else ()
        total = sum(c for g, c in A.items() if g[:-1] == h)
        types = sum(1 for g in A if g[:-1] == h)
        if total:
            p = max(A[(*h, w)] - d, 0) / total + d * types / total * p
    return p


@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize("smoothing", ["add-k", "kneser-ney"])
@pytest.mark.parametrize("context", ["", "t", "the c", "xqz", "zebra "])
def test_next_symbol_probabilities_sum_to_one(order, smoothing, context) -> None:
    vocab = sorted(set(TEXT) | set("xqzbr"))  # some symbols never seen in training
    model = NGramLM(order, smoothing=smoothing, k=0.3, vocabulary=vocab).fit(TEXT)
    p = np.exp(model.next_log_probs(context))
    assert p.shape == (len(vocab),)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)
    assert (p > 0).all()  # every symbol keeps some mass, even never-seen ones


@pytest.mark.parametrize("order", [1, 2, 3])
def test_add_k_is_the_formula(order) -> None:
    k, vocab = 0.5, sorted(set(TEXT) | {"q"})
    model = NGramLM(order, smoothing="add-k", k=k, vocabulary=vocab).fit(TEXT)
    seq = _padded(TEXT, order)
    grams = Counter(tuple(seq[i - order + 1 : i + 1]) for i in range(order - 1, len(seq)))
    for context in ["", "th", "the ", "q"]:
        h = tuple(_padded(context, order)[len(_padded(context, order)) - (order - 1) :])
        total = sum(c for g, c in grams.items() if g[:-1] == h)
        want = [(grams[(*h, w)] + k) / (total + k * len(vocab)) for w in vocab]
        np.testing.assert_allclose(np.exp(model.next_log_probs(context)), want, rtol=1e-12)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_kneser_ney_is_the_formula(order) -> None:
    vocab = sorted(set(TEXT) | set("zbr"))
    model = NGramLM(order, discount=0.6, vocabulary=vocab).fit(TEXT)
    for context in ["", "t", "the ", "a d", "zz"]:
        want = [kn_reference(TEXT, order, 0.6, vocab, context, w) for w in vocab]
        np.testing.assert_allclose(np.exp(model.next_log_probs(context)), want, rtol=1e-12)
    # scoring one symbol at a time uses the same numbers
    lp = model.log_probs("the zebra")
    want = [
        math.log(kn_reference(TEXT, order, 0.6, vocab, "the zebra"[:i], c))
        for i, c in enumerate("the zebra")
    ]
    np.testing.assert_allclose(lp, want, rtol=1e-12)


def test_the_start_is_padded() -> None:
    """The first symbol is predicted from a context of start symbols, and counted once."""
    model = NGramLM(2, smoothing="add-k", k=1.0).fit("abab")
    p = dict(zip(model.vocabulary_, np.exp(model.next_log_probs("")), strict=True))
    assert p == pytest.approx({"a": 2 / 3, "b": 1 / 3})  # (1 + 1) / (1 + 2): one start, an 'a'
    assert len(model.log_probs("ba")) == 2


def test_cross_entropy_bits_and_perplexity_agree() -> None:
    model = NGramLM(3).fit(TEXT)
    held_out = "the cat met a log."
    lp = model.log_probs(held_out)
    assert model.log_prob(held_out) == pytest.approx(lp.sum())
    nats = model.cross_entropy(held_out)
    assert nats == pytest.approx(-lp.mean())
    assert model.bits_per_symbol(held_out) == pytest.approx(nats / math.log(2))
    assert model.perplexity(held_out) == pytest.approx(2 ** model.bits_per_symbol(held_out))


def test_training_loss_falls_with_order_while_held_out_loss_does_not() -> None:
    rng = np.random.default_rng(0)
    words = ["".join(rng.choice(list("abcdefgh"), size=4)) for _ in range(40)]
    train = " ".join(rng.choice(words, size=600))
    valid = " ".join(rng.choice(words, size=100))
    train_bits = [
        NGramLM(n, smoothing="add-k", k=0.01).fit(train).bits_per_symbol(train) for n in (1, 3, 8)
    ]
    valid_bits = [
        NGramLM(n, smoothing="add-k", k=0.01).fit(train).bits_per_symbol(valid) for n in (1, 3, 8)
    ]
    assert train_bits[0] > train_bits[1] > train_bits[2]
    assert valid_bits[2] > valid_bits[1]


def test_token_sequences_work_like_text() -> None:
    ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5] * 3
    model = NGramLM(3, vocabulary=range(10)).fit(ids)
    assert model.vocabulary_ == list(range(10))
    assert np.exp(model.next_log_probs([1, 5])).sum() == pytest.approx(1.0)
    out = model.sample(20, seed=1, prompt=[3, 1])
    assert isinstance(out, list) and len(out) == 20 and set(out) <= set(range(10))


def test_sampling_is_seeded_and_stays_in_the_vocabulary() -> None:
    model = NGramLM(4).fit(TEXT)
    a, b = model.sample(50, seed=7), model.sample(50, seed=7)
    assert isinstance(a, str) and len(a) == 50 and a == b
    assert set(a) <= set(TEXT)
    assert model.sample(50, seed=8) != a


def test_errors_say_what_to_do() -> None:
    with pytest.raises(NotFittedError, match="call fit first"):
        NGramLM().next_log_probs("a")
    with pytest.raises(ValueError, match="vocabulary"):
        NGramLM(2).fit("abc").log_probs("abd")
    with pytest.raises(ValueError, match="lacks"):
        NGramLM(2, vocabulary="ab").fit("abc")
    with pytest.raises(ValueError, match="order"):
        NGramLM(0).fit("abc")
    with pytest.raises(ValueError, match="smoothing"):
        NGramLM(2, smoothing="laplace").fit("abc")
    with pytest.raises(ValueError, match="k must be"):
        NGramLM(2, smoothing="add-k", k=0).fit("abc")
    with pytest.raises(ValueError, match="empty"):
        NGramLM(2).fit("")
    assert repr(NGramLM(5, smoothing="add-k")) == "NGramLM(order=5, smoothing='add-k')"
