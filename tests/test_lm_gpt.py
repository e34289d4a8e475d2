"""The GPT's parameter formula and lmschool.ml.nn.lm: batches, the schedule, the training loop."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from lmschool.ml.nn import GPT, GPTConfig, param_count  # noqa: E402
from lmschool.ml.nn.lm import (  # noqa: E402
    LMHistory,
    configure_adamw,
    cosine_lr,
    estimate_loss,
    get_batch,
    train_lm,
)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("tie_weights", [True, False])
@pytest.mark.parametrize(("n_layer", "n_head", "n_embd"), [(1, 1, 8), (2, 2, 16), (3, 4, 32)])
def test_param_count_formula_equals_num_params(bias, tie_weights, n_layer, n_head, n_embd) -> None:
    config = GPTConfig(
        vocab_size=37,
        block_size=19,
        n_layer=n_layer,
        n_head=n_head,
        n_embd=n_embd,
        bias=bias,
        tie_weights=tie_weights,
    )
    model = GPT(config)
    assert model.num_params() == param_count(config)
    assert model.num_params() == sum(p.numel() for p in set(model.parameters()))
    if tie_weights:
        assert model.lm_head.weight is model.wte.weight


def test_param_count_of_known_models() -> None:
    # GPT-2 small (124M, biases, tied head) and nanoGPT's CPU Shakespeare model (0.80M)
    gpt2 = GPTConfig(vocab_size=50257, block_size=1024, n_layer=12, n_head=12, n_embd=768)
    assert param_count(gpt2) == 124_439_808
    cpu = GPTConfig(vocab_size=65, block_size=64, n_layer=4, n_head=4, n_embd=128, bias=False)
    assert param_count(cpu) == 804_096 == GPT(cpu).num_params()


def test_get_batch_targets_are_inputs_shifted_by_one() -> None:
    data = torch.arange(100)
    g = torch.Generator().manual_seed(0)
    x, y = get_batch(data, 8, 5, g)
    assert x.shape == y.shape == (5, 8) and x.dtype == torch.long
    assert torch.equal(y, x + 1)  # on arange data, the next token is the id plus one
    assert int(y.max()) <= 99  # the last target exists
    x2, _ = get_batch(data, 8, 5, torch.Generator().manual_seed(0))
    assert torch.equal(x, x2)
    np_x, _ = get_batch(np.arange(100), 8, 5, torch.Generator().manual_seed(0))
    assert torch.equal(np_x, x)


def test_get_batch_uses_every_start_including_the_last() -> None:
    data = torch.arange(12)
    g = torch.Generator().manual_seed(1)
    starts = set()
    for _ in range(200):
        x, _ = get_batch(data, 4, 8, g)
        starts.update(x[:, 0].tolist())
    assert starts == set(range(12 - 4))  # 0 .. len - T - 1


def test_get_batch_refuses_a_stream_shorter_than_a_window() -> None:
    with pytest.raises(ValueError, match="block_size"):
        get_batch(torch.arange(8), 8, 2)


def test_cosine_lr_edges() -> None:
    kw = {"max_lr": 1e-3, "min_lr": 1e-4, "warmup": 100, "total": 2000}
    assert math.isclose(cosine_lr(0, **kw), 1e-3 / 101)
    assert math.isclose(cosine_lr(99, **kw), 1e-3 * 100 / 101)
    assert math.isclose(cosine_lr(100, **kw), 1e-3)
    assert math.isclose(cosine_lr(1050, **kw), 0.5 * (1e-3 + 1e-4))  # half-way: the mean
    assert math.isclose(cosine_lr(2000, **kw), 1e-4)
    assert cosine_lr(5000, **kw) == 1e-4
    rates = [cosine_lr(s, **kw) for s in range(100, 2001)]
    assert all(a >= b for a, b in zip(rates, rates[1:], strict=False))
    assert math.isclose(cosine_lr(0, max_lr=1.0, min_lr=0.0, warmup=0, total=10), 1.0)
    with pytest.raises(ValueError, match="warmup"):
        cosine_lr(0, max_lr=1.0, min_lr=0.0, warmup=20, total=10)


def test_configure_adamw_decays_matrices_only() -> None:
    model = GPT(vocab_size=11, block_size=8, n_layer=1, n_head=2, n_embd=8)
    opt = configure_adamw(model, 1e-3, weight_decay=0.1)
    decay, no_decay = opt.param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert all(p.dim() >= 2 for p in decay["params"])
    assert all(p.dim() == 1 for p in no_decay["params"])
    n = sum(p.numel() for g in opt.param_groups for p in g["params"])
    assert n == model.num_params()  # the tied matrix appears once


def _tiny_run(seed: int, **kw):
    ids = torch.tensor(([0, 1, 2, 3, 4, 5, 6, 7] * 60), dtype=torch.long)  # a repeating pattern
    torch.manual_seed(seed)
    model = GPT(vocab_size=8, block_size=8, n_layer=1, n_head=2, n_embd=16, dropout=0.1)
    history = train_lm(
        model,
        ids[:400],
        ids[400:],
        steps=kw.pop("steps", 60),
        batch_size=8,
        lr=1e-2,
        warmup=5,
        eval_interval=20,
        eval_batches=4,
        seed=seed,
        progress=False,
        **kw,
    )
    return model, history


def test_train_lm_learns_a_pattern_and_records_history() -> None:
    _, h = _tiny_run(0)
    assert isinstance(h, LMHistory)
    assert h.eval_step == [0, 20, 40, 60]
    assert len(h.loss) == len(h.lr) == len(h.step_time) == 60
    assert len(h.train_loss) == len(h.val_loss) == 4
    assert h.val_loss[0] > math.log(8) - 0.5  # starts near chance
    assert h.val_loss[-1] < 0.3  # a fixed cycle is easy to predict
    assert math.isclose(h.lr[0], 1e-2 / 6) and math.isclose(
        h.lr[-1], cosine_lr(59, max_lr=1e-2, min_lr=1e-3, warmup=5, total=60)
    )


def test_train_lm_is_deterministic_for_a_seed() -> None:
    m1, h1 = _tiny_run(3, steps=15)
    m2, h2 = _tiny_run(3, steps=15)
    assert h1.loss == h2.loss and h1.val_loss == h2.val_loss
    for a, b in zip(m1.parameters(), m2.parameters(), strict=True):
        assert torch.equal(a, b)
    _, h3 = _tiny_run(4, steps=15)
    assert h3.loss != h1.loss


def test_estimate_loss_restores_training_mode_and_uses_fixed_windows() -> None:
    model = GPT(vocab_size=8, block_size=8, n_layer=1, n_head=2, n_embd=16, dropout=0.5)
    model.train()
    ids = torch.randint(0, 8, (200,))
    a = estimate_loss(model, ids, block_size=8, batch_size=4, batches=3, seed=1)
    b = estimate_loss(model, ids, block_size=8, batch_size=4, batches=3, seed=1)
    assert a == b and model.training  # eval mode inside (no dropout), train mode restored


def test_history_plot_draws_the_curves() -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    _, h = _tiny_run(0, steps=20)
    ax = h.plot()
    assert {line.get_label() for line in ax.get_lines()} == {"batch", "train", "validation"}


def test_train_lm_progress_bar_only_on_a_terminal(capsys) -> None:
    _tiny_run(0, steps=5)  # progress=False
    out = capsys.readouterr().out
    assert out == ""
    ids = torch.arange(64) % 8
    model = GPT(vocab_size=8, block_size=8, n_layer=1, n_head=1, n_embd=8)
    train_lm(model, ids, steps=3, batch_size=2, lr=1e-3, eval_batches=1)  # progress=True, no tty
    assert capsys.readouterr().out == ""


def test_train_lm_needs_a_block_size_for_models_without_config() -> None:
    model = torch.nn.Linear(2, 2)
    with pytest.raises(ValueError, match="block_size"):
        train_lm(model, torch.arange(50), steps=1, batch_size=2, lr=1e-3)


def test_train_lm_draws_a_rich_bar_with_the_losses_on_a_terminal(monkeypatch, capsys) -> None:
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    ids = torch.arange(64) % 8
    model = GPT(vocab_size=8, block_size=8, n_layer=1, n_head=1, n_embd=8)
    history = train_lm(model, ids, ids, steps=3, batch_size=2, lr=1e-3, eval_batches=1)
    out = capsys.readouterr().out
    assert "training" in out and "100%" in out
    assert f"val {history.val_loss[-1]:.3f}" in out
