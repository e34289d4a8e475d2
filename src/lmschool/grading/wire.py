"""The data-only wire format between the trusted runner and the sandboxed learner.

Frames are a 4-byte big-endian length followed by a msgpack body. Only data
crosses: None, bool, int, float, str, bytes, lists, tuples, dicts with str or int
keys, NumPy arrays and scalars, torch tensors, and *handles* (an integer id and a
type name) that stand for any other learner object, which never leaves the
learner process. Nothing is ever unpickled.

Decoding is strict because the learner side is hostile: a frame above the size
limit is refused before it is read, dtypes come from a whitelist, an array's byte
count must match its shape, nesting depth is bounded by msgpack, and map keys must
be plain scalars. The same module runs inside the sandbox (as a standalone file,
imported without the ``lmschool`` package), so it depends on msgpack and NumPy only;
torch is imported lazily when a tensor is seen.
"""

from __future__ import annotations

import os
import select
import struct
import time
from typing import Any

import msgpack
import numpy as np

# msgpack extension type codes
EXT_NDARRAY = 1
EXT_TENSOR = 2
EXT_TUPLE = 3
EXT_HANDLE = 4
EXT_NPSCALAR = 5
EXT_BIGINT = 6

MAX_FRAME = 64 * 1024 * 1024  # absolute cap on any frame; replies have a smaller budget
REPLY_FRAME = 8 * 1024 * 1024  # default budget of one learner reply (limits.reply_mb)
MAX_OBJECTS = 100_000  # containers and tagged values (arrays, tuples, ...) in one frame
MAX_DEPTH = 32  # nesting of tagged values inside each other (tuple in tuple in ...)
_HEADER = struct.Struct(">I")

ALLOWED_DTYPES = frozenset(
    [
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
    ]
)
_TORCH_DTYPES = {
    "bool": "bool",
    "uint8": "uint8",
    "int8": "int8",
    "int16": "int16",
    "int32": "int32",
    "int64": "int64",
    "float16": "float16",
    "float32": "float32",
    "float64": "float64",
    "complex64": "complex64",
    "complex128": "complex128",
    "bfloat16": "bfloat16",
}


class WireError(Exception):
    """A frame that is malformed, too large, or holds something that is not data."""


class ChannelClosed(WireError):
    """The other end closed the channel (the process ended)."""


class Deadline(Exception):
    """No complete frame arrived before the deadline."""


class Handle:
    """A reference to a learner object that stays in the learner process."""

    __slots__ = ("id", "type_name")

    def __init__(self, id: int, type_name: str) -> None:
        self.id = id
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<handle {self.id}: {self.type_name}>"


# --- encoding -------------------------------------------------------------------


def _array_payload(arr: np.ndarray) -> bytes:
    arr = np.ascontiguousarray(arr).reshape(arr.shape)  # ascontiguousarray makes 0-d arrays 1-d
    if arr.dtype.byteorder == ">":
        arr = arr.astype(arr.dtype.newbyteorder("<"))
    name = arr.dtype.name
    if name not in ALLOWED_DTYPES:
        raise WireError(f"arrays of dtype {arr.dtype} cannot be sent; use a numeric dtype")
    return msgpack.packb([name, list(arr.shape), arr.tobytes()], use_bin_type=True)


def encode(value: Any, to_handle: Any = None) -> bytes:
    """Pack ``value``; objects that are not data go through ``to_handle(obj) -> Handle``."""

    def default(obj: Any) -> msgpack.ExtType:
        t = type(obj)
        if t is tuple:
            return msgpack.ExtType(EXT_TUPLE, packer().pack(list(obj)))
        if t is np.ndarray:
            return msgpack.ExtType(EXT_NDARRAY, _array_payload(obj))
        if isinstance(obj, np.generic) and obj.dtype.name in ALLOWED_DTYPES:
            return msgpack.ExtType(EXT_NPSCALAR, _array_payload(np.asarray(obj)))
        if t is int:  # out of msgpack's 64-bit range
            return msgpack.ExtType(EXT_BIGINT, str(obj).encode())
        if _is_tensor(obj):
            tensor = obj.detach().cpu()
            dtype = str(tensor.dtype).removeprefix("torch.")
            arr = tensor.float().numpy() if dtype == "bfloat16" else tensor.numpy()
            payload = _array_payload(arr)
            return msgpack.ExtType(EXT_TENSOR, msgpack.packb([dtype, payload], use_bin_type=True))
        if isinstance(obj, Handle):
            return msgpack.ExtType(EXT_HANDLE, msgpack.packb([obj.id, obj.type_name]))
        if to_handle is not None:
            h = to_handle(obj)
            return msgpack.ExtType(EXT_HANDLE, msgpack.packb([h.id, h.type_name]))
        raise WireError(f"cannot send an object of type {t.__name__}")

    def packer() -> msgpack.Packer:
        return msgpack.Packer(default=default, use_bin_type=True, strict_types=True)

    return packer().pack(value)


def _is_tensor(obj: Any) -> bool:
    t = type(obj)
    return t.__module__.startswith("torch") and t.__name__ in ("Tensor", "Parameter")


# --- decoding -------------------------------------------------------------------


def _decode_array(payload: bytes) -> np.ndarray:
    try:
        name, shape, raw = msgpack.unpackb(payload, raw=False)
    except Exception as exc:
        raise WireError(f"malformed array: {exc}") from None
    if not isinstance(name, str) or name not in ALLOWED_DTYPES:
        raise WireError(f"array dtype {name!r} is not allowed")
    if (
        not isinstance(shape, list)
        or len(shape) > 32
        or not all(type(d) is int and d >= 0 for d in shape)
        or not isinstance(raw, bytes)
    ):
        raise WireError("malformed array shape or data")
    dtype = np.dtype(name).newbyteorder("<")
    count = 1
    for d in shape:
        count *= d
    if count * dtype.itemsize != len(raw):
        raise WireError(
            f"array of shape {tuple(shape)} and dtype {name} needs {count * dtype.itemsize} bytes, got {len(raw)}"
        )
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(np.dtype(name), copy=True)


def decode(
    data: bytes,
    make_handle: Any = None,
    *,
    max_objects: int = MAX_OBJECTS,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """Unpack a frame body strictly; ``make_handle(id, type_name)`` builds handle objects.

    A frame may hold at most ``max_objects`` lists, maps and tagged values, and tagged
    values nest at most ``max_depth`` deep: every nested tuple is a fresh msgpack
    parse on the C stack (2,000 levels crashed the interpreter), and millions of tiny
    arrays in a few MiB would cost gigabytes of Python objects.
    """
    budget = {"objects": 0, "depth": 0}

    def spend() -> None:
        budget["objects"] += 1
        if budget["objects"] > max_objects:
            raise WireError(f"a frame holds more than {max_objects} objects")

    def list_hook(items: list[Any]) -> list[Any]:
        spend()
        return items

    def ext_hook(code: int, payload: bytes) -> Any:
        spend()
        if code == EXT_TUPLE:
            if budget["depth"] >= max_depth:
                raise WireError(f"values nest deeper than {max_depth} levels")
            budget["depth"] += 1
            try:
                items = _unpack(payload)
            finally:
                budget["depth"] -= 1
            if not isinstance(items, list):
                raise WireError("malformed tuple")
            return tuple(items)
        if code == EXT_NDARRAY:
            return _decode_array(payload)
        if code == EXT_NPSCALAR:
            arr = _decode_array(payload)
            if arr.ndim != 0:
                raise WireError("a NumPy scalar must have shape ()")
            return arr[()]
        if code == EXT_HANDLE:
            hid, type_name = msgpack.unpackb(payload, raw=False)
            if type(hid) is not int or not isinstance(type_name, str):
                raise WireError("malformed handle")
            type_name = type_name[:200]
            return make_handle(hid, type_name) if make_handle else Handle(hid, type_name)
        if code == EXT_BIGINT:
            text = payload.decode("ascii", errors="strict")
            if len(text) > 4300 or not text.lstrip("-").isdigit():  # Python's str->int limit
                raise WireError("malformed integer")
            return int(text)
        if code == EXT_TENSOR:
            dtype, inner = msgpack.unpackb(payload, raw=False)
            if dtype not in _TORCH_DTYPES:
                raise WireError(f"tensor dtype {dtype!r} is not allowed")
            arr = _decode_array(inner)
            import torch  # lazily: only tensor exercises pay for it

            tensor = torch.from_numpy(arr)
            return tensor.to(torch.bfloat16) if dtype == "bfloat16" else tensor
        raise WireError(f"unknown extension type {code}")

    def pairs_hook(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
        spend()
        for key, _ in pairs:
            if type(key) not in (str, int, float, bool) and key is not None:
                raise WireError(f"dictionary keys must be str or int, not {type(key).__name__}")
        return dict(pairs)

    def _unpack(buf: bytes) -> Any:
        return msgpack.unpackb(
            buf,
            raw=False,
            ext_hook=ext_hook,
            object_pairs_hook=pairs_hook,
            list_hook=list_hook,
            strict_map_key=False,
            use_list=True,
            timestamp=1,  # msgpack's own ext -1 (never via ext_hook): a float, not a Timestamp
        )

    try:
        return _unpack(data)
    except WireError:
        raise
    except (Exception, MemoryError, RecursionError) as exc:  # msgpack errors, bad UTF-8...
        raise WireError(f"malformed frame: {type(exc).__name__}: {str(exc)[:200]}") from None


# --- framing over file descriptors ---------------------------------------------


def write_frame(fd: int, body: bytes) -> None:
    data = _HEADER.pack(len(body)) + body
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks: list[bytes] = []
    remaining = n
    while remaining:
        if deadline is not None:
            timeout = deadline - time.monotonic()
            if timeout <= 0:
                raise Deadline()
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                raise Deadline()
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise ChannelClosed("channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_frame(fd: int, deadline: float | None = None, max_size: int = MAX_FRAME) -> bytes:
    """Read one frame body; ``deadline`` is a ``time.monotonic()`` value."""
    (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size, deadline))
    if size > max_size:
        raise WireError(f"a frame of {size} bytes exceeds the {max_size}-byte limit")
    return _read_exact(fd, size, deadline)
