"""lmschool.ml.optim reproduces torch.optim's updates and schedules step for step."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from lmschool.ml import (
    SGD,
    Adagrad,
    Adam,
    AdamW,
    CosineLR,
    ExponentialLR,
    Momentum,
    RMSprop,
    StepLR,
    WarmupLR,
    clip_grad_norm,
    minibatches,
)

STEPS = 12


def _problem(seed: int):
    """Two parameters and a gradient that depends on them (a random quadratic bowl)."""
    rng = np.random.default_rng(seed)
    shapes = [(3, 4), (4,)]
    params = [rng.normal(size=s) for s in shapes]
    A = [rng.normal(size=s) for s in shapes]
    target = [rng.normal(size=s) for s in shapes]

    def grads(ps):  # d/dp of sum(A * (p - target)^2) / 2 plus a cross term
        return [a * (p - t) + 0.1 * np.sin(p) for p, a, t in zip(ps, A, target, strict=True)]

    return params, grads


OPTIMISERS = [
    (lambda: SGD(lr=0.1), lambda ps: torch.optim.SGD(ps, lr=0.1)),
    (
        lambda: SGD(lr=0.05, weight_decay=0.1),
        lambda ps: torch.optim.SGD(ps, lr=0.05, weight_decay=0.1),
    ),
    (
        lambda: Momentum(lr=0.05, momentum=0.9),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9),
    ),
    (
        lambda: Momentum(lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01),
    ),
    (lambda: Adam(lr=0.1), lambda ps: torch.optim.Adam(ps, lr=0.1)),
    (
        lambda: Adam(lr=0.03, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
        lambda ps: torch.optim.Adam(ps, lr=0.03, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
    ),
    (lambda: AdamW(lr=0.1), lambda ps: torch.optim.AdamW(ps, lr=0.1)),
    (
        lambda: AdamW(lr=0.05, weight_decay=0.3),
        lambda ps: torch.optim.AdamW(ps, lr=0.05, weight_decay=0.3),
    ),
    (lambda: Adagrad(), lambda ps: torch.optim.Adagrad(ps)),  # the defaults must agree too
    (lambda: Adagrad(lr=0.3), lambda ps: torch.optim.Adagrad(ps, lr=0.3)),
    (
        lambda: Adagrad(lr=0.2, eps=1e-6, weight_decay=0.1, initial_accumulator_value=0.5),
        lambda ps: torch.optim.Adagrad(
            ps, lr=0.2, eps=1e-6, weight_decay=0.1, initial_accumulator_value=0.5
        ),
    ),
    (lambda: RMSprop(), lambda ps: torch.optim.RMSprop(ps)),
    (lambda: RMSprop(lr=0.05, alpha=0.9), lambda ps: torch.optim.RMSprop(ps, lr=0.05, alpha=0.9)),
    (
        lambda: RMSprop(lr=0.02, momentum=0.9, weight_decay=0.1),
        lambda ps: torch.optim.RMSprop(ps, lr=0.02, momentum=0.9, weight_decay=0.1),
    ),
    (
        lambda: RMSprop(lr=0.02, centered=True, eps=1e-6),
        lambda ps: torch.optim.RMSprop(ps, lr=0.02, centered=True, eps=1e-6),
    ),
]
IDS = ["sgd", "sgd-wd", "momentum", "nesterov-wd", "adam", "adam-betas-wd", "adamw", "adamw-wd"]
IDS += ["adagrad-defaults", "adagrad", "adagrad-eps-wd-init"]
IDS += ["rmsprop-defaults", "rmsprop-alpha", "rmsprop-momentum-wd", "rmsprop-centered"]


def _run_torch(make_torch, params, grads, scheduler=None):
    tparams = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params]
    opt = make_torch(tparams)
    sched = scheduler(opt) if scheduler else None
    for _ in range(STEPS):
        for tp, g in zip(tparams, grads([tp.detach().numpy() for tp in tparams]), strict=True):
            tp.grad = torch.from_numpy(g)
        opt.step()
        if sched:
            sched.step()
    return [tp.detach().numpy() for tp in tparams]


def _run_ours(opt, params, grads):
    params = [p.copy() for p in params]
    for _ in range(STEPS):
        opt.step(params, grads(params))
    return params


@pytest.mark.parametrize("make_ours, make_torch", OPTIMISERS, ids=IDS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_optimiser_matches_torch(make_ours, make_torch, seed) -> None:
    params, grads = _problem(seed)
    expected = _run_torch(make_torch, params, grads)
    got = _run_ours(make_ours(), params, grads)
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-9)


def test_adam_with_a_schedule_matches_torch_scheduler() -> None:
    params, grads = _problem(3)
    expected = _run_torch(
        lambda ps: torch.optim.Adam(ps, lr=0.1),
        params,
        grads,
        scheduler=lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5),
    )
    got = _run_ours(Adam(lr=StepLR(0.1, step_size=4, gamma=0.5)), params, grads)
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-9)


def test_updates_happen_in_place_and_errors_are_clear() -> None:
    w = np.ones(3)
    alias = w
    opt = SGD(lr=0.5)
    opt.step([w], [np.ones(3)])
    assert alias is w and np.allclose(w, 0.5) and opt.t == 1
    with pytest.raises(ValueError, match=r"params\[0\].*np.zeros\(1\)"):
        SGD().step([0.0], [1.0])
    with pytest.raises(ValueError, match=r"grads\[0\] has shape"):
        SGD().step([np.zeros(2)], [np.zeros(3)])
    with pytest.raises(ValueError, match="same list of parameters"):
        opt.step([w, np.zeros(1)], [w, np.zeros(1)])
    assert Adam(lr=CosineLR(0.1, 10)).current_lr == pytest.approx(0.1)


def _torch_lrs(make_scheduler, steps: int, lr: float) -> list[float]:
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr)
    sched = make_scheduler(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return lrs


SCHEDULES = [
    (StepLR(0.1, step_size=3, gamma=0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5), 20),
    (ExponentialLR(0.1, gamma=0.9), lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9), 20),
    (
        CosineLR(0.1, total_steps=15, min_lr=0.01),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=15, eta_min=0.01),
        16,
    ),
    (
        WarmupLR(CosineLR(0.1, total_steps=10), warmup_steps=5),
        lambda o: torch.optim.lr_scheduler.SequentialLR(
            o,
            [
                torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / 5, total_iters=4),
                torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=10),
            ],
            milestones=[5],
        ),
        16,
    ),
]


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize(
    "ours, make_torch, steps", SCHEDULES, ids=["step", "exp", "cosine", "warmup"]
)
def test_schedule_matches_torch(ours, make_torch, steps) -> None:
    expected = _torch_lrs(make_torch, steps, ours(0) if not isinstance(ours, WarmupLR) else 0.1)
    np.testing.assert_allclose([ours(t) for t in range(steps)], expected, rtol=1e-9, atol=1e-12)


def test_schedule_shapes() -> None:
    cos = CosineLR(1.0, total_steps=4, min_lr=0.2)
    assert cos(0) == 1.0 and cos(4) == pytest.approx(0.2) and cos(100) == pytest.approx(0.2)
    warm = WarmupLR(0.5, warmup_steps=4)  # a constant after warm-up
    assert [warm(t) for t in range(6)] == [0.125, 0.25, 0.375, 0.5, 0.5, 0.5]
    with pytest.raises(ValueError, match="step"):
        StepLR(0.1, 2)(-1)


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(0, 50),
    batch_size=st.integers(1, 20),
    shuffle=st.booleans(),
    drop_last=st.booleans(),
    seed=st.integers(0, 100),
)
def test_minibatches_cover_every_row_once(n, batch_size, shuffle, drop_last, seed) -> None:
    batches = list(minibatches(n, batch_size, rng=seed, shuffle=shuffle, drop_last=drop_last))
    sizes = [len(b) for b in batches]
    if drop_last:
        assert sizes == [batch_size] * (n // batch_size)
    else:
        assert sum(sizes) == n and all(s == batch_size for s in sizes[:-1])
        seen = np.concatenate(batches) if batches else np.array([], dtype=int)
        np.testing.assert_array_equal(np.sort(seen), np.arange(n))
        if not shuffle:
            np.testing.assert_array_equal(seen, np.arange(n))


def test_minibatches_rng_forms_and_errors() -> None:
    a = [b.tolist() for b in minibatches(10, 3, rng=7)]
    b = [b.tolist() for b in minibatches(10, 3, rng=np.random.default_rng(7))]
    assert a == b and a != [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    with pytest.raises(ValueError, match="batch_size"):
        list(minibatches(10, 0))
    with pytest.raises(ValueError, match="random_state|rng|Generator"):
        list(minibatches(10, 2, rng="seed"))


def test_clip_grad_norm_matches_torch() -> None:
    rng = np.random.default_rng(0)
    grads = [rng.normal(size=(3, 3)), rng.normal(size=4)]
    tgrads = [torch.tensor(g, requires_grad=True) for g in grads]
    for t, g in zip(tgrads, grads, strict=True):
        t.grad = torch.from_numpy(g.copy())
    expected_norm = torch.nn.utils.clip_grad_norm_(tgrads, max_norm=1.0)
    norm = clip_grad_norm(grads, max_norm=1.0)
    assert norm == pytest.approx(float(expected_norm))
    for t, g in zip(tgrads, grads, strict=True):
        np.testing.assert_allclose(g, t.grad.numpy(), rtol=1e-9)
