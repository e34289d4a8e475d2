"""Training loops by hand: optimisers, learning-rate schedules, mini-batches.

An optimiser turns gradients into parameter updates. Here parameters are NumPy
arrays updated IN PLACE, so the model that holds them sees the change:

    w, b = np.zeros(3), np.zeros(1)          # b as a 1-element array, so it can change in place
    opt = Adam(lr=0.01)
    for epoch in range(20):
        for idx in minibatches(len(X), batch_size=32, rng=epoch):
            grad_w, grad_b = gradients(w, b, X[idx], y[idx])
            opt.step([w, b], [grad_w, grad_b])    # same list, same order, every step

The updates are the ones torch.optim computes (SGD, SGD with momentum, AdaGrad,
RMSprop, Adam, AdamW)
and match it to rounding, so what you learn here carries over to PyTorch.

A schedule is a callable step -> learning rate. Pass one as lr and the optimiser
asks it for the rate of every step (step 0 first): Adam(lr=CosineLR(0.01, 1000)).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from ._validation import check_random_state

Schedule = Callable[[int], float]


class Optimizer:
    """Shared bookkeeping: the step counter, per-parameter state, input checks."""

    def __init__(self, lr: float | Schedule):
        self.lr = lr  # a float, or a schedule: step -> learning rate
        self.t = 0  # number of steps taken
        self.state: list[dict[str, np.ndarray]] = []  # one dict per parameter, by position

    @property
    def current_lr(self) -> float:
        """The learning rate the next step will use."""
        return float(self.lr(self.t)) if callable(self.lr) else float(self.lr)

    def step(self, params: Sequence[np.ndarray], grads: Sequence[np.ndarray]) -> None:
        """Update every params[i] in place using grads[i]."""
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} params but {len(grads)} grads; pair them up")
        if self.state and len(self.state) != len(params):
            raise ValueError(
                f"step got {len(params)} params, earlier steps {len(self.state)}: pass the "
                "same list of parameters, in the same order, at every step"
            )
        for i, (p, g) in enumerate(zip(params, grads, strict=True)):
            if not isinstance(p, np.ndarray) or p.dtype.kind != "f":
                got = f"an array of {p.dtype}" if isinstance(p, np.ndarray) else type(p).__name__
                raise ValueError(
                    f"params[{i}] must be a float numpy array to be updated in place, got "
                    f"{got}; e.g. b = np.zeros(1) rather than b = 0.0"
                )
            if np.shape(g) != p.shape:
                raise ValueError(
                    f"grads[{i}] has shape {np.shape(g)} but params[{i}] has {p.shape}"
                )
        if not self.state:
            self.state = [{} for _ in params]
        lr = self.current_lr
        self.t += 1
        for p, g, state in zip(params, grads, self.state, strict=True):
            self._update(p, np.asarray(g, dtype=p.dtype), state, lr)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k not in ("t", "state"))
        return f"{type(self).__name__}({fields})"


class SGD(Optimizer):
    """Plain gradient descent: p <- p - lr * (g + weight_decay * p)."""

    def __init__(self, lr: float | Schedule = 0.01, weight_decay: float = 0.0):
        super().__init__(lr)
        self.weight_decay = weight_decay  # L2 penalty coefficient, added to the gradient

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        p -= lr * g


class Momentum(Optimizer):
    """SGD with momentum (torch.optim.SGD(momentum=...)): a running sum of gradients.

        v <- momentum * v + g            (v = g on the first step)
        p <- p - lr * v                  (nesterov: p <- p - lr * (g + momentum * v))

    v keeps moving in directions where gradients agree and cancels where they flip
    sign: it speeds along a long valley and damps zig-zag across it. Nesterov's
    variant looks one step ahead and overshoots less.
    """

    def __init__(
        self,
        lr: float | Schedule = 0.01,
        momentum: float = 0.9,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ):
        super().__init__(lr)
        self.momentum = momentum  # fraction of the velocity kept each step
        self.nesterov = nesterov  # use the look-ahead (Nesterov) update
        self.weight_decay = weight_decay  # L2 penalty coefficient, added to the gradient

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        if "velocity" not in state:
            state["velocity"] = g.copy()
        else:
            state["velocity"] = self.momentum * state["velocity"] + g
        v = state["velocity"]
        p -= lr * (g + self.momentum * v if self.nesterov else v)


class Adagrad(Optimizer):
    """AdaGrad (torch.optim.Adagrad): a per-parameter step from the sum of squared gradients.

        s <- s + g^2                         (s starts at initial_accumulator_value)
        p <- p - lr * g / (sqrt(s) + eps)

    A parameter with large gradients gets small steps and one with rare, small gradients
    large ones. But s only grows, so every step size lr / sqrt(s) shrinks like 1 / sqrt(t)
    and training eventually stalls; RMSprop replaces the sum by a moving average.
    """

    def __init__(
        self,
        lr: float | Schedule = 0.01,
        eps: float = 1e-10,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
    ):
        super().__init__(lr)
        self.eps = eps  # keeps the division finite while s is ~0
        self.weight_decay = weight_decay  # L2 coefficient added to the gradient
        self.initial_accumulator_value = initial_accumulator_value  # starting value of s

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        if not state:
            state["sum"] = np.full_like(p, self.initial_accumulator_value)
        state["sum"] += g * g
        p -= lr * g / (np.sqrt(state["sum"]) + self.eps)


class RMSprop(Optimizer):
    """RMSprop (torch.optim.RMSprop): AdaGrad with a moving average instead of a sum.

        s <- alpha * s + (1 - alpha) * g^2   running mean of squared gradients (s_0 = 0)
        p <- p - lr * g / (sqrt(s) + eps)

    s forgets old gradients (over about 1 / (1 - alpha) steps), so the step size follows
    the recent gradient scale instead of dying out. There is no bias correction: the
    first step is about lr / sqrt(1 - alpha) (10 lr at alpha = 0.99). With momentum > 0,
    a velocity buf <- momentum * buf + g / (sqrt(s) + eps) is stepped along instead;
    centered=True divides by an estimate of the gradient's standard deviation instead.
    """

    def __init__(
        self,
        lr: float | Schedule = 0.01,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ):
        super().__init__(lr)
        self.alpha = alpha  # decay rate of the squared-gradient mean
        self.eps = eps  # keeps the division finite where s is ~0
        self.weight_decay = weight_decay  # L2 coefficient added to the gradient
        self.momentum = momentum  # fraction of the velocity kept each step (0: none)
        self.centered = centered  # subtract the squared mean gradient from s

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        if not state:
            state["square_avg"] = np.zeros_like(p)
            if self.centered:
                state["grad_avg"] = np.zeros_like(p)
            if self.momentum:
                state["buf"] = np.zeros_like(p)
        s = state["square_avg"]
        s *= self.alpha
        s += (1 - self.alpha) * g * g
        if self.centered:
            state["grad_avg"] += (1 - self.alpha) * (g - state["grad_avg"])
            denom = np.sqrt(s - state["grad_avg"] ** 2) + self.eps
        else:
            denom = np.sqrt(s) + self.eps
        if self.momentum:
            state["buf"] *= self.momentum
            state["buf"] += g / denom
            p -= lr * state["buf"]
        else:
            p -= lr * g / denom


class Adam(Optimizer):
    """Adam (torch.optim.Adam): momentum plus a per-parameter step size.

        m <- b1 * m + (1 - b1) * g           running mean of gradients
        v <- b2 * v + (1 - b2) * g^2         running mean of squared gradients
        m_hat = m / (1 - b1^t),  v_hat = v / (1 - b2^t)     (t = 1, 2, ...)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Dividing by sqrt(v_hat) gives every parameter a step of about lr, whatever the
    scale of its gradients. m and v start at 0, so early on they are biased towards 0;
    dividing by (1 - b^t) removes that bias (at t = 1, m_hat = g exactly).
    weight_decay adds weight_decay * p to g first (L2, as in torch.optim.Adam; see
    AdamW for the decoupled version).
    """

    def __init__(
        self,
        lr: float | Schedule = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ):
        super().__init__(lr)
        self.betas = betas  # decay rates of the gradient mean and squared-gradient mean
        self.eps = eps  # keeps the division finite where v_hat is ~0
        self.weight_decay = weight_decay  # L2 coefficient added to the gradient

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        self._adam(p, g, state, lr)

    def _adam(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        b1, b2 = self.betas
        if not state:
            state["m"], state["v"] = np.zeros_like(p), np.zeros_like(p)
        m, v = state["m"], state["v"]
        m += (1 - b1) * (g - m)  # = b1 * m + (1 - b1) * g, written as torch does
        v *= b2
        v += (1 - b2) * g * g
        # the same arithmetic, in the same order, as torch's implementation
        step_size = lr / (1 - b1**self.t)
        denom = np.sqrt(v) / math.sqrt(1 - b2**self.t) + self.eps
        p -= step_size * m / denom


class AdamW(Adam):
    """Adam with decoupled weight decay (torch.optim.AdamW): p <- p * (1 - lr * wd) first.

    With Adam's L2 version the decay term is divided by sqrt(v_hat) like the gradient,
    so weights with large gradients are barely decayed. AdamW shrinks every weight by
    the same factor, separately from the adaptive step; it is the default for
    training transformers.
    """

    def __init__(
        self,
        lr: float | Schedule = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.01,
    ):
        super().__init__(lr, betas, eps, weight_decay)

    def _update(self, p: np.ndarray, g: np.ndarray, state: dict, lr: float) -> None:
        p *= 1 - lr * self.weight_decay
        self._adam(p, g, state, lr)


# ------------------------------------------------------------------------- schedules


class _Schedule:
    def __call__(self, step: int) -> float:
        if step < 0:
            raise ValueError(f"step must be >= 0, got {step}")
        return float(self.lr_at(int(step)))

    def lr_at(self, step: int) -> float:
        raise NotImplementedError

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


class StepLR(_Schedule):
    """lr * gamma ** (step // step_size): drop by a factor gamma every step_size steps."""

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1):
        self.lr = lr  # starting learning rate
        self.step_size = step_size  # steps between drops
        self.gamma = gamma  # factor applied at each drop

    def lr_at(self, step: int) -> float:
        return self.lr * self.gamma ** (step // self.step_size)


class ExponentialLR(_Schedule):
    """lr * gamma ** step: a smooth geometric decay."""

    def __init__(self, lr: float, gamma: float):
        self.lr = lr  # starting learning rate
        self.gamma = gamma  # factor per step (e.g. 0.99)

    def lr_at(self, step: int) -> float:
        return self.lr * self.gamma**step


class CosineLR(_Schedule):
    """Half a cosine from lr down to min_lr over total_steps, then min_lr.

        lr_t = min_lr + (lr - min_lr) * (1 + cos(pi * t / total_steps)) / 2

    Slow at first (big steps while far from a minimum), fastest in the middle,
    and gentle at the end, where small steps settle into the minimum.
    """

    def __init__(self, lr: float, total_steps: int, min_lr: float = 0.0):
        self.lr = lr  # learning rate at step 0
        self.total_steps = total_steps  # steps to reach min_lr
        self.min_lr = min_lr  # floor, reached at total_steps and kept after

    def lr_at(self, step: int) -> float:
        t = min(step, self.total_steps)
        return (
            self.min_lr
            + (self.lr - self.min_lr) * (1 + math.cos(math.pi * t / self.total_steps)) / 2
        )


class WarmupLR(_Schedule):
    """Linear warm-up to the inner schedule's start, then the inner schedule.

        step < warmup_steps:  schedule(0) * (step + 1) / warmup_steps
        afterwards:           schedule(step - warmup_steps)

    Why: at the start the weights are random and Adam's v estimate is noisy; full
    steps can throw the model somewhere it never recovers from. A few hundred steps
    of small, growing rates avoid that. The inner schedule starts counting when the
    warm-up ends, so WarmupLR(CosineLR(lr, T - W), W) runs T steps in all.
    schedule may also be a plain float (constant after warm-up).
    """

    def __init__(self, schedule: float | Schedule, warmup_steps: int):
        self.schedule = schedule  # the schedule (or constant lr) after warm-up
        self.warmup_steps = warmup_steps  # steps of linear increase

    def lr_at(self, step: int) -> float:
        inner = self.schedule if callable(self.schedule) else (lambda _: self.schedule)
        if step < self.warmup_steps:
            return inner(0) * (step + 1) / self.warmup_steps
        return inner(step - self.warmup_steps)


# ---------------------------------------------------------------------- mini-batches


def minibatches(
    n: int,
    batch_size: int,
    rng: None | int | np.random.Generator = None,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[np.ndarray]:
    """Yield index arrays that cover range(n) once: one epoch of mini-batches.

    Shuffled by default (with rng: None, a seed, or a Generator): batches of
    consecutive rows from sorted data would each show the model one kind of
    example, and the gradient would swing from batch to batch. The last batch has
    n % batch_size rows unless drop_last=True drops it (useful when every batch must
    be the same size).

        for idx in minibatches(len(X), 32, rng=0):
            xb, yb = X[idx], y[idx]
    """
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative int, got {n!r}")
    if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    order = check_random_state(rng).permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start : start + batch_size]


def clip_grad_norm(grads: Sequence[np.ndarray], max_norm: float) -> float:
    """Scale all grads in place so their joint L2 norm is at most max_norm.

    Returns the norm before clipping (worth logging: spikes warn of instability).
    Same rule as torch.nn.utils.clip_grad_norm_.
    """
    total = math.sqrt(sum(float(np.sum(np.asarray(g) ** 2)) for g in grads))
    scale = max_norm / (total + 1e-6)
    if scale < 1:
        for g in grads:
            g *= scale
    return total
