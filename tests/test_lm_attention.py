"""lmschool.ml.nn.attention against torch: SDPA, nn.MultiheadAttention, positions, RoPE."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch")

from torch.nn import functional as F  # noqa: E402

from lmschool.ml.nn.attention import (  # noqa: E402
    MultiHeadAttention,
    apply_rotary,
    attention_weights,
    causal_mask,
    scaled_dot_product_attention,
    sinusoidal_positions,
)


def _qkv(B=2, H=3, Tq=5, Tk=7, d_k=4, d_v=6, seed=0):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(B, H, Tq, d_k, generator=g, dtype=torch.float64)
    k = torch.randn(B, H, Tk, d_k, generator=g, dtype=torch.float64)
    v = torch.randn(B, H, Tk, d_v, generator=g, dtype=torch.float64)
    return q, k, v


def test_matches_torch_sdpa_without_mask_and_non_square() -> None:
    q, k, v = _qkv()
    want = F.scaled_dot_product_attention(q, k, v)
    torch.testing.assert_close(scaled_dot_product_attention(q, k, v), want)


def test_causal_mask_matches_is_causal() -> None:
    q, k, v = _qkv(Tq=6, Tk=6)
    mask = causal_mask(6)
    assert mask.dtype == torch.bool and mask[0, 1].item() is False and mask[1, 0].item() is True
    want = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(scaled_dot_product_attention(q, k, v, mask), want)


def test_causal_mask_with_a_cached_prefix_lets_the_last_query_see_everything() -> None:
    mask = causal_mask(2, 5)
    assert mask.tolist() == [[True, True, True, True, False], [True] * 5]


def test_padding_mask_broadcasts_and_matches_sdpa() -> None:
    q, k, v = _qkv()
    keep = torch.ones(2, 7, dtype=torch.bool)
    keep[0, 5:] = False  # the first sequence has two padding tokens
    mask = keep[:, None, None, :]  # (B, 1, 1, Tk)
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    got = scaled_dot_product_attention(q, k, v, mask)
    torch.testing.assert_close(got, want)
    w = attention_weights(q, k, mask)
    assert torch.all(w[0, :, :, 5:] == 0)
    torch.testing.assert_close(w.sum(-1), torch.ones(2, 3, 5, dtype=torch.float64))


def test_fully_masked_row_gives_zeros_and_finite_gradients_like_sdpa() -> None:
    q, k, v = _qkv(B=1, H=1, Tq=3, Tk=4)
    q.requires_grad_(True)
    mask = torch.ones(3, 4, dtype=torch.bool)
    mask[1] = False
    out = scaled_dot_product_attention(q, k, v, mask)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, attn_mask=mask))
    assert torch.all(out[0, 0, 1] == 0)
    out.sum().backward()
    assert torch.isfinite(q.grad).all() and torch.all(q.grad[0, 0, 1] == 0)


def test_large_logits_stay_finite() -> None:
    q, k, v = _qkv()
    got = scaled_dot_product_attention(q * 1e3, k * 1e3, v)
    assert torch.isfinite(got).all()
    torch.testing.assert_close(got, F.scaled_dot_product_attention(q * 1e3, k * 1e3, v))


def test_gradients_match_torch() -> None:
    q, k, v = (t.requires_grad_(True) for t in _qkv(seed=3))
    mask = causal_mask(5, 7)
    g = torch.randn(2, 3, 5, 6, dtype=torch.float64)
    ours = torch.autograd.grad((scaled_dot_product_attention(q, k, v, mask) * g).sum(), (q, k, v))
    ref = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    theirs = torch.autograd.grad((ref * g).sum(), (q, k, v))
    for a, b in zip(ours, theirs, strict=True):
        torch.testing.assert_close(a, b)


def _copy_from_torch(ours: MultiHeadAttention, mha: torch.nn.MultiheadAttention) -> None:
    E = mha.embed_dim
    with torch.no_grad():
        for i, proj in enumerate((ours.q_proj, ours.k_proj, ours.v_proj)):
            proj.weight.copy_(mha.in_proj_weight[i * E : (i + 1) * E])
            proj.bias.copy_(mha.in_proj_bias[i * E : (i + 1) * E])
        ours.out_proj.weight.copy_(mha.out_proj.weight)
        ours.out_proj.bias.copy_(mha.out_proj.bias)


@pytest.mark.parametrize("heads", [1, 2, 4])
def test_multi_head_attention_matches_nn_multiheadattention(heads: int) -> None:
    torch.manual_seed(heads)
    E = 8
    mha = torch.nn.MultiheadAttention(E, heads, batch_first=True).double()
    with torch.no_grad():
        mha.in_proj_bias.normal_()  # torch starts biases at 0: make them matter
        mha.out_proj.bias.normal_()
    ours = MultiHeadAttention(E, heads).double()
    _copy_from_torch(ours, mha)
    x = torch.randn(3, 5, E, dtype=torch.float64)
    mem = torch.randn(3, 7, E, dtype=torch.float64)
    # self-attention
    torch.testing.assert_close(ours(x), mha(x, x, x, need_weights=False)[0])
    # cross-attention with padding: torch's True means "ignore"; ours means "attend"
    pad = torch.zeros(3, 7, dtype=torch.bool)
    pad[1, 4:] = True
    want = mha(x, mem, mem, key_padding_mask=pad, need_weights=False)[0]
    torch.testing.assert_close(ours(x, mem, mem, mask=~pad[:, None, None, :]), want)
    # causal: torch's boolean attn_mask is True above the diagonal
    upper = torch.ones(5, 5, dtype=torch.bool).triu(1)
    want = mha(x, x, x, attn_mask=upper, need_weights=False)[0]
    torch.testing.assert_close(ours(x, mask=causal_mask(5)), want)


def test_self_attention_without_positions_is_permutation_equivariant() -> None:
    torch.manual_seed(0)
    attn = MultiHeadAttention(8, 2).double()
    x = torch.randn(1, 6, 8, dtype=torch.float64)
    perm = torch.randperm(6)
    torch.testing.assert_close(attn(x[:, perm]), attn(x)[:, perm])


def test_sinusoidal_positions_follow_the_formula() -> None:
    pe = sinusoidal_positions(50, 16)
    assert pe.shape == (50, 16)
    p, i = 7, 3
    angle = p / 10000 ** (2 * i / 16)
    assert math.isclose(pe[p, 2 * i].item(), math.sin(angle), rel_tol=1e-5)
    assert math.isclose(pe[p, 2 * i + 1].item(), math.cos(angle), rel_tol=1e-5)
    # the dot product of two encodings depends only on their offset
    assert math.isclose(pe[3] @ pe[10], pe[20] @ pe[27], rel_tol=1e-4)
    with pytest.raises(ValueError, match="even"):
        sinusoidal_positions(4, 5)


def test_rotary_keeps_norms_and_sees_only_relative_positions() -> None:
    g = torch.Generator().manual_seed(0)
    d = 8
    q = torch.randn(1, d, generator=g, dtype=torch.float64)
    k = torch.randn(1, d, generator=g, dtype=torch.float64)
    torch.testing.assert_close(apply_rotary(q, torch.tensor([0])), q)  # position 0: identity

    def score(m: int, n: int) -> float:
        return float(apply_rotary(q, torch.tensor([m]))[0] @ apply_rotary(k, torch.tensor([n]))[0])

    assert math.isclose(score(3, 1), score(12, 10), rel_tol=1e-9)
    assert not math.isclose(score(3, 1), score(1, 3), rel_tol=1e-3)
    x = torch.randn(2, 3, 10, d, generator=g, dtype=torch.float64)
    torch.testing.assert_close(apply_rotary(x).norm(dim=-1), x.norm(dim=-1))


def test_rotary_rotates_adjacent_pairs_by_position_times_frequency() -> None:
    x = torch.zeros(3, 4, dtype=torch.float64)
    x[:, 0] = 1.0  # the unit vector of the first pair, at positions 0, 1, 2
    x[:, 2] = 1.0  # and of the second pair
    out = apply_rotary(x)
    for p in range(3):
        a, b = p * 1.0, p * 10000 ** (-2 / 4)
        torch.testing.assert_close(
            out[p],
            torch.tensor([math.cos(a), math.sin(a), math.cos(b), math.sin(b)], dtype=torch.float64),
        )
