"""Fitting BKT parameters per skill from a cohort's logged attempts.

The defaults in tracks.toml are educated guesses. Once a cohort has worked through a
course, its attempts say how hard each skill really is: :func:`fit_parameters` fits
``p_init``, ``p_learn``, ``p_guess`` and ``p_slip`` per skill by expectation-maximisation
over each learner's sequence of outcomes (a two-state hidden Markov model without
forgetting), and :func:`params_toml` writes them as ``[bkt.skills."..."]`` tables to
paste into the pack's tracks.toml.

Two backends, same model:

- ``"pybkt"`` (the default) uses pyBKT's E and M steps (``pip install 'lmschool[bkt]'``).
  Only its fitting core (``pyBKT.fit``) is used: ``pyBKT.models`` probes scikit-learn's
  metrics at import time and fails with recent scikit-learn releases, and the loop
  around the two steps is ours because pyBKT 1.4's ``EM_fit`` stores a (1, 1) array into
  a scalar slot, which NumPy 2 refuses. pyBKT's pure-Python E step is slow (about a
  second per iteration for 20,000 attempts).
- ``"builtin"`` is a small NumPy implementation of the same EM (Baum-Welch with scaled
  forward-backward passes), so fitting works without the extra.

Guess and slip are kept below 0.5, as pyBKT's initialisation does, so "knows the skill"
always means "more likely to answer right".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from lmschool.course import Catalog
from lmschool.course.model import UnknownIdError
from lmschool.planning.mastery import BktParams, counts_as_evidence, exercise_skills
from lmschool.store.models import DONE, Attempt

Backend = Literal["pybkt", "builtin"]
AttemptRecord = tuple[str, str, bool]  # (learner, skill, correct), in time order
EPS = 1e-4


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message says which extra to install."""


@dataclass(frozen=True)
class Fit:
    params: BktParams
    log_likelihood: float
    learners: int
    attempts: int


def sequences(log: Iterable[AttemptRecord]) -> dict[str, list[list[int]]]:
    """Per skill, each learner's outcomes (1 right, 0 wrong) in order; skills sorted."""
    by_skill: dict[str, dict[str, list[int]]] = {}
    for learner, skill, correct in log:
        by_skill.setdefault(skill, {}).setdefault(learner, []).append(int(bool(correct)))
    return {
        skill: [learners[k] for k in sorted(learners)]
        for skill, learners in sorted(by_skill.items())
    }


# --- the built-in EM -----------------------------------------------------------------


def _padded(seqs: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    n, length = len(seqs), max(len(s) for s in seqs)
    obs = np.zeros((n, length), dtype=np.float64)
    mask = np.zeros((n, length), dtype=bool)
    for i, s in enumerate(seqs):
        obs[i, : len(s)] = s
        mask[i, : len(s)] = True
    return obs, mask


def _em_step(obs: np.ndarray, mask: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, float]:
    """One EM iteration for p = [p_init, p_learn, p_guess, p_slip]; returns new p, log-lik."""
    p_init, learn, guess, slip = p
    n, length = obs.shape
    # emission likelihood (N, T, 2): state 0 unknown, 1 known; padding gives 1
    right = np.stack([np.full_like(obs, guess), np.full_like(obs, 1 - slip)], axis=-1)
    emit = np.where(obs[..., None] == 1, right, 1 - right)
    emit = np.where(mask[..., None], emit, 1.0)
    trans = np.array([[1 - learn, learn], [0.0, 1.0]])
    # 1) forward, scaled (N, T, 2)
    alpha = np.empty((n, length, 2))
    scale = np.ones((n, length))
    a = np.array([1 - p_init, p_init]) * emit[:, 0]
    scale[:, 0] = a.sum(axis=1)
    alpha[:, 0] = a / scale[:, 0, None]
    for t in range(1, length):
        moved = alpha[:, t - 1] @ trans
        moved = np.where(mask[:, t, None], moved, alpha[:, t - 1])  # padding: stay put
        a = moved * emit[:, t]
        scale[:, t] = a.sum(axis=1)
        alpha[:, t] = a / scale[:, t, None]
    # 2) backward
    beta = np.ones((n, length, 2))
    for t in range(length - 2, -1, -1):
        nxt = emit[:, t + 1] * beta[:, t + 1] / scale[:, t + 1, None]
        back = nxt @ trans.T
        beta[:, t] = np.where(mask[:, t + 1, None], back, beta[:, t + 1])
    gamma = alpha * beta
    gamma /= gamma.sum(axis=-1, keepdims=True)
    # 3) expected counts: unknown -> known transitions on real steps
    xi_01 = alpha[:, :-1, 0] * learn * emit[:, 1:, 1] * beta[:, 1:, 1] / scale[:, 1:]
    from_0 = gamma[:, :-1, 0]
    real = mask[:, 1:]
    g0 = gamma[..., 0] * mask
    g1 = gamma[..., 1] * mask
    new = np.array(
        [
            gamma[:, 0, 1].mean(),
            (xi_01 * real).sum() / max((from_0 * real).sum(), 1e-12),
            (g0 * obs).sum() / max(g0.sum(), 1e-12),
            (g1 * (1 - obs)).sum() / max(g1.sum(), 1e-12),
        ]
    )
    new = np.clip(new, [EPS, EPS, EPS, EPS], [1 - EPS, 1 - EPS, 0.5 - EPS, 0.5 - EPS])
    return new, float(np.log(scale).sum())


def fit_builtin(
    seqs: list[list[int]],
    *,
    restarts: int = 6,
    seed: int = 0,
    max_iter: int = 300,
    tol: float = 1e-7,
) -> tuple[BktParams, float]:
    """EM in NumPy from several starting points (deterministic); the best log-likelihood."""
    obs, mask = _padded(seqs)
    rng = np.random.default_rng(seed)
    starts = [np.array([0.2, 0.15, 0.2, 0.1])]
    starts += [
        np.array(
            [
                rng.uniform(0.05, 0.6),
                rng.uniform(0.05, 0.4),
                rng.uniform(0.05, 0.4),
                rng.uniform(0.02, 0.3),
            ]
        )
        for _ in range(max(restarts - 1, 0))
    ]
    best: tuple[np.ndarray, float] | None = None
    for p in starts:
        previous = -np.inf
        loglik = previous
        for _ in range(max_iter):
            p, loglik = _em_step(obs, mask, p)
            if abs(loglik - previous) < tol * max(1.0, abs(loglik)):
                break
            previous = loglik
        if best is None or loglik > best[1]:
            best = (p, loglik)
    assert best is not None
    p = best[0]
    return BktParams(float(p[0]), float(p[1]), float(p[2]), float(p[3])), best[1]


# --- pyBKT -------------------------------------------------------------------------------


def _pybkt() -> tuple[Any, Any, Any]:
    try:
        from pyBKT.fit import EM_fit, M_step
        from pyBKT.generate import random_model_uni
    except ImportError as exc:
        raise MissingExtraError(
            "fitting BKT parameters with pyBKT needs the optional extra 'bkt': "
            "pip install 'lmschool[bkt]' (or call fit_parameters(..., backend='builtin'), "
            f"which needs nothing more). ({exc})"
        ) from None
    return EM_fit, M_step, random_model_uni


def pybkt_available() -> bool:
    try:
        _pybkt()
    except MissingExtraError:
        return False
    return True


def _pybkt_model(random_model_uni: Any, start: BktParams | None, rand: Any) -> dict[str, Any]:
    """A pyBKT model dict (one skill, one resource): random as pyBKT draws it, or ``start``."""
    model = random_model_uni.random_model_uni(1, 1, rand=rand)
    if start is not None:
        model["As"][0] = [[1 - start.p_learn, 0.0], [start.p_learn, 1.0]]
        model["learns"] = model["As"][:, 1, 0]
        model["forgets"] = model["As"][:, 0, 1]
        model["guesses"] = np.array([start.p_guess])
        model["slips"] = np.array([start.p_slip])
        model["pi_0"] = np.array([[1 - start.p_init], [start.p_init]])
        model["prior"] = start.p_init
    return model


def fit_pybkt(
    seqs: list[list[int]],
    *,
    restarts: int = 3,
    seed: int = 0,
    max_iter: int = 100,
    tol: float = 0.005,
) -> tuple[BktParams, float]:
    """pyBKT's EM on the same sequences (its layout: 1 wrong, 2 right, 1-based starts)."""
    em_fit, m_step, random_model_uni = _pybkt()
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    starts = np.concatenate([[1], 1 + np.cumsum(lengths)[:-1]]).astype(np.int64)
    flat = np.array([o + 1 for s in seqs for o in s], dtype=np.int32)[None, :]
    data = {
        "data": flat,
        "starts": starts,
        "lengths": lengths,
        "resources": np.ones(flat.shape[1], dtype=np.int64),
    }
    rand = np.random.RandomState(seed)
    best: tuple[BktParams, float] | None = None
    for r in range(max(restarts, 1)):
        model = _pybkt_model(random_model_uni, BktParams() if r == 0 else None, rand)
        previous, loglik = None, -np.inf
        for i in range(max_iter):  # pyBKT's EM_fit loop, with the log-likelihood as a float
            counts = em_fit.run(
                data, model, np.zeros((1, 2, 2)), np.zeros((1, 2, 2)), np.zeros((2, 1)), 1, False
            )
            counts["all_trans_softcounts"][0] = counts["all_trans_softcounts"][0].T
            counts["all_emission_softcounts"][0] = counts["all_emission_softcounts"][0].T
            loglik = float(np.asarray(counts["total_loglike"]).item())
            if previous is not None and i > 1 and abs(loglik - previous) <= tol:
                break
            previous = loglik
            model = m_step.run(
                model,
                counts["all_trans_softcounts"],
                counts["all_emission_softcounts"],
                counts["all_initial_softcounts"],
            )
        params = BktParams(
            p_init=float(model["pi_0"][1][0]),
            p_learn=float(model["As"][0, 1, 0]),
            p_guess=float(model["guesses"][0]),
            p_slip=float(model["slips"][0]),
        )
        if best is None or loglik > best[1]:
            best = (params, loglik)
    assert best is not None
    return best


# --- the entry points ------------------------------------------------------------------


def fit_parameters(
    attempt_log: Iterable[AttemptRecord],
    *,
    backend: Backend = "pybkt",
    min_learners: int = 5,
    seed: int = 0,
    restarts: int = 3,
) -> dict[str, Fit]:
    """Fitted BKT parameters per skill, from ``(learner, skill, correct)`` in time order.

    Skills with fewer than ``min_learners`` learners are left out (too little data).
    ``backend="pybkt"`` raises :class:`MissingExtraError` naming the extra to install
    when pyBKT is absent; ``backend="builtin"`` needs only NumPy.
    """
    if backend == "pybkt":
        _pybkt()  # fail early, before any work, with the install hint
    elif backend != "builtin":
        raise ValueError(f"unknown backend {backend!r}: use 'pybkt' or 'builtin'")
    out: dict[str, Fit] = {}
    for skill, seqs in sequences(attempt_log).items():
        if len(seqs) < min_learners:
            continue
        fit = fit_pybkt if backend == "pybkt" else fit_builtin
        params, loglik = fit(seqs, seed=seed, restarts=restarts)
        out[skill] = Fit(params, loglik, len(seqs), sum(len(s) for s in seqs))
    return out


def attempt_log(
    session: Session, *, catalog: Catalog, learner_ids: Iterable[int] | None = None
) -> list[AttemptRecord]:
    """Graded attempts from the database as ``(learner id, skill, correct)``, oldest first.

    Only attempts that are evidence of skill count (as for mastery updates); exercises
    no longer in the catalog are left out.
    """
    query = select(Attempt).where(Attempt.status == DONE).order_by(Attempt.created_at, Attempt.id)
    if learner_ids is not None:
        query = query.where(Attempt.learner_id.in_(list(learner_ids)))
    out: list[AttemptRecord] = []
    for attempt in session.scalars(query):
        try:
            ex = catalog.exercise(attempt.exercise_id)
        except UnknownIdError:
            continue
        if not counts_as_evidence(ex, attempt.result or {}):
            continue
        for skill in exercise_skills(catalog, ex):
            out.append((str(attempt.learner_id), skill, bool(attempt.passed)))
    return out


def params_toml(fits: Mapping[str, Fit]) -> str:
    """``[bkt.skills."<skill>"]`` tables for a pack's tracks.toml."""
    lines = ["# Fitted by lmschool.planning.fitting.fit_parameters; paste into tracks.toml."]
    for skill, fit in fits.items():
        p = fit.params
        lines += [
            "",
            f'[bkt.skills."{skill}"]  # {fit.learners} learners, {fit.attempts} attempts',
            f"p_init = {p.p_init:.3f}",
            f"p_learn = {p.p_learn:.3f}",
            f"p_guess = {p.p_guess:.3f}",
            f"p_slip = {p.p_slip:.3f}",
        ]
    return "\n".join(lines) + "\n"


def simulate(
    params: BktParams, *, learners: int, attempts: int, seed: int = 0, skill: str = "skill"
) -> list[AttemptRecord]:
    """A synthetic attempt log drawn from the BKT model itself (for tests and benchmarks)."""
    rng = np.random.default_rng(seed)
    out: list[AttemptRecord] = []
    for i in range(learners):
        known = rng.random() < params.p_init
        for _ in range(attempts):
            p_right = 1 - params.p_slip if known else params.p_guess
            out.append((f"l{i:05d}", skill, bool(rng.random() < p_right)))
            known = known or rng.random() < params.p_learn
    return out
