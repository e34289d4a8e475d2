"""The ``lmschool`` command's entry point: hand the command to a warm daemon, or run it.

Importing the CLI (Typer, Rich, pydantic, SQLAlchemy, the course model) takes about a
second; a command's own work is usually a few milliseconds. So the entry point imports
only the standard library and, for the commands in :data:`SERVED`, sends the command
line, the environment, the working folder and the terminal's size to a per-user daemon
(:mod:`lmschool.cli.daemon`) that has everything imported and keeps a grader with a
warm sandbox per kind of exercise. The daemon runs the very same Typer app and streams
back what it printed; the output is identical to running in-process.

Without a daemon (the first command, after an idle timeout, after lmschool's code
changed) the command runs in-process as before, and a daemon is started in the
background for the next one. ``LMSCHOOL_DAEMON=0`` turns all of this off.
See docs/architecture.md, "The command daemon".
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys

# Only what starting and talking to the daemon needs: every import here is paid by
# every command (pathlib, subprocess, tempfile and shutil would add 25 ms).

# Commands that read no standard input and need no terminal of their own. watch, demo,
# notebook and doctor run in-process; so does anything with --help on a subcommand
# that is not listed (Typer renders it the same either way).
SERVED = frozenset(
    {"list", "show", "start", "check", "hint", "solution", "progress", "glossary", "plan"}
)
PROTOCOL = 1
OFF = ("0", "off", "no", "false")


def runtime_dir() -> str | None:
    """The private folder of this user's daemon socket, or None if it is not safe to use.

    ``$LMSCHOOL_DAEMON_DIR``, else ``$XDG_RUNTIME_DIR/lmschool``, else
    ``<tmp>/lmschool-<uid>``; it must be a folder owned by this user that nobody else
    may enter (0700), or no daemon is used: another user could otherwise plant a socket.
    """
    folder = os.environ.get("LMSCHOOL_DAEMON_DIR")
    if not folder and os.environ.get("XDG_RUNTIME_DIR"):
        folder = os.path.join(os.environ["XDG_RUNTIME_DIR"], "lmschool")
    if not folder:
        import tempfile

        folder = os.path.join(tempfile.gettempdir(), f"lmschool-{os.getuid()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder


def code_stamp() -> str:
    """What the daemon's code must match: the interpreter and lmschool's Python files."""
    package = os.path.dirname(os.path.realpath(__file__))
    newest, count, size = 0, 0, 0
    for root, dirs, files in os.walk(package):
        dirs[:] = [d for d in dirs if d not in ("courses", "__pycache__")]
        for name in files:
            if name.endswith(".py"):
                st = os.stat(os.path.join(root, name))
                newest, count, size = max(newest, st.st_mtime_ns), count + 1, size + st.st_size
    return f"{PROTOCOL}:{sys.executable}:{package}:{count}:{size}:{newest}"


def _subcommand(argv: list[str]) -> str | None:
    """The first word of the command line that is not an option (``--lang zh`` skipped)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in ("--lang",):
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def _served(argv: list[str]) -> bool:
    if os.environ.get("LMSCHOOL_DAEMON", "").lower() in OFF:
        return False
    command = _subcommand(argv)
    if command is None and ("--help" in argv or not argv):
        return True  # lmschool --help
    if command not in SERVED or "-" in argv:
        return False
    # show pages through $PAGER on a terminal: the pager must be this process's child
    return not (command == "show" and sys.stdout.isatty() and "--no-pager" not in argv)


def _terminal_env() -> dict[str, str]:
    """The environment, with this terminal's size, which the daemon cannot measure."""
    env = dict(os.environ)
    if sys.stdout.isatty():
        try:
            size = os.get_terminal_size(sys.stdout.fileno())
        except OSError:
            return env
        env.setdefault("COLUMNS", str(size.columns))
        env.setdefault("LINES", str(size.lines))
    return env


def _ask(folder: str, argv: list[str]) -> int | None:
    """Run the command in the daemon; its exit code, or None if no daemon served it."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(os.path.join(folder, "cli.sock"))
    except OSError:
        sock.close()
        return None
    request = {
        "argv": argv,
        "env": _terminal_env(),
        "cwd": os.getcwd(),
        "tty": [sys.stdout.isatty(), sys.stderr.isatty()],
        "stamp": code_stamp(),
        # what usage lines call the program, as Click would name this process
        "prog": "python -m lmschool"
        if os.path.basename(sys.argv[0]) == "__main__.py"
        else os.path.basename(sys.argv[0]),
    }
    with sock, sock.makefile("rwb") as stream:
        try:
            stream.write(json.dumps(request).encode() + b"\n")
            stream.flush()
            first = stream.readline()
        except OSError:
            return None
        if not first:
            return None
        frame = json.loads(first)
        if "restart" in frame:
            return None  # old code: it is stopping; this command runs here
        out = {"out": sys.stdout, "err": sys.stderr}
        while True:
            if "exit" in frame:
                return int(frame["exit"])
            for key, text in frame.items():
                out[key].write(text)
                out[key].flush()
            line = stream.readline()
            if not line:  # the daemon died mid-command
                sys.stderr.write("lmschool: the command daemon stopped; run the command again.\n")
                return 1
            frame = json.loads(line)


def start_daemon(folder: str) -> None:
    """Start the daemon in the background, detached (it stops itself when idle)."""
    import contextlib
    import subprocess

    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "lmschool.cli.daemon", folder],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
        )


def main() -> None:
    argv = sys.argv[1:]
    folder = runtime_dir() if _served(argv) else None
    if folder is not None:
        code = _ask(folder, argv)
        if code is not None:
            raise SystemExit(code)
    from lmschool.cli import main as run_here

    try:
        run_here()
    finally:
        if folder is not None:
            start_daemon(folder)
