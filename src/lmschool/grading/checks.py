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
    "as_array",
    "as_tuple",
    "call_method",
    "check",
    "collect_checks",
    "expect",
    "expect_array",
    "expect_close",
    "expect_equal",
    "expect_inputs_unchanged",
    "expect_raises",
    "fail",
    "matches",
    "sandbox_function",
    "set_torch_parameters",
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


# --- inputs left alone: in-place changes to the caller's arguments ------------------
#
# Every call through ``ctx.learner`` sends fresh copies of its arguments, so a learner
# function that changes its input in place (``X -= X.mean(0)``, ``table["age"][bad] =
# np.nan``) looks right from the checks' side. ``expect_inputs_unchanged`` makes the
# call inside the sandbox through a small trusted function that also sends back the
# arguments as the learner's code left them, and compares them with what was sent.

_CALL_READ_BACK = "lambda f, args, kwargs: (f(*args, **kwargs), args, kwargs)"
_METHOD_READ_BACK = (
    "lambda obj, name, args, kwargs: (getattr(obj, name)(*args, **kwargs), args, kwargs)"
)


def _client_of(learner: Any) -> Any:
    """The protocol client behind ``ctx.learner``, one of its callables, or a handle."""
    from lmschool.grading import proxy

    if isinstance(learner, RemoteObject):
        return object.__getattribute__(learner, "_client")
    if isinstance(learner, proxy.LearnerModule | proxy._NamedCallable | proxy._BoundMethod):
        return learner._client
    raise TypeError(f"not the learner's module, callable or object: {learner!r}")


def sandbox_function(learner: Any, source: str) -> Any:
    """A small trusted function, compiled from ``source`` inside the learner's sandbox.

    ``source`` is a lambda expression written by the check's author, e.g.
    ``"lambda: __import__('numpy').random.random()"``; ``learner`` is ``ctx.learner``
    (or a learner callable or object of the same grading). The function runs in the
    learner's process, so it sees what the learner's code left behind there (global
    state such as NumPy's global random generator, or arguments passed by reference)
    and nothing of the trusted side. Returns a handle: call it like a learner function;
    its result comes back as data. A file that replaces ``__builtins__`` fails the check.
    """
    client = _client_of(learner)
    builtins = client.request({"op": "value", "name": "__builtins__"})
    run_eval = builtins.get("eval") if isinstance(builtins, dict) else None
    if not isinstance(run_eval, RemoteObject):
        fail(
            {
                "en": "Your file replaces __builtins__, so the checks cannot call your code. "
                "Remove that assignment.",
                "zh": "你的文件替换了 __builtins__，检查无法调用你的代码。请删除这一赋值。",
            }
        )
    return run_eval(source, {})


_read_back_cache: dict[int, tuple[Any, Any, Any]] = {}


def _read_back_runners(client: Any) -> tuple[Any, Any]:
    """The two read-back functions, built once per learner process inside the sandbox."""
    cached = _read_back_cache.get(id(client))
    runners = cached[1:] if cached is not None and cached[0] is client else None
    if runners is None:
        handle = RemoteObject(client, 0, "")  # only its client is used
        runners = (
            sandbox_function(handle, _CALL_READ_BACK),
            sandbox_function(handle, _METHOD_READ_BACK),
        )
        _read_back_cache.clear()  # one grading at a time per runner process
        _read_back_cache[id(client)] = (client, *runners)
    return runners


def _call_reading_back(fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Call learner ``fn`` in the sandbox: ``(result, args, kwargs)`` after the call."""
    from lmschool.grading import proxy

    if isinstance(fn, proxy._NamedCallable):
        client = fn._client
        target = client.request({"op": "value", "name": fn._name})
        return _read_back_runners(client)[0](target, list(args), dict(kwargs))
    if isinstance(fn, proxy._BoundMethod):
        client = fn._client
        obj = RemoteObject(client, fn._handle_id, "")
        return _read_back_runners(client)[1](obj, fn._name, list(args), dict(kwargs))
    if isinstance(fn, RemoteObject):
        client = object.__getattribute__(fn, "_client")
        return _read_back_runners(client)[0](fn, list(args), dict(kwargs))
    raise TypeError(f"not a learner function or method: {fn!r}")


def _first_change(before: Any, after: Any, path: str) -> tuple[str, str, str] | None:
    """Where ``after`` first differs from ``before``: (path, was, now), or None."""
    if _is_tensor(before):
        before = before.detach().cpu().numpy()
    if _is_tensor(after):
        after = after.detach().cpu().numpy()
    if isinstance(before, np.ndarray):
        if not isinstance(after, np.ndarray) or after.shape != before.shape:
            now = f"shape {after.shape}" if isinstance(after, np.ndarray) else type(after).__name__
            return path, f"shape {before.shape}", now
        if after.dtype != before.dtype:
            return path, f"dtype {before.dtype}", f"dtype {after.dtype}"
        nan_ok = before.dtype.kind in "fc"
        same = (before == after) | (np.isnan(before) & np.isnan(after) if nan_ok else False)
        if not np.all(same):
            idx = tuple(int(i) for i in np.argwhere(~np.asarray(same))[0])
            return path + _fmt_index(idx), _short(before[idx].item()), _short(after[idx].item())
        return None
    if isinstance(before, dict):
        if not isinstance(after, dict) or set(after) != set(before):
            keys = sorted(map(str, after)) if isinstance(after, dict) else type(after).__name__
            return path, f"keys {sorted(map(str, before))}", f"{keys}"
        for key in before:
            found = _first_change(before[key], after[key], f"{path}[{key!r}]")
            if found:
                return found
        return None
    if isinstance(before, list | tuple):
        if type(after) is not type(before) or len(after) != len(before):
            now = (
                f"length {len(after)}" if isinstance(after, list | tuple) else type(after).__name__
            )
            return path, f"length {len(before)}", now
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            found = _first_change(b, a, f"{path}[{i}]")
            if found:
                return found
        return None
    if isinstance(before, float) and isinstance(after, float):
        if before == after or (math.isnan(before) and math.isnan(after)):
            return None
    elif type(before) is type(after) and before == after:
        return None
    return path, _short(before), _short(after)


def expect_inputs_unchanged(name: str, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
    """Call learner ``fn`` with ``args`` and fail if it changed one of them in place.

    ``fn`` is a learner function or class (``ctx.learner.clean_table``), a method of a
    learner object (``scaler.transform``) or a callable handle. The arguments (data:
    arrays, tensors, lists, dicts, numbers, strings) are compared after the call with
    what was sent, NaN equal to NaN; the message names ``name``, the argument and the
    first element that changed. Returns the call's result, like calling ``fn``; the
    learner's exceptions propagate as usual (``expect_raises`` still works).
    """
    result, args_after, kwargs_after = _call_reading_back(fn, args, kwargs)
    labels = [
        (f"argument {i + 1}", f"第 {i + 1} 个参数", b, a)
        for i, (b, a) in enumerate(zip(args, args_after, strict=True))
    ]
    labels += [(f"argument {k}", f"参数 {k}", kwargs[k], kwargs_after.get(k)) for k in kwargs]
    for en, zh, before, after in labels:
        found = _first_change(before, after, "")
        if found:
            where, was, now = found
            fail(
                {
                    "en": f"{name} changed its input in place: {en}{where} was {was} before "
                    f"the call and is {now} after it. Leave the caller's data alone: work "
                    "on a copy (np.array(x, dtype=float), x.copy(), list(x), dict(x)) and "
                    "return new objects.",
                    "zh": f"{name} 原地修改了输入：{zh}{where} 调用前是 {was}，调用后变成了 "
                    f"{now}。不要改动调用者的数据：在副本上操作（np.array(x, dtype=float)、"
                    "x.copy()、list(x)、dict(x)），并返回新的对象。",
                }
            )
    return result


# --- calling any method of a learner object, operators included ------------------------
#
# ``handle.name(...)`` reaches ordinary methods, but the proxy refuses dunder names so
# that Python's own protocol lookups never travel to the sandbox. A check that must drive
# a learner class through its operators (``a + b`` is ``a.__add__(b)``, ``2 * a`` is
# ``a.__rmul__(2)``) names the method explicitly with ``call_method``.


def call_method(obj: RemoteObject, name: str, /, *args: Any, **kwargs: Any) -> Any:
    """Run ``obj.<name>(*args, **kwargs)`` in the sandbox; dunder methods allowed.

    ``obj`` is a handle to a learner object; arguments are data or further handles. The
    result comes back as data or a handle, and the learner's exceptions propagate as
    :class:`LearnerError` (``expect_raises`` works as usual).
    """
    from lmschool.grading import proxy

    if not isinstance(obj, RemoteObject):
        raise TypeError(f"call_method needs a learner object (a handle), not {obj!r}")
    client = object.__getattribute__(obj, "_client")
    return proxy._BoundMethod(client, obj.handle_id, name)(*args, **kwargs)


# --- learner results as data: arrays, tuples, known mistakes, torch references ---------
#
# A check that computes with the learner's result before comparing it (to name a known
# mistake, to take finite differences) needs it as a plain array first, and a function
# that returns several values must return them as a tuple. These helpers do both with
# messages that say what came back instead.


def as_array(name: str, got: Any, shape: Sequence[int] | None = None) -> np.ndarray:
    """``got`` (learner data) as a float64 NumPy array, or a failure that says why not.

    Refuses a learner object (a handle) and anything that is not numbers, with the
    messages of :func:`expect_array`; with ``shape``, also an array of another shape
    (the message names both shapes, the expected one first). Tensors are converted.
    """
    arr = _as_array(name, got)
    if shape is not None and arr.shape != tuple(shape):
        raise CheckFailure(msg("check.shape", name=name, want=tuple(shape), got=tuple(arr.shape)))
    return arr.astype(np.float64)


def _describe(got: Any) -> tuple[str, str]:
    """What a learner returned, in a few words (en, zh), for a message."""
    if got is None:
        return "None", "None"
    if isinstance(got, RemoteObject):
        return f"an object of type {got.type_name}", f"类型为 {got.type_name} 的对象"
    if isinstance(got, tuple | list):
        kind = type(got).__name__
        return f"a {kind} of {len(got)} values", f"含 {len(got)} 个值的 {kind}"
    if isinstance(got, np.ndarray) or _is_tensor(got):
        shape = tuple(got.shape)
        return f"one array of shape {shape}", f"一个形状为 {shape} 的数组"
    return f"a value of type {type(got).__name__}", f"类型为 {type(got).__name__} 的值"


def as_tuple(name: str, got: Any, fields: Sequence[str]) -> tuple[Any, ...]:
    """``got`` as a tuple of ``len(fields)`` values, or a failure naming the tuple asked for.

    ``fields`` name the parts as the prompt does (``("h_new", "c_new")``); a list of the
    right length is accepted too. The message says what came back instead: another
    number of values, a single array, an object, or ``None``; for ``None`` it adds that
    changing the arguments in place does not reach the caller.
    """
    if isinstance(got, tuple | list) and len(got) == len(fields):
        return tuple(got)
    want = "(" + ", ".join(fields) + ")"
    en, zh = _describe(got)
    hint_en = hint_zh = ""
    if got is None:
        hint_en = (
            " Changing the arguments in place is not enough: the caller works on its "
            "own data, so return the new values."
        )
        hint_zh = "只在原地修改参数是不够的：调用者用的是它自己的数据，所以要返回新的值。"
    fail(
        {
            "en": f"{name} must return a tuple {want} of {len(fields)} values; "
            f"it returned {en}.{hint_en}",
            "zh": f"{name} 必须返回由 {len(fields)} 个值组成的元组 {want}；"
            f"它返回的是{zh}。{hint_zh}",
        }
    )
    raise AssertionError("unreachable")  # pragma: no cover (fail always raises)


def matches(got: Any, want: Any, *, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether ``got`` equals ``want`` within tolerance: the same shapes, close values.

    Both may be numbers, arrays or tensors, or tuples and lists of them (compared part by
    part). It never fails and never raises: a learner object or non-numeric data simply
    does not match. Use it to recognise a known mistake before comparing with the right
    answer: ``if matches(got, variant): fail({...})``.
    """
    if isinstance(want, tuple | list):
        return (
            isinstance(got, tuple | list)
            and len(got) == len(want)
            and all(matches(g, w, rtol=rtol, atol=atol) for g, w in zip(got, want, strict=True))
        )
    if isinstance(got, RemoteObject | str | bytes | dict) or got is None:
        return False
    try:
        g = np.asarray(got.detach().cpu().numpy() if _is_tensor(got) else got, dtype=np.float64)
        w = np.asarray(want.detach().cpu().numpy() if _is_tensor(want) else want, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return g.shape == w.shape and bool(np.allclose(g, w, rtol=rtol, atol=atol))


def set_torch_parameters(module: Any, /, **values: Any) -> Any:
    """Copy arrays into a torch module's parameters or buffers by name; returns ``module``.

    For checks that compare the learner with a torch layer set to the same numbers:
    ``set_torch_parameters(nn.LSTMCell(D, H).double(), weight_ih=W_ih, bias_ih=b_ih)``.
    Each value must have the shape of what it replaces (``copy_`` would broadcast a wrong
    shape silently); a mismatch raises ``ValueError``, a bug in the checks.
    """
    import torch

    with torch.no_grad():
        for attr, value in values.items():
            target = getattr(module, attr)
            source = torch.as_tensor(np.asarray(value), dtype=target.dtype)
            if tuple(source.shape) != tuple(target.shape):
                raise ValueError(
                    f"{attr}: shape {tuple(source.shape)} does not fit {tuple(target.shape)}"
                )
            target.copy_(source)
    return module
