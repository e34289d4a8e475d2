"""The learner host: the only code that runs inside the sandbox besides the learner's.

Started by :mod:`lmschool.grading.sandbox` as a standalone script (the ``lmschool``
package itself is hidden from the sandbox), it imports NumPy (and torch when asked)
ahead of time so a warm-pool process answers fast, then serves requests from the
trusted runner over two pipes using :mod:`wire`:

- ``load``: apply this exercise's CPU and memory budgets, compile and execute the
  learner's file, reply with the top-level names it defines;
- ``call`` / ``method`` / ``getattr`` / ``value``: run learner code and reply with
  the result as data, as a handle, or with the exception it raised;
- ``bye``: exit.

Nothing here is trusted *after* the learner's code has run: the learner can patch
this module, write to the channel or exit. That is fine, because the verdict is
computed in the runner from data; this process can only answer questions.
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import sys
import traceback
import types
from typing import Any

wire: Any = None  # the standalone wire module bound next to this file; imported in main()

WORKDIR = os.getcwd()


def _set_limit(which: int, soft: int, hard: int | None = None) -> None:
    hard = soft if hard is None else hard
    cur_soft, cur_hard = resource.getrlimit(which)
    if cur_hard != resource.RLIM_INFINITY:
        hard = min(hard, cur_hard)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _vm_size() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


class Host:
    def __init__(self, fd_in: int, fd_out: int) -> None:
        self.fd_in, self.fd_out = fd_in, fd_out
        self.module: types.ModuleType | None = None
        self.filename = ""
        self.objects: dict[int, Any] = {}
        self.ids: dict[int, int] = {}  # id(obj) -> handle id

    # -- handles ----------------------------------------------------------------
    def to_handle(self, obj: Any) -> wire.Handle:
        hid = self.ids.get(id(obj))
        if hid is None:
            hid = len(self.objects) + 1
            self.objects[hid] = obj
            self.ids[id(obj)] = hid
        return wire.Handle(hid, _type_name(obj))

    def from_handle(self, hid: int, type_name: str) -> Any:
        try:
            return self.objects[hid]
        except KeyError:
            raise wire.WireError(f"unknown handle {hid}") from None

    # -- replies ----------------------------------------------------------------
    def send(self, reply: dict[str, Any]) -> None:
        try:
            body = wire.encode(reply, to_handle=self.to_handle)
        except (wire.WireError, ValueError, TypeError, OverflowError) as exc:
            body = wire.encode(
                {
                    "seq": reply.get("seq"),
                    "exc": {
                        "type": "TypeError",
                        "mro": ["TypeError", "Exception", "BaseException"],
                        "message": f"the value your code returned cannot be sent to the grader: {exc}",
                        "traceback": "",
                    },
                }
            )
        try:
            wire.write_frame(self.fd_out, body)
        except OSError:  # the runner stopped listening (it refused this reply): done
            os._exit(0)

    def exc_reply(self, seq: Any, exc: BaseException) -> dict[str, Any]:
        return {"seq": seq, "exc": self.describe(exc)}

    def describe(self, exc: BaseException) -> dict[str, Any]:
        try:
            message = str(exc)
        except BaseException:
            message = "<unprintable exception>"
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == self.filename]
        tb = "".join(traceback.format_list(frames))
        return {
            "type": type(exc).__name__,
            "mro": [c.__name__ for c in type(exc).__mro__],
            "message": message[:2000],
            "traceback": tb[-8000:],
        }

    # -- requests ---------------------------------------------------------------
    def serve(self) -> None:
        while True:
            try:
                body = wire.read_frame(self.fd_in, max_size=1 << 30)
            except wire.ChannelClosed:
                os._exit(0)
            # the runner is trusted: its requests (training data, say) get large budgets
            request = wire.decode(
                body, make_handle=self.from_handle, max_objects=1 << 40, max_depth=1000
            )
            seq = request.get("seq")
            op = request.get("op")
            if op == "bye":
                sys.stdout.flush()
                os._exit(0)
            try:
                reply = getattr(self, f"op_{op}")(request)
            except BaseException as exc:  # learner code may raise anything, SystemExit included
                reply = self.exc_reply(seq, exc)
            reply["seq"] = seq
            self.send(reply)

    def op_load(self, req: dict[str, Any]) -> dict[str, Any]:
        limits = req.get("limits", {})
        self.filename = os.path.join(WORKDIR, req.get("filename", "submission.py"))
        source = req["source"]
        with open(self.filename, "w", encoding="utf-8") as f:
            f.write(source)
        try:
            code = compile(source, self.filename, "exec", dont_inherit=True)
        except SyntaxError as exc:
            return {
                "error": {"kind": "syntax", "line": exc.lineno or 0, "message": exc.msg or str(exc)}
            }
        except (ValueError, MemoryError) as exc:  # null bytes, absurd nesting
            return {"error": {"kind": "syntax", "line": 0, "message": str(exc)}}
        self.apply_budget(limits)
        module = types.ModuleType("submission")
        module.__file__ = self.filename
        sys.modules["submission"] = module
        self.module = module
        try:
            exec(code, module.__dict__)
        except SystemExit:
            return {"error": {"kind": "exit"}}
        except MemoryError:
            return {"error": {"kind": "memory"}}
        except BaseException as exc:
            return {"error": {"kind": "runtime", **self.describe(exc)}}
        names: dict[str, str] = {}
        for name, value in list(dict.items(module.__dict__)):
            if not isinstance(name, str) or name.startswith("__"):
                continue
            if inspect.isclass(value):
                names[name] = "class"
            elif inspect.isfunction(value) or inspect.isbuiltin(value):
                names[name] = "function"
            elif callable(value) and not inspect.ismodule(value):
                names[name] = "callable"
            else:
                names[name] = "value"
        return {"ok": {"names": names}}

    def apply_budget(self, limits: dict[str, Any]) -> None:
        """Per-exercise CPU and memory budgets, counted from what the host already used."""
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = limits.get("cpu_seconds")
        if cpu:
            soft = int(usage.ru_utime + usage.ru_stime + float(cpu)) + 1
            _set_limit(resource.RLIMIT_CPU, soft, soft + 2)
        memory_mb = limits.get("memory_mb")
        if memory_mb:
            _set_limit(resource.RLIMIT_AS, _vm_size() + int(memory_mb) * 1024 * 1024)

    def _lookup(self, name: str) -> Any:
        # Only the module's real dictionary: a module-level __getattr__ cannot invent names.
        assert self.module is not None
        try:
            return dict.__getitem__(self.module.__dict__, name)
        except KeyError:
            raise NameError(f"name {name!r} is not defined in your file") from None

    def op_call(self, req: dict[str, Any]) -> dict[str, Any]:
        kind, ref = req["target"]
        fn = self._lookup(ref) if kind == "name" else self.from_handle(ref, "")
        return {"ok": fn(*req.get("args", []), **req.get("kwargs", {}))}

    def op_method(self, req: dict[str, Any]) -> dict[str, Any]:
        obj = self.from_handle(req["handle"], "")
        return {"ok": getattr(obj, req["name"])(*req.get("args", []), **req.get("kwargs", {}))}

    def op_getattr(self, req: dict[str, Any]) -> dict[str, Any]:
        obj = self.from_handle(req["handle"], "")
        value = getattr(obj, req["name"])
        if inspect.ismethod(value) and value.__self__ is obj:
            return {"method": True}
        return {"ok": value}

    def op_value(self, req: dict[str, Any]) -> dict[str, Any]:
        return {"ok": self._lookup(req["name"])}


def _type_name(obj: Any) -> str:
    t = type(obj)
    try:
        return (
            f"{t.__module__}.{t.__qualname__}"
            if t.__module__ not in ("builtins", "submission")
            else t.__qualname__
        )
    except Exception:
        return "object"


def _exit_builtins() -> None:
    """exit() and quit() as in an ordinary interpreter (python -S does not define them)."""
    import builtins

    class _Quitter:
        def __init__(self, name: str) -> None:
            self.name = name

        def __repr__(self) -> str:
            return f"Use {self.name}() to exit"

        def __call__(self, code: object = None) -> None:
            raise SystemExit(code)

    builtins.exit = _Quitter("exit")  # type: ignore[attr-defined]
    builtins.quit = _Quitter("quit")  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fd-in", type=int, required=True)
    parser.add_argument("--fd-out", type=int, required=True)
    parser.add_argument(
        "--uid", type=int, default=-1, help="drop to this uid/gid first (root mode)"
    )
    parser.add_argument("--nproc", type=int, default=64)
    parser.add_argument("--nofile", type=int, default=256)
    parser.add_argument("--fsize-mb", type=int, default=64)
    parser.add_argument("--preload", action="append", default=[])
    parser.add_argument("--site", action="append", default=[])
    args = parser.parse_args()

    if args.uid >= 0:  # bwrap ran us as root without a user namespace: become nobody-like
        os.setgroups([])
        os.setgid(args.uid)
        os.setuid(args.uid)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _set_limit(resource.RLIMIT_NPROC, args.nproc)
    _set_limit(resource.RLIMIT_NOFILE, args.nofile)
    _set_limit(resource.RLIMIT_FSIZE, args.fsize_mb * 1024 * 1024)
    _exit_builtins()
    sys.path[:0] = [WORKDIR]
    sys.path.extend(args.site)
    sys.path.append(os.path.dirname(os.path.abspath(__file__)))
    sys.dont_write_bytecode = True

    global wire
    import numpy  # noqa: F401  (warm start: the import is the slow part)
    import wire as _wire

    wire = _wire

    if "torch" in args.preload:
        import torch

        torch.set_num_threads(1)
    # Tell the runner this process is ready (imports done): a warm slot is a ready slot.
    wire.write_frame(args.fd_out, wire.encode({"hello": 1}))
    Host(args.fd_in, args.fd_out).serve()


if __name__ == "__main__":
    main()
