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


# --- expect_inputs_unchanged (graded for real: the call runs in the sandbox) -------------

READ_BACK_CHECKS = """
import numpy as np
from lmschool.grading.checks import (
    check, expect, expect_equal, expect_inputs_unchanged, expect_raises, sandbox_function
)


@check(points=1, title={"en": "function", "zh": "函数"})
def function(ctx):
    table = {"age": np.array([1.0, np.nan, 3.0]), "city": ["a", "b"]}
    out = expect_inputs_unchanged("f(table)", ctx.learner.f, table, k=np.arange(3))
    expect_equal("f(table)", out, 3)


@check(points=1, title={"en": "method", "zh": "方法"})
def method(ctx):
    obj = ctx.learner.C()
    out = expect_inputs_unchanged("C().m(X)", obj.m, np.ones((2, 2)))
    expect_equal("C().m(X)", out, 2.0)


@check(points=1, title={"en": "raises", "zh": "抛出异常"})
def raises(ctx):
    with expect_raises("f(None)", "TypeError"):
        expect_inputs_unchanged("f(None)", ctx.learner.f, None)


@check(points=1, title={"en": "global state", "zh": "全局状态"})
def global_state(ctx):
    draw = sandbox_function(ctx.learner, "lambda: __import__('numpy').random.random()")
    table = {"age": np.zeros(2), "city": []}
    after = []
    for _ in range(2):
        ctx.learner.f(table, k=np.arange(3))
        after.append(draw())
    expect(after[0] != after[1], {"en": "f reseeds np.random", "zh": "f 重设了 np.random 的种子"})
"""

READ_BACK_RIGHT = """
import numpy as np

def f(table, k=None):
    age = np.array(table["age"], dtype=float)
    age[np.isnan(age)] = 0.0
    return len(age) + 0 * len(list(table["city"]))

class C:
    def m(self, X):
        X = X - 1.0
        return float(X.size) / 2
"""


def _read_back_exercise(tmp_path: Any) -> Any:
    folder = tmp_path / "read_back"
    folder.mkdir()
    (folder / "checks.py").write_text(READ_BACK_CHECKS, encoding="utf-8")
    (folder / "solution.py").write_text(READ_BACK_RIGHT, encoding="utf-8")
    return types.SimpleNamespace(
        id="tests/read-back",
        dir=folder,
        names=["f", "C"],
        needs=["numpy"],
        limits=types.SimpleNamespace(cpu_seconds=5, memory_mb=256, wall_seconds=15),
    )


@pytest.mark.parametrize(
    ("source", "failing"),
    [
        (READ_BACK_RIGHT, {}),
        (  # NaN filled in the caller's array
            READ_BACK_RIGHT.replace(
                'np.array(table["age"], dtype=float)', 'np.asarray(table["age"])'
            ),
            {"function": "argument 1['age'][1] was nan before the call and is 0 after it"},
        ),
        (  # a list of the input grows
            READ_BACK_RIGHT.replace('list(table["city"])', 'table["city"] + [None]').replace(
                "return len(age)", 'table["city"].append("c")\n    return len(age)'
            ),
            {"function": "argument 1['city'] was length 2 before the call and is length 3"},
        ),
        (  # a keyword argument changed
            READ_BACK_RIGHT.replace("    age = np", "    k[0] = 5\n    age = np"),
            {"function": "argument k[0] was 0 before the call and is 5 after it"},
        ),
        (  # reaching the learner's process: NumPy's global generator reseeded
            READ_BACK_RIGHT.replace("    age = np", "    np.random.seed(0)\n    age = np"),
            {"global_state": "f reseeds np.random"},
        ),
        (  # a method's in-place update
            READ_BACK_RIGHT.replace("X = X - 1.0", "X -= 1.0"),
            {"method": "C().m(X) changed its input in place: argument 1[0, 0] was 1"},
        ),
    ],
)
def test_inputs_unchanged_and_sandbox_function(
    source: str, failing: dict[str, str], tmp_path: Any, grader: Any
) -> None:
    result = grader.grade(_read_back_exercise(tmp_path), source, seed=1)
    assert result.error is None, result.error
    by_name = {c.name: c for c in result.checks}
    assert {n for n, c in by_name.items() if not c.passed} == set(failing)
    assert by_name["raises"].passed  # the learner's exceptions still reach expect_raises
    for name, text in failing.items():
        message = by_name[name].message
        assert text in message["en"], message["en"]
        assert name == "global_state" or "原地修改了输入" in message["zh"]


# --- call_method: any method of a learner object, operators included ------------------


class _RecordingClient:
    """Stands in for the sandbox: records each request and answers with a fixed value."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def request(self, message: dict[str, Any], **_: Any) -> Any:
        self.requests.append(message)
        return 42.0


def test_call_method_sends_dunder_methods_with_their_arguments() -> None:
    client = _RecordingClient()
    a = RemoteObject(client, 5, "Value")  # type: ignore[arg-type]
    b = RemoteObject(client, 6, "Value")  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        a.__add__  # noqa: B018  (the proxy itself refuses dunder names)
    assert checks.call_method(a, "__add__", b) == 42.0
    assert checks.call_method(a, "__rmul__", 2.0) == 42.0
    assert checks.call_method(a, "tanh") == 42.0
    assert client.requests == [
        {"op": "method", "handle": 5, "name": "__add__", "args": [b], "kwargs": {}},
        {"op": "method", "handle": 5, "name": "__rmul__", "args": [2.0], "kwargs": {}},
        {"op": "method", "handle": 5, "name": "tanh", "args": [], "kwargs": {}},
    ]


def test_call_method_needs_a_handle() -> None:
    with pytest.raises(TypeError):
        checks.call_method(3.0, "__add__", 1.0)  # type: ignore[arg-type]


# --- as_array, as_tuple, matches, set_torch_parameters ---------------------------------


def test_as_array_converts_learner_data_to_float64() -> None:
    got = checks.as_array("y", [[1, 2], [3, 4]])
    assert got.dtype == np.float64 and got.shape == (2, 2)
    assert checks.as_array("y", torch.ones(3, dtype=torch.float32), shape=(3,)).dtype == np.float64
    assert checks.as_array("y", 2.5).shape == ()


def test_as_array_refuses_handles_text_and_other_shapes() -> None:
    text = failure(lambda: checks.as_array("h_new", handle("Cell")))
    assert "h_new" in text["en"] and "Cell" in text["en"] and "Cell" in text["zh"]
    failure(lambda: checks.as_array("h_new", "0.5"))
    text = failure(lambda: checks.as_array("dW", np.zeros((3, 2)), shape=(2, 3)))
    for lang in LANGS:
        assert "dW" in text[lang] and "(2, 3)" in text[lang] and "(3, 2)" in text[lang]


def test_as_tuple_accepts_tuples_and_lists_of_the_right_length() -> None:
    a, b = np.zeros(2), np.ones(2)
    assert checks.as_tuple("f(x)", (a, b), ("w", "b")) == (a, b)
    assert checks.as_tuple("f(x)", [a, b], ("w", "b")) == (a, b)


@pytest.mark.parametrize(
    ("got", "en", "zh"),
    [
        ((1.0, 2.0, 3.0), "a tuple of 3 values", "含 3 个值的 tuple"),
        (np.zeros((2, 2)), "one array of shape (2, 2)", "形状为 (2, 2) 的数组"),
        (handle("Pair"), "an object of type Pair", "类型为 Pair 的对象"),
        (None, "None", "None"),
        (3, "a value of type int", "类型为 int 的值"),
    ],
)
def test_as_tuple_says_what_came_back(got: Any, en: str, zh: str) -> None:
    text = failure(lambda: checks.as_tuple("f(x)", got, ("w", "b")))
    assert "f(x) must return a tuple (w, b) of 2 values" in text["en"]
    assert "(w, b)" in text["zh"] and "2 个值" in text["zh"]
    assert en in text["en"] and zh in text["zh"]
    assert ("in place" in text["en"]) == (got is None)  # None: an in-place update, said so
    assert ("原地" in text["zh"]) == (got is None)


def test_as_tuple_keeps_braces_in_names_as_written() -> None:
    text = failure(lambda: checks.as_tuple("f({x})", 1.0, ("a", "b")))
    assert "f({x})" in text["en"] and "f({x})" in text["zh"]


def test_matches_compares_shapes_and_values_part_by_part() -> None:
    w = np.arange(6.0).reshape(2, 3)
    assert checks.matches(w + 1e-9, w)
    assert checks.matches(torch.from_numpy(w), w)
    assert checks.matches(w.tolist(), w)  # a nested list is data, compared as an array
    assert checks.matches((w, 2.0), (w, 2.0 + 1e-12))
    assert checks.matches([w, 2.0], (w, 2.0))
    assert not checks.matches(w.T, w)  # another shape
    assert not checks.matches(w.ravel(), w)
    assert not checks.matches(w + 1e-3, w)
    assert not checks.matches((w, 3.0), (w, 2.0))
    assert not checks.matches((w,), (w, 2.0))
    assert not checks.matches(w, (w, 2.0))
    assert not checks.matches(handle(), w)
    assert not checks.matches(None, 0.0)
    assert not checks.matches("text", 0.0)
    assert not checks.matches(np.array([np.nan]), np.array([np.nan]))  # NaN is no match
    assert checks.matches(1.0, 1.5, rtol=0.5)


def test_set_torch_parameters_copies_by_name_and_refuses_other_shapes() -> None:
    bn = torch.nn.BatchNorm1d(3).double()
    out = checks.set_torch_parameters(
        bn, weight=np.array([1.0, 2.0, 3.0]), running_var=np.array([4.0, 5.0, 6.0])
    )
    assert out is bn
    assert bn.weight.tolist() == [1.0, 2.0, 3.0] and bn.weight.dtype == torch.float64
    assert bn.running_var.tolist() == [4.0, 5.0, 6.0]
    assert bn.weight.requires_grad  # still a parameter
    with pytest.raises(ValueError, match="bias"):
        checks.set_torch_parameters(bn, bias=np.zeros(1))  # copy_ would broadcast it
    with pytest.raises(AttributeError):
        checks.set_torch_parameters(bn, no_such_parameter=np.zeros(3))
