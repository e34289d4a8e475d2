"""The data-only wire format: round trips, strict decoding, and framing over pipes."""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import msgpack
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lmschool.grading import wire
from lmschool.grading.wire import ChannelClosed, Deadline, Handle, WireError, decode, encode

DTYPES = sorted(wire.ALLOWED_DTYPES)


def roundtrip(value: Any, **kwargs: Any) -> Any:
    return decode(encode(value, **kwargs))


def same(a: Any, b: Any) -> bool:
    """Exact structural equality: same types, same dtypes and shapes, same bytes."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray | np.generic):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, float):
        return struct.pack("<d", a) == struct.pack("<d", b) or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return a == b


# --- strategies --------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.integers(min_value=-(10**60), max_value=10**60),  # beyond 64 bits: EXT_BIGINT
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.binary(max_size=20),
)
arrays = st.sampled_from(DTYPES).flatmap(
    lambda d: hnp.arrays(
        dtype=np.dtype(d),
        shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
    )
)
np_scalars = st.sampled_from(DTYPES).flatmap(
    lambda d: hnp.from_dtype(np.dtype(d)).map(lambda v, d=d: np.dtype(d).type(v))
)
keys = st.one_of(st.text(max_size=8), st.integers(min_value=-(2**63), max_value=2**63 - 1))
data = st.recursive(
    st.one_of(scalars, arrays, np_scalars),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.dictionaries(keys, children, max_size=4),
    ),
    max_leaves=12,
)


# --- round trips -----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(data)
def test_roundtrip_nested_data(value: Any) -> None:
    back = roundtrip(value)
    assert same(back, value), (value, back)


@settings(max_examples=200, deadline=None)
@given(arrays)
def test_roundtrip_arrays_keep_dtype_shape_and_bytes(arr: np.ndarray) -> None:
    back = roundtrip(arr)
    assert type(back) is np.ndarray
    assert back.dtype == arr.dtype and back.shape == arr.shape
    assert back.tobytes() == arr.tobytes()
    assert back.flags.writeable  # a copy, not a view of the frame


@settings(max_examples=100, deadline=None)
@given(np_scalars)
def test_roundtrip_numpy_scalars(value: np.generic) -> None:
    back = roundtrip(value)
    assert type(back) is type(value) and back.tobytes() == value.tobytes()


@pytest.mark.parametrize("shape", [(), (1,), (0,), (2, 0, 3), (1, 1, 1)])
def test_zero_d_and_empty_arrays_keep_their_shape(shape: tuple[int, ...]) -> None:
    arr = np.arange(math.prod(shape), dtype=np.float64).reshape(shape)
    back = roundtrip(arr)
    assert back.shape == shape and same(back, arr)


def test_numpy_scalar_is_a_scalar_not_an_array() -> None:
    for value in (np.float64(1.5), np.int64(-3), np.bool_(True), np.complex64(1 + 2j)):
        back = roundtrip(value)
        assert type(back) is type(value) and back == value


@pytest.mark.parametrize("dtype", [">i4", ">f8", ">c16", "<u2"])
def test_byte_order_is_normalised(dtype: str) -> None:
    arr = np.arange(6).reshape(2, 3).astype(dtype)
    back = roundtrip(arr)
    assert back.dtype.name == arr.dtype.name
    assert back.dtype.isnative
    np.testing.assert_array_equal(back, arr)


def test_non_contiguous_arrays() -> None:
    arr = np.arange(12.0).reshape(3, 4)
    for view in (arr.T, arr[:, ::2], arr[::-1]):
        back = roundtrip(view)
        assert back.shape == view.shape
        np.testing.assert_array_equal(back, view)


def test_tuples_stay_tuples_and_lists_stay_lists() -> None:
    value = {"t": (1, (2, [3, (4,)])), "e": (), "l": [()]}
    back = roundtrip(value)
    assert same(back, value)
    assert type(back["t"][1]) is tuple and type(back["t"][1][1]) is list


def test_dict_keys_of_every_scalar_kind() -> None:
    value = {"a": 1, 2: "b", -3: None, 1.5: 2.5, None: 0, True: False}
    assert same(roundtrip(value), value)


@pytest.mark.parametrize("n", [2**64, -(2**63) - 1, 10**300, -(10**4000)])
def test_big_integers(n: int) -> None:
    assert roundtrip(n) == n and type(roundtrip(n)) is int


TORCH_DTYPES = [
    torch.float32,
    torch.float64,
    torch.float16,
    torch.bfloat16,
    torch.int64,
    torch.int32,
    torch.int16,
    torch.int8,
    torch.uint8,
    torch.bool,
    torch.complex64,
]


@pytest.mark.parametrize("dtype", TORCH_DTYPES, ids=str)
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (0, 2)])
def test_tensor_roundtrip_keeps_dtype(dtype: torch.dtype, shape: tuple[int, ...]) -> None:
    t = (torch.arange(math.prod(shape)).reshape(shape) % 7 - 3).to(dtype)
    back = roundtrip(t)
    assert isinstance(back, torch.Tensor)
    assert back.dtype == dtype and tuple(back.shape) == shape
    assert torch.equal(back, t)


def test_tensor_detached_noncontiguous_and_parameters() -> None:
    w = torch.nn.Parameter(torch.randn(3, 4))
    back = roundtrip({"w": w, "wt": w.T, "grad": (w * 2).sum()})
    assert type(back["w"]) is torch.Tensor and not back["w"].requires_grad
    assert torch.equal(back["w"], w.detach())
    assert torch.equal(back["wt"], w.detach().T)
    assert back["grad"].shape == () and torch.allclose(back["grad"], (w * 2).sum().detach())


class Opaque:
    pass


def test_handles_for_objects_that_are_not_data() -> None:
    objects: list[Any] = []

    def to_handle(obj: Any) -> Handle:
        objects.append(obj)
        return Handle(len(objects), type(obj).__name__)

    thing, other = Opaque(), Opaque()
    body = encode({"x": thing, "y": [other, 1]}, to_handle=to_handle)
    back = decode(body)
    assert isinstance(back["x"], Handle) and (back["x"].id, back["x"].type_name) == (1, "Opaque")
    assert back["y"][0].id == 2 and back["y"][1] == 1
    assert objects == [thing, other]
    built = decode(body, make_handle=lambda hid, name: ("handle", hid, name))
    assert built["x"] == ("handle", 1, "Opaque")
    # a Handle itself encodes as a handle, without to_handle
    assert roundtrip(Handle(9, "Scaler")).id == 9
    assert "9" in repr(Handle(9, "Scaler"))


@pytest.mark.parametrize(
    "value",
    [Opaque(), {1, 2}, frozenset(), object(), np.str_("a"), np.array(["a"]), np.array([1], object)],
    ids=lambda v: type(v).__name__,
)
def test_encode_refuses_what_is_not_data_without_handles(value: Any) -> None:
    with pytest.raises(WireError):
        encode(value)


def test_subclasses_of_data_types_become_handles() -> None:
    """A learner's ``float``/``list``/``ndarray`` subclass may override ``__eq__``: it
    is never sent as data, only as a handle."""

    class F(float):
        pass

    class L(list):
        pass

    class A(np.ndarray):
        pass

    seen: list[str] = []

    def to_handle(obj: Any) -> Handle:
        seen.append(type(obj).__name__)
        return Handle(len(seen), type(obj).__name__)

    back = decode(encode([F(1.0), L([1]), np.zeros(2).view(A)], to_handle=to_handle))
    assert all(isinstance(b, Handle) for b in back)
    assert seen == ["F", "L", "A"]


def test_object_dtype_array_refused_on_encode() -> None:
    with pytest.raises(WireError, match="dtype"):
        encode(np.array([1, "a"], dtype=object))


# --- strict decoding ---------------------------------------------------------------------------


def _ext(code: int, payload: bytes) -> bytes:
    return msgpack.packb(msgpack.ExtType(code, payload), use_bin_type=True)


def _array_ext(name: Any, shape: Any, raw: Any, code: int = wire.EXT_NDARRAY) -> bytes:
    return _ext(code, msgpack.packb([name, shape, raw], use_bin_type=True))


@pytest.mark.parametrize("name", ["object", "O", "<U1", "str", "V8", "datetime64[s]", "float128"])
def test_refuses_dtypes_outside_the_whitelist(name: str) -> None:
    with pytest.raises(WireError, match="not allowed"):
        decode(_array_ext(name, [1], b"\0" * 8))


@pytest.mark.parametrize(
    "shape, raw",
    [
        ([2, 3], b"\0" * 8),  # 6 float64 need 48 bytes
        ([2, 3], b"\0" * 56),
        ([], b""),
        ([0], b"\0" * 8),
        ([-1], b""),
        ([True], b"\0" * 8),
        ([1.0], b"\0" * 8),
        ([1] * 33, b"\0" * 8),
        ("2", b"\0" * 8),
        ([1], "text, not bytes"),
        ([2**62, 2**62], b""),
    ],
)
def test_refuses_shape_and_byte_count_mismatch(shape: Any, raw: Any) -> None:
    with pytest.raises(WireError):
        decode(_array_ext("float64", shape, raw))


def test_refuses_malformed_array_payloads() -> None:
    for payload in (b"", b"\xc1", msgpack.packb(["float64", [1]]), msgpack.packb(5)):
        with pytest.raises(WireError):
            decode(_ext(wire.EXT_NDARRAY, payload))


def test_numpy_scalar_ext_needs_shape_zero_d() -> None:
    with pytest.raises(WireError, match="shape"):
        decode(_array_ext("float64", [1], b"\0" * 8, code=wire.EXT_NPSCALAR))


@pytest.mark.parametrize("code", [0, 7, 42, 127, -2, -100, -128])
def test_refuses_unknown_extension_codes(code: int) -> None:
    body = b"\xc7\x07" + struct.pack(">b", code) + b"payload"  # ext 8, built by hand
    with pytest.raises(WireError, match="unknown extension"):
        decode(body)


@pytest.mark.parametrize("body", [b"\xd6\xff\x00\x00\x00\x05", b"\xd7\xff" + b"\x00" * 7 + b"\x05"])
def test_msgpack_timestamps_decode_as_plain_floats(body: bytes) -> None:
    """msgpack decodes its reserved ext -1 itself (ext_hook never sees it): it must
    come out as data, not as a msgpack.Timestamp object."""
    assert same(decode(body), 5.0)
    assert same(decode(msgpack.packb([msgpack.Timestamp(7, 0)])), [7.0])


@pytest.mark.parametrize(
    "body",
    [
        msgpack.packb({(1, 2): "list key"}),
        msgpack.packb({b"bytes": "bytes key"}, use_bin_type=True),
        b"\x81" + _ext(wire.EXT_TUPLE, msgpack.packb([1])) + b"\x01",  # tuple key
        b"\x81" + _array_ext("int8", [1], b"\x01") + b"\x01",  # array key
        b"\x81" + _ext(wire.EXT_HANDLE, msgpack.packb([1, "X"])) + b"\x01",  # handle key
        b"\x81\x80\x01",  # dict key
    ],
    ids=["list", "bytes", "tuple", "array", "handle", "dict"],
)
def test_refuses_non_scalar_map_keys(body: bytes) -> None:
    with pytest.raises(WireError):
        decode(body)


@pytest.mark.parametrize(
    "body",
    [
        _ext(wire.EXT_TUPLE, msgpack.packb(5)),
        _ext(wire.EXT_HANDLE, msgpack.packb(["1", "X"])),
        _ext(wire.EXT_HANDLE, msgpack.packb([1, 2])),
        _ext(wire.EXT_HANDLE, msgpack.packb([1])),
        _ext(wire.EXT_BIGINT, b"12a"),
        _ext(wire.EXT_BIGINT, b"1" * 6000),
        _ext(wire.EXT_BIGINT, b"\xff"),
        _ext(wire.EXT_BIGINT, b""),
        _ext(wire.EXT_TENSOR, msgpack.packb(["object", _array_ext("int8", [1], b"\x01")])),
        _ext(wire.EXT_TENSOR, msgpack.packb(["float32", b"junk"])),
        b"\xa2\xff\xfe",  # invalid UTF-8 in a str
        b"\x92\x01",  # truncated list
        b"\x01\x02",  # extra data
        b"\xc1",  # never-used byte
        b"",
        b"\x91" * 100_000 + b"\xc0",  # nesting far too deep
    ],
)
def test_refuses_malformed_frames(body: bytes) -> None:
    with pytest.raises(WireError):
        decode(body)


def test_handle_type_names_are_truncated() -> None:
    back = decode(_ext(wire.EXT_HANDLE, msgpack.packb([3, "T" * 10_000])))
    assert isinstance(back, Handle) and len(back.type_name) == 200


class Evil:
    ran = False

    def __reduce__(self) -> Any:
        return (Evil._trigger, ())

    @staticmethod
    def _trigger() -> str:
        Evil.ran = True
        return "unpickled!"


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_decode_never_unpickles(protocol: int) -> None:
    Evil.ran = False
    payloads = [
        pickle.dumps(Evil(), protocol=protocol),
        pickle.dumps({"x": Evil()}, protocol=protocol),
        _ext(wire.EXT_NDARRAY, pickle.dumps(Evil(), protocol=protocol)),
        _ext(wire.EXT_TENSOR, pickle.dumps(Evil(), protocol=protocol)),
        _array_ext("object", [1], pickle.dumps(Evil(), protocol=protocol)),
        msgpack.packb({"seq": 1, "ok": pickle.dumps(Evil(), protocol=protocol)}),
    ]
    for body in payloads:
        try:
            value = decode(body)
        except WireError:
            continue
        # whatever decoded is plain data: pickled bytes stay bytes
        assert not isinstance(value, Evil) and value != "unpickled!"
        assert type(value) in (dict, list, int, str, bytes, type(None), bool, float, tuple)
    assert not Evil.ran


def test_numpy_save_format_with_pickle_is_not_loaded() -> None:
    import io

    buf = io.BytesIO()
    np.save(buf, np.array([Evil()], dtype=object), allow_pickle=True)
    Evil.ran = False
    with pytest.raises(WireError):
        decode(_array_ext("object", [1], buf.getvalue()))
    assert not Evil.ran


# --- framing over file descriptors ----------------------------------------------------------


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    r, w = os.pipe()
    fds = {r, w}
    yield r, w
    for fd in fds:
        with contextlib.suppress(OSError):  # a test may have closed it already
            os.close(fd)


def _write_in_thread(fd: int, data: bytes, close: bool = False) -> threading.Thread:
    def work() -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if close:
            os.close(fd)

    t = threading.Thread(target=work, daemon=True)
    t.start()
    return t


def test_frames_roundtrip_over_a_pipe(pipe: tuple[int, int]) -> None:
    r, w = pipe
    messages = [{"seq": 1, "ok": np.arange(5)}, [], "x" * 10, {"big": np.zeros(300_000)}]
    bodies = [encode(m) for m in messages]

    def writer() -> None:
        for body in bodies:
            wire.write_frame(w, body)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    deadline = time.monotonic() + 10
    got = [decode(wire.read_frame(r, deadline=deadline)) for _ in messages]
    t.join(5)
    assert all(same(a, b) for a, b in zip(got, messages, strict=True))


def test_empty_body_frame(pipe: tuple[int, int]) -> None:
    r, w = pipe
    wire.write_frame(w, b"")
    assert wire.read_frame(r) == b""


def test_oversized_frame_refused_before_reading(pipe: tuple[int, int]) -> None:
    r, w = pipe
    os.write(w, struct.pack(">I", 1025))  # a header only: the body is never sent
    with pytest.raises(WireError, match="exceeds") as info:
        wire.read_frame(r, deadline=time.monotonic() + 5, max_size=1024)
    assert type(info.value) is WireError  # not ChannelClosed, not Deadline: it did not wait


def test_default_frame_limit(pipe: tuple[int, int]) -> None:
    r, w = pipe
    os.write(w, struct.pack(">I", wire.MAX_FRAME + 1))
    with pytest.raises(WireError, match="exceeds"):
        wire.read_frame(r, deadline=time.monotonic() + 5)


def test_frame_at_the_limit_is_read(pipe: tuple[int, int]) -> None:
    r, w = pipe
    t = _write_in_thread(w, struct.pack(">I", 4096) + b"a" * 4096)
    assert wire.read_frame(r, deadline=time.monotonic() + 5, max_size=4096) == b"a" * 4096
    t.join(5)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00\x00", struct.pack(">I", 100) + b"x" * 10, struct.pack(">I", 1)],
    ids=["nothing", "half-header", "short-body", "header-only"],
)
def test_truncated_frames_raise_channel_closed(pipe: tuple[int, int], data: bytes) -> None:
    r, w = pipe
    os.write(w, data)
    os.close(w)
    with pytest.raises(ChannelClosed):
        wire.read_frame(r, deadline=time.monotonic() + 5)
    assert issubclass(ChannelClosed, WireError)


@pytest.mark.parametrize(
    "data", [b"", b"\x00\x00", struct.pack(">I", 10) + b"abc"], ids=["silent", "half", "stall"]
)
def test_deadline_when_no_complete_frame_arrives(pipe: tuple[int, int], data: bytes) -> None:
    r, w = pipe
    if data:
        os.write(w, data)
    started = time.monotonic()
    with pytest.raises(Deadline):
        wire.read_frame(r, deadline=started + 0.3)
    assert 0.25 <= time.monotonic() - started < 3


def test_deadline_already_passed(pipe: tuple[int, int]) -> None:
    r, w = pipe
    wire.write_frame(w, b"ready")  # even with data waiting, a passed deadline is a deadline
    with pytest.raises(Deadline):
        wire.read_frame(r, deadline=time.monotonic() - 1)


def test_deadline_is_not_a_wire_error() -> None:
    # the runner tells "too slow" (timeout) from "garbage" (protocol) by this
    assert not issubclass(Deadline, WireError)


def test_write_frame_handles_partial_writes(pipe: tuple[int, int]) -> None:
    r, w = pipe
    body = os.urandom(1 << 20)  # far above a pipe's buffer: os.write returns short
    t = threading.Thread(target=wire.write_frame, args=(w, body), daemon=True)
    t.start()
    assert wire.read_frame(r, deadline=time.monotonic() + 10, max_size=2 << 20) == body
    t.join(5)
