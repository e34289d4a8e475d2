"""The check author API (lmschool.grading.checks), called directly: no sandbox."""

from __future__ import annotations

import string
import types
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

from lmschool.grading import checks
from lmschool.grading.checks import (
    CheckFailure,
    check,
    collect_checks,
    expect,
    expect_array,
    expect_close,
    expect_equal,
    expect_raises,
    fail,
)
from lmschool.grading.proxy import LearnerError, RemoteObject
from lmschool.i18n import LANGS, MESSAGES, Msg, msg


def handle(type_name: str = "Scaler", hid: int = 3) -> RemoteObject:
    """A learner object as checks see it; no client is needed to refuse it."""
    return RemoteObject(None, hid, type_name)  # type: ignore[arg-type]


def failure(fn: Callable[[], Any]) -> dict[str, str]:
    """Run a helper that must fail; return its message, checked to be bilingual."""
    with pytest.raises(CheckFailure) as info:
        fn()
    text = info.value.message.both()
    assert set(text) == set(LANGS)
    assert text["en"].strip() and text["zh"].strip()
    assert text["en"] != text["zh"]
    return text


def learner_error(type_name: str, *bases: str, message: str = "boom") -> LearnerError:
    mro = [type_name, *bases, "Exception", "BaseException", "object"]
    return LearnerError(type_name, mro, message, '  File "submission.py", line 3\n')


# --- expect_array -----------------------------------------------------------------------


def test_array_equal_values_pass() -> None:
    want = np.arange(6.0).reshape(2, 3)
    expect_array("f(X)", want.copy(), want)
    expect_array("f(X)", want.tolist(), want)  # lists are arrays too
    expect_array("f(X)", tuple(map(tuple, want.tolist())), want)
    expect_array("f(X)", np.zeros((0, 3)), np.zeros((0, 3)))  # empty: nothing to compare
    expect_array("f(X)", 2.0, np.float64(2.0))  # 0-d
    expect_array("f(X)", np.array([True, False]), np.array([1, 0]))


def test_shape_message_names_both_shapes() -> None:
    text = failure(lambda: expect_array("f(X)", np.zeros((3, 2)), np.zeros((2, 3))))
    for lang in LANGS:
        assert "f(X)" in text[lang]
        assert "(2, 3)" in text[lang] and "(3, 2)" in text[lang]
    assert text["en"].index("(2, 3)") < text["en"].index("(3, 2)")  # expected first
    failure(lambda: expect_array("f(X)", np.zeros(6), np.zeros((2, 3))))
    failure(lambda: expect_array("f(X)", 0.0, np.zeros(1)))


def test_first_mismatch_index_and_values() -> None:
    want = np.zeros((3, 4))
    got = want.copy()
    got[1, 2] = 5.0
    got[2, 0] = 7.0
    text = failure(lambda: expect_array("f(X)", got, want))
    for lang in LANGS:
        assert "[1, 2]" in text[lang]  # the first one, in C order
        assert "[2, 0]" not in text[lang]
        assert "5" in text[lang] and "0" in text[lang]
        assert "2" in text[lang] and "12" in text[lang]  # 2 of 12 values differ
    assert "2 of 12" in text["en"]
    assert "expected 0, got 5" in text["en"]


def test_nan_and_infinity_messages() -> None:
    want = np.ones((2, 2))
    got = want.copy()
    got[0, 1] = np.nan
    text = failure(lambda: expect_array("f(X)", got, want))
    for lang in LANGS:
        assert "NaN" in text[lang] and "[0, 1]" in text[lang]
    got[0, 1] = np.inf
    assert "[0, 1]" in failure(lambda: expect_array("f(X)", got, want))["en"]
    # NaN where the reference has NaN too is fine
    want_nan = np.array([1.0, np.nan])
    expect_array("f(X)", np.array([1.0, np.nan]), want_nan)
    failure(lambda: expect_array("f(X)", np.array([1.0, 2.0]), want_nan))


def test_tensors_accepted_on_both_sides() -> None:
    want = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    expect_array("f(x)", want.clone(), want)
    expect_array("f(x)", want.clone(), want.numpy())
    expect_array("f(x)", want.numpy(), want)
    expect_array("f(x)", torch.nn.Parameter(want.clone()), want)
    bad = want.clone()
    bad[1, 1] = -1
    assert "[1, 1]" in failure(lambda: expect_array("f(x)", bad, want))["en"]
    assert "(3, 2)" in failure(lambda: expect_array("f(x)", want.T, want))["en"]


def test_tolerance_respected() -> None:
    want = np.array([1.0, 100.0, 1e-9])
    expect_array("f", want * (1 + 1e-7), want)  # default rtol=1e-5
    failure(lambda: expect_array("f", want * (1 + 1e-3), want))
    expect_array("f", want * (1 + 1e-3), want, rtol=1e-2)
    failure(lambda: expect_array("f", want + 1e-6, want, rtol=0, atol=1e-8))
    expect_array("f", want + 1e-6, want, rtol=0, atol=1e-5)
    text = failure(lambda: expect_array("f", want * 2, want, rtol=0.25, atol=0.5))
    assert "rtol=0.25" in text["en"] and "atol=0.5" in text["en"]
    assert "rtol=0.25" in text["zh"] and "atol=0.5" in text["zh"]


def test_dtype_kind() -> None:
    expect_array("f", np.array([1.0, 2.0]), np.array([1, 2]), dtype_kind="f")
    text = failure(
        lambda: expect_array("f", np.array([1, 2]), np.array([1.0, 2.0]), dtype_kind="f")
    )
    assert "int64" in text["en"] and "float64" in text["en"]
    expect_array("f", np.array([1, 2], dtype=np.uint8), np.array([1, 2]), dtype_kind="iu")


@pytest.mark.parametrize("type_name", ["Scaler", "submission.Fake", "ArraySub"])
def test_handle_refused_with_type_name(type_name: str) -> None:
    text = failure(lambda: expect_array("f(X)", handle(type_name), np.zeros(3)))
    assert "returned an object of type " + type_name in text["en"]
    assert type_name in text["zh"] and "一个数组" in text["zh"]


@pytest.mark.parametrize(
    "got",
    [
        "1.0",
        {"a": 1},
        None,
        np.array(["a", "b"]),
        np.array([1 + 2j]),
        np.array([1, "a"], dtype=object),
        [[1, 2], [3]],  # ragged
        b"\x00\x01",
    ],
    ids=repr,
)
def test_non_numeric_values_refused(got: Any) -> None:
    text = failure(lambda: expect_array("f(X)", got, np.zeros(2)))
    assert "f(X)" in text["en"] and "expected an array" in text["en"]


# --- expect_close -----------------------------------------------------------------------


def test_close_numbers() -> None:
    expect_close("loss", 0.5, 0.5)
    expect_close("loss", 0.5 + 1e-9, 0.5)
    expect_close("loss", np.float32(0.25), 0.25)
    expect_close("loss", 3, 3.0)
    expect_close("loss", np.int64(3), 3.0)
    expect_close("loss", np.array([0.5]), 0.5)  # one-element arrays and tensors
    expect_close("loss", np.array(0.5), 0.5)
    expect_close("loss", torch.tensor(0.5), 0.5)
    expect_close("loss", torch.tensor([[0.5]]), 0.5)
    expect_close("loss", float("nan"), float("nan"))
    expect_close("loss", float("inf"), float("inf"))
    expect_close("loss", 1.0, 1.01, rtol=0.05)


def test_close_failures() -> None:
    text = failure(lambda: expect_close("loss", 0.6, 0.5))
    for lang in LANGS:
        assert "loss" in text[lang] and "0.5" in text[lang] and "0.6" in text[lang]
    failure(lambda: expect_close("loss", float("nan"), 0.5))
    failure(lambda: expect_close("loss", 0.5, float("nan")))
    failure(lambda: expect_close("loss", float("inf"), 0.5))
    failure(lambda: expect_close("loss", float("inf"), float("-inf")))
    failure(lambda: expect_close("loss", 1.0, 1.01))


@pytest.mark.parametrize(
    "got", [True, "0.5", [0.5], None, np.array([0.5, 0.5]), torch.ones(2), 1 + 0j], ids=repr
)
def test_close_refuses_non_numbers(got: Any) -> None:
    text = failure(lambda: expect_close("loss", got, 0.5))
    assert "a number" in text["en"] and "一个数" in text["zh"]


def test_close_refuses_handles() -> None:
    text = failure(lambda: expect_close("loss", handle("FloatSub"), 0.0))
    assert "returned an object of type FloatSub" in text["en"]
    assert "FloatSub" in text["zh"]


# --- expect_equal -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "got, want",
    [
        (3, 3),
        (np.int64(3), 3),
        (3, 3.0),
        ("abc", "abc"),
        ([1, 2], [1, 2]),
        ((1, 2), [1, 2]),  # sequences compare by items
        ([1, 2], (1, 2)),
        ({"a": [1, 2]}, {"a": [1, 2]}),
        (None, None),
        (b"x", b"x"),
        (True, True),
    ],
    ids=repr,
)
def test_equal_passes(got: Any, want: Any) -> None:
    expect_equal("f()", got, want)


@pytest.mark.parametrize(
    "got, want",
    [
        (3, 4),
        ("3", 3),
        (True, 1),  # a bool is not a number here
        (1, True),
        ("abc", "abd"),
        ({"a": 1}, {"a": 2}),
        ([1, "2"], [1, 2]),
        (None, 0),
        (np.float64("nan"), float("nan")),
    ],
    ids=repr,
)
def test_equal_failures(got: Any, want: Any) -> None:
    text = failure(lambda: expect_equal("f()", got, want))
    assert "f()" in text["en"] and "f()" in text["zh"]
    assert repr(want) in text["en"]


def test_equal_length_message() -> None:
    text = failure(lambda: expect_equal("f()", [1, 2, 3], [1, 2]))
    assert "2" in text["en"] and "3" in text["en"] and "items" in text["en"]


@pytest.mark.parametrize(
    "got, want",
    [
        ([np.array([1, 2])], [[1, 2]]),
        ({"a": np.array([1, 2])}, {"a": [1, 2]}),
        ([torch.tensor([1, 2])], [[1, 2]]),
    ],
    ids=["array-in-list", "array-in-dict", "tensor-in-list"],
)
def test_equal_with_arrays_inside_containers_is_a_check_failure(got: Any, want: Any) -> None:
    """Learner data that has no single truth value is a failed check, never a crash
    of the check (which the runner would report as an internal grader error)."""
    failure(lambda: expect_equal("f()", got, want))


def test_equal_never_consults_learner_eq() -> None:
    text = failure(lambda: expect_equal("f()", handle("AlwaysEq"), "anything"))
    assert "<AlwaysEq object>" in text["en"]
    # two handles naming the same learner object are equal by identity only
    h = handle("Model", 5)
    assert h == RemoteObject(None, 5, "Model")  # type: ignore[arg-type]
    assert h != handle("Model", 6) and h != 5


def test_remote_objects_are_read_only() -> None:
    h = handle()
    with pytest.raises(AttributeError):
        h.mean_ = 1
    with pytest.raises(AttributeError):
        h.__array__  # noqa: B018  dunder lookups never reach the learner


# --- expect_raises ----------------------------------------------------------------------


def test_raises_accepts_the_named_exception_and_subclasses() -> None:
    with expect_raises("predict before fit", "RuntimeError"):
        raise learner_error("RuntimeError")
    with expect_raises("predict before fit", "RuntimeError"):
        raise learner_error("NotFittedError", "RuntimeError")
    with expect_raises("predict before fit", "ValueError", "KeyError"):
        raise learner_error("KeyError", "LookupError")
    with expect_raises("anything"):
        raise learner_error("ZeroDivisionError", "ArithmeticError")


def test_raises_wrong_exception() -> None:
    def wrong() -> None:
        with expect_raises("predict before fit", "RuntimeError"):
            raise learner_error("TypeError", message="unsupported operand")

    text = failure(wrong)
    for lang in LANGS:
        assert "RuntimeError" in text[lang] and "TypeError" in text[lang]
        assert "unsupported operand" in text[lang]


def test_raises_when_nothing_raised() -> None:
    def quiet() -> None:
        with expect_raises("predict before fit", "RuntimeError", "ValueError"):
            pass

    text = failure(quiet)
    assert "RuntimeError / ValueError" in text["en"] and "RuntimeError / ValueError" in text["zh"]


def test_raises_lets_trusted_errors_through() -> None:
    # a bug in the check itself is not the learner's exception
    with pytest.raises(KeyError), expect_raises("x", "KeyError"):
        raise KeyError("trusted side")


def test_learner_error_fields() -> None:
    exc = learner_error("NotFittedError", "RuntimeError", message="call fit first")
    assert str(exc) == "NotFittedError: call fit first"
    assert exc.mro[:2] == ["NotFittedError", "RuntimeError"]
    assert "submission.py" in exc.traceback


# --- fail, expect, the decorator ---------------------------------------------------------


def test_fail_and_expect_with_author_messages() -> None:
    text = failure(lambda: fail({"en": "wrong", "zh": "错了"}))
    assert text == {"en": "wrong", "zh": "错了"}
    expect(True, {"en": "never", "zh": "不会"})
    assert failure(lambda: expect(0, {"en": "zero", "zh": "零"}))["zh"] == "零"
    with pytest.raises(ValueError, match="zh"):
        fail({"en": "English only"})


def test_check_decorator_and_collection_order() -> None:
    mod = types.ModuleType("fake_checks")

    @check(points=2, title={"en": "B", "zh": "乙"})
    def second(ctx: Any) -> None: ...

    @check()
    def first(ctx: Any) -> None: ...

    mod.z_second, mod.a_first, mod.helper = second, first, lambda: None
    found = collect_checks(mod)
    assert [c.name for c in found] == ["second", "first"]  # definition order, not by name
    assert found[0].points == 2.0 and found[0].title["zh"] == "乙" and found[1].points == 1.0
    with pytest.raises(ValueError):
        check(points=0)


def test_check_seed_is_stable_and_per_check() -> None:
    def draw(seed: int, name: str) -> float:
        return float(np.random.default_rng(checks.check_seed(seed, name)).random())

    assert draw(1, "a") == draw(1, "a")
    assert draw(1, "a") != draw(2, "a")
    assert draw(1, "a") != draw(1, "b")
    assert draw(2**40 + 1, "a") == draw(1, "a")  # the seed is taken modulo 2**32


# --- the message catalogue -----------------------------------------------------------------


def _fields(text: str) -> set[tuple[str, str | None, str]]:
    return {
        (name, conv, spec)
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    }


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_en_and_zh_with_the_same_placeholders(key: str) -> None:
    texts = MESSAGES[key]
    assert set(texts) == set(LANGS), key
    assert texts["en"].strip() and texts["zh"].strip()
    if key not in ("doctor.python", "doctor.numpy", "doctor.torch"):  # proper names
        assert texts["en"] != texts["zh"]
    assert _fields(texts["en"]) == _fields(texts["zh"]), key


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_renders(key: str) -> None:
    names = {name for name, _, _ in _fields(MESSAGES[key]["en"])}
    sample = {n: 1.5 for n in names}
    both = msg(key, **sample).both()
    assert all(both[lang] for lang in LANGS)


def test_msg_requires_both_languages() -> None:
    with pytest.raises(ValueError):
        Msg({"en": "only English"})
    with pytest.raises(KeyError):
        msg("no.such.key")
    assert str(msg("check.passed")) == "Passed."


def test_expect_raises_does_not_reward_a_starters_placeholder() -> None:
    from lmschool.grading.checks import CheckFailure, expect_raises
    from lmschool.grading.proxy import LearnerError

    placeholder = LearnerError(
        "NotImplementedError", ["NotImplementedError", "RuntimeError", "Exception"], "todo", ""
    )
    with pytest.raises(CheckFailure), expect_raises("predict before fit", "RuntimeError"):
        raise placeholder
    with expect_raises("not implemented", "NotImplementedError"):
        raise placeholder


def test_author_messages_keep_their_braces() -> None:
    from lmschool.grading.checks import CheckFailure, fail

    with pytest.raises(CheckFailure) as info:
        fail({"en": "expected {'a': 1}", "zh": "期望 {'a': 1}"})
    assert info.value.message.both() == {"en": "expected {'a': 1}", "zh": "期望 {'a': 1}"}
