"""The check author API, used by an exercise's hidden ``checks.py``.

A checks file defines check functions, each decorated with :func:`check`::

    from lmschool.grading.checks import check, expect_array

    @check(points=2, title={"en": "Standardised values", "zh": "标准化后的数值"})
    def values(ctx):
        X = ctx.rng.normal(size=(20, 3))          # seeded per learner and check
        got = ctx.learner.standardize(X)           # runs in the sandbox, returns data
        want = ctx.reference.standardize(X)        # the reference solution, trusted
        expect_array("standardize(X)", got, want, rtol=1e-6)

Checks run in definition order in the trusted runner process. ``ctx.learner`` is a
proxy: calling a learner function or class sends the arguments as data to the
sandboxed learner process and returns its answer as data (NumPy arrays, torch
tensors, numbers, strings, lists, dicts) or as a :class:`RemoteObject` handle for
anything else. Helpers raise :class:`CheckFailure` with a message in both languages
that tells the learner what is wrong.
"""

from __future__ import annotations

import contextlib
import math
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lmschool.grading.proxy import LearnerError, RemoteObject
from lmschool.i18n import Msg, msg

__all__ = [
    "Check",
    "CheckFailure",
    "Context",
    "check",
    "collect_checks",
    "expect",
    "expect_array",
    "expect_close",
    "expect_equal",
    "expect_raises",
    "fail",
]

_REGISTRY_ATTR = "__lmschool_check__"


class CheckFailure(Exception):
    """A check did not pass; ``message`` says why in both languages."""

    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Check:
    name: str
    fn: Callable[[Context], None]
    points: float
    title: dict[str, str] = field(default_factory=dict)
    order: int = 0


_counter = iter(range(1_000_000_000))


def check(
    points: float = 1.0, title: dict[str, str] | None = None
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Mark ``fn(ctx)`` as a check worth ``points``; ``title`` is ``{"en", "zh"}``."""
    if points <= 0:
        raise ValueError(f"check points must be positive, got {points}")

    def decorate(fn: Callable[[Context], None]) -> Callable[[Context], None]:
        setattr(
            fn,
            _REGISTRY_ATTR,
            Check(
                name=fn.__name__,
                fn=fn,
                points=float(points),
                title=title or {},
                order=next(_counter),
            ),
        )
        return fn

    return decorate


def collect_checks(module: Any) -> list[Check]:
    """The checks a loaded checks module defines, in definition order."""
    found = [
        getattr(v, _REGISTRY_ATTR) for v in vars(module).values() if hasattr(v, _REGISTRY_ATTR)
    ]
    return sorted(found, key=lambda c: c.order)


def check_seed(seed: int, check_name: str) -> np.random.SeedSequence:
    """Per-check seed: stable for a learner and exercise, independent of check order."""
    return np.random.SeedSequence([seed & 0xFFFFFFFF, zlib.crc32(check_name.encode())])


def hidden_check_seed(hidden_seed: int, check_name: str) -> np.random.SeedSequence:
    """Per-check seed from the 63-bit hidden seed (all of its bits count)."""
    return np.random.SeedSequence(
        [hidden_seed >> 32, hidden_seed & 0xFFFFFFFF, zlib.crc32(check_name.encode()), 1]
    )


@dataclass
class Context:
    """What a check function receives.

    ``rng`` is seeded per learner, exercise and check, so every learner gets their
    own inputs and a hard-coded answer cannot pass. ``hidden_rng`` and
    ``hidden_seed`` derive from the grader's server-side secret (see
    lmschool.grading.secret): draw every held-out split or hidden data set from
    them, never from ``seed``, which the learner sees. ``learner`` reaches the
    sandboxed submission, ``reference`` is the imported reference solution.
    """

    rng: np.random.Generator
    seed: int
    learner: Any
    reference: Any
    lang: str = "en"
    hidden_seed: int = 0
    hidden_rng: np.random.Generator = field(default_factory=lambda: np.random.default_rng(0))


# --- helpers -------------------------------------------------------------------


def fail(message: Msg | dict[str, str]) -> None:
    """Fail the current check with an author-written message ``{"en", "zh"}``."""
    raise CheckFailure(message if isinstance(message, Msg) else Msg(message))


def expect(condition: object, message: Msg | dict[str, str]) -> None:
    """Fail with ``message`` unless ``condition`` is true (a trusted-side value)."""
    if not condition:
        fail(message)


def _short(value: Any) -> str:
    if isinstance(value, float | np.floating):
        return f"{float(value):.6g}"
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=6, threshold=8, edgeitems=2)
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _as_array(name: str, value: Any, want_kind: str = "check.kind.array") -> np.ndarray:
    """Learner data as a NumPy array, refusing handles and non-numeric values."""
    if isinstance(value, RemoteObject):
        raise CheckFailure(_kind_msg("check.not_data", name, want_kind, value.type_name))
    if _is_tensor(value):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        arr = value
    elif isinstance(value, bool | int | float | np.number | list | tuple):
        try:
            arr = np.asarray(value)
        except (ValueError, TypeError):
            raise CheckFailure(
                _kind_msg("check.type", name, want_kind, type(value).__name__)
            ) from None
    else:
        raise CheckFailure(_kind_msg("check.type", name, want_kind, type(value).__name__))
    if arr.dtype.kind not in "biuf":
        raise CheckFailure(_kind_msg("check.type", name, want_kind, f"array of {arr.dtype}"))
    return arr


def _kind_msg(key: str, name: str, want_kind: str, got_type: str) -> Msg:
    kinds = msg(want_kind)
    return Msg(
        {
            lang: msg(key, name=name, want_kind=kinds.render(lang), got_type=got_type).render(lang)
            for lang in ("en", "zh")
        },
        key,
    )


def _is_tensor(value: Any) -> bool:
    mod = type(value).__module__
    return mod.startswith("torch") and type(value).__name__ in ("Tensor", "Parameter")


def expect_array(
    name: str,
    got: Any,
    want: Any,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-8,
    dtype_kind: str | None = None,
) -> None:
    """``got`` must be an array (or tensor) of ``want``'s shape and values.

    Messages name the shape, a wrong dtype kind (``dtype_kind``: e.g. ``"f"`` for
    floats, ``"iu"`` for integers), NaNs, and the first mismatching index with both
    values and the tolerance.
    """
    want_arr = np.asarray(want.detach().cpu().numpy() if _is_tensor(want) else want)
    got_arr = _as_array(name, got)
    if got_arr.shape != want_arr.shape:
        raise CheckFailure(
            msg("check.shape", name=name, want=tuple(want_arr.shape), got=tuple(got_arr.shape))
        )
    if dtype_kind is not None and got_arr.dtype.kind not in dtype_kind:
        raise CheckFailure(msg("check.dtype", name=name, want=want_arr.dtype, got=got_arr.dtype))
    if got_arr.size == 0:
        return
    g = got_arr.astype(np.float64, copy=False)
    w = want_arr.astype(np.float64, copy=False)
    bad_finite = ~np.isfinite(g) & np.isfinite(w)
    if bad_finite.any():
        idx = tuple(int(i) for i in np.argwhere(bad_finite)[0])
        raise CheckFailure(
            msg(
                "check.nan",
                name=name,
                index=_fmt_index(idx),
                got=_short(g[idx]),
                want=_short(w[idx]),
            )
        )
    close = np.isclose(g, w, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        idx = tuple(int(i) for i in np.argwhere(~close)[0])
        raise CheckFailure(
            msg(
                "check.values",
                name=name,
                count=int((~close).sum()),
                total=int(close.size),
                index=_fmt_index(idx),
                want=_short(w[idx]),
                got=_short(g[idx]),
                rtol=rtol,
                atol=atol,
            )
        )


def _fmt_index(idx: tuple[int, ...]) -> str:
    return "[" + ", ".join(str(i) for i in idx) + "]"


def expect_close(
    name: str, got: Any, want: float, *, rtol: float = 1e-6, atol: float = 1e-9
) -> None:
    """``got`` must be a real number within tolerance of ``want``."""
    if isinstance(got, RemoteObject):
        raise CheckFailure(_kind_msg("check.not_data", name, "check.kind.number", got.type_name))
    if _is_tensor(got) and got.numel() == 1:
        got = got.item()
    if isinstance(got, np.ndarray) and got.size == 1:
        got = got.reshape(()).item()
    if isinstance(got, bool) or not isinstance(got, int | float | np.integer | np.floating):
        raise CheckFailure(_kind_msg("check.type", name, "check.kind.number", type(got).__name__))
    g, w = float(got), float(want)
    if not (math.isfinite(g) or not math.isfinite(w)) or not math.isclose(
        g, w, rel_tol=rtol, abs_tol=atol
    ):
        if math.isnan(g) and math.isnan(w):
            return
        raise CheckFailure(
            msg("check.scalar", name=name, want=_short(w), got=_short(g), rtol=rtol, atol=atol)
        )


def expect_equal(name: str, got: Any, want: Any) -> None:
    """``got`` must equal ``want`` exactly (ints, strings, tuples, lists, dicts of data).

    The comparison runs on trusted data only: learner objects arrive as handles,
    so a learner ``__eq__`` that always answers True is never consulted.
    """
    if isinstance(got, RemoteObject):
        raise CheckFailure(
            msg("check.equal", name=name, want=want, got=f"<{got.type_name} object>")
        )
    if (
        isinstance(want, Sequence)
        and not isinstance(want, str)
        and isinstance(got, Sequence)
        and not isinstance(got, str)
    ):
        if len(got) != len(want):
            raise CheckFailure(msg("check.length", name=name, want=len(want), got=len(got)))
        got, want = list(got), list(want)
    if type(got) is not type(want) and not (_is_number(got) and _is_number(want)):
        raise CheckFailure(msg("check.equal", name=name, want=want, got=got))
    try:
        differs = bool(got != want)
    except (ValueError, TypeError, RuntimeError):  # e.g. an array inside a list: no truth value
        differs = True
    if differs:
        raise CheckFailure(msg("check.equal", name=name, want=want, got=got))


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)


@contextlib.contextmanager
def expect_raises(name: str, *exception_names: str) -> Iterator[None]:
    """The block must make the learner's code raise one of ``exception_names``.

    Names are matched against the learner exception's class and its bases, so
    ``expect_raises("predict before fit", "RuntimeError")`` accepts a subclass,
    except ``NotImplementedError`` (a ``RuntimeError``): a starter's placeholder
    must not earn the point unless the check names it.
    """
    want = " / ".join(exception_names) or "an exception"
    try:
        yield
    except LearnerError as exc:
        placeholder = (
            exc.type_name == "NotImplementedError" and "NotImplementedError" not in exception_names
        )
        if placeholder or (exception_names and not set(exception_names) & set(exc.mro)):
            raise CheckFailure(
                msg(
                    "check.wrong_raise",
                    name=name,
                    want=want,
                    got=exc.type_name,
                    message=exc.message,
                )
            ) from None
        return
    raise CheckFailure(msg("check.no_raise", name=name, want=want))
