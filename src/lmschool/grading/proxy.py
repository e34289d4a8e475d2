"""The trusted side of the protocol: a client for the sandboxed learner process.

Checks see the learner's submission through :class:`LearnerModule`: attribute
access on it names a top-level learner definition, calling it runs that function
or class *in the sandbox* and returns the answer as data. Objects that are not
data come back as :class:`RemoteObject` handles whose methods and attributes are
reached the same way. Every reply is decoded strictly by :mod:`wire`; nothing the
learner sends is executed or unpickled here.
"""

from __future__ import annotations

import time
from typing import Any

from lmschool.grading import wire


class LearnerError(Exception):
    """The learner's code raised an exception (inside the sandbox)."""

    def __init__(self, type_name: str, mro: list[str], message: str, traceback: str) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type_name = type_name
        self.mro = mro
        self.message = message
        self.traceback = traceback


class LearnerGone(Exception):
    """The learner process ended (exit, crash, killed) while the runner needed it."""


class ProtocolViolation(Exception):
    """The learner process sent something that is not a valid reply."""


class DeadlineExceeded(Exception):
    """The learner did not answer before the grading deadline."""


class RemoteObject:
    """A learner object that lives in the sandbox.

    Attribute reads return data (or further handles); method calls run in the
    sandbox. Two handles compare equal when they name the same learner object,
    which is how a check tells that ``fit`` returned ``self``. No learner
    ``__eq__`` or ``__bool__`` ever runs on this side.
    """

    __slots__ = ("_client", "handle_id", "type_name")

    def __init__(self, client: LearnerClient, handle_id: int, type_name: str) -> None:
        object.__setattr__(self, "_client", client)
        object.__setattr__(self, "handle_id", handle_id)
        object.__setattr__(self, "type_name", type_name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._client.request(
            {"op": "getattr", "handle": self.handle_id, "name": name}, method_of=self, attr=name
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("learner objects are read-only from checks; call a method instead")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._client.request(
            {
                "op": "call",
                "target": ["handle", self.handle_id],
                "args": list(args),
                "kwargs": kwargs,
            }
        )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RemoteObject)
            and other.handle_id == self.handle_id
            and other._client is self._client
        )

    def __hash__(self) -> int:
        return hash(("remote", self.handle_id))

    def __repr__(self) -> str:
        return f"<learner {self.type_name} object #{self.handle_id}>"


class _BoundMethod:
    """``obj.method`` on a remote object: calling it runs the method in the sandbox."""

    def __init__(self, client: LearnerClient, handle_id: int, name: str) -> None:
        self._client, self._handle_id, self._name = client, handle_id, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._client.request(
            {
                "op": "method",
                "handle": self._handle_id,
                "name": self._name,
                "args": list(args),
                "kwargs": kwargs,
            }
        )


class LearnerModule:
    """``ctx.learner``: the learner's top-level definitions, reached by name."""

    def __init__(self, client: LearnerClient, names: dict[str, str]) -> None:
        self._client = client
        self._names = names  # name -> "function" | "class" | "value"

    @property
    def defined_names(self) -> dict[str, str]:
        return dict(self._names)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        kind = self._names.get(name)
        if kind is None:
            raise AttributeError(f"the learner's file does not define {name!r}")
        if kind in ("function", "class", "callable"):
            return _NamedCallable(self._client, name)
        return self._client.request({"op": "value", "name": name})


class _NamedCallable:
    def __init__(self, client: LearnerClient, name: str) -> None:
        self._client, self._name = client, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._client.request(
            {"op": "call", "target": ["name", self._name], "args": list(args), "kwargs": kwargs}
        )

    def __repr__(self) -> str:
        return f"<learner callable {self._name}>"


class LearnerClient:
    """Sends requests to the learner host over two pipes and decodes its replies."""

    def __init__(
        self,
        to_learner: int,
        from_learner: int,
        deadline: float,
        max_reply: int = wire.REPLY_FRAME,
    ) -> None:
        self.to_learner = to_learner
        self.from_learner = from_learner
        self.deadline = deadline  # time.monotonic() value for the whole grading
        self.max_reply = max_reply  # bytes of one reply frame (limits.reply_mb)
        self._seq = 0

    def _make_handle(self, hid: int, type_name: str) -> RemoteObject:
        return RemoteObject(self, hid, type_name)

    def _to_wire(self, obj: Any) -> wire.Handle:
        if isinstance(obj, RemoteObject):
            return wire.Handle(obj.handle_id, obj.type_name)
        raise wire.WireError(f"cannot send an object of type {type(obj).__name__} to the learner")

    def exchange(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send one request and return the raw reply envelope."""
        self._seq += 1
        message = {**message, "seq": self._seq}
        try:
            wire.write_frame(self.to_learner, wire.encode(message, to_handle=self._to_wire))
        except (BrokenPipeError, OSError) as exc:
            raise LearnerGone(str(exc)) from None
        try:
            body = wire.read_frame(
                self.from_learner, deadline=self.deadline, max_size=self.max_reply
            )
        except wire.Deadline:
            raise DeadlineExceeded() from None
        except wire.ChannelClosed:
            raise LearnerGone("channel closed") from None
        except wire.WireError as exc:
            raise ProtocolViolation(str(exc)) from None
        except OSError as exc:
            raise LearnerGone(str(exc)) from None
        try:
            reply = wire.decode(body, make_handle=self._make_handle)
        except wire.WireError as exc:
            raise ProtocolViolation(str(exc)) from None
        if not isinstance(reply, dict) or reply.get("seq") != self._seq:
            raise ProtocolViolation("a reply that does not answer the grader's request")
        return reply

    def request(
        self, message: dict[str, Any], method_of: RemoteObject | None = None, attr: str = ""
    ) -> Any:
        reply = self.exchange(message)
        if "exc" in reply:
            exc = reply["exc"]
            if not isinstance(exc, dict):
                raise ProtocolViolation("malformed exception report")
            raise LearnerError(
                str(exc.get("type", "Exception"))[:200],
                [str(n)[:200] for n in exc.get("mro", [])][:50]
                if isinstance(exc.get("mro"), list)
                else [],
                str(exc.get("message", ""))[:2000],
                str(exc.get("traceback", ""))[:8000],
            )
        if "method" in reply and method_of is not None:
            # getattr found a bound method: calling it runs the method remotely
            return _BoundMethod(self, method_of.handle_id, attr)
        if "ok" not in reply:
            raise ProtocolViolation("a reply with neither a value nor an exception")
        return reply["ok"]

    def load(self, source: str, filename: str, limits: dict[str, Any]) -> dict[str, Any]:
        return self.exchange(
            {"op": "load", "source": source, "filename": filename, "limits": limits}
        )

    def bye(self) -> None:
        try:
            self._seq += 1
            wire.write_frame(self.to_learner, wire.encode({"op": "bye", "seq": self._seq}))
        except (OSError, wire.WireError):
            pass

    def time_left(self) -> float:
        return self.deadline - time.monotonic()
