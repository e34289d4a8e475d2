"""Learner code is contained: attacks submitted through ``Grader.grade``.

Every attack is a learner submission graded for real, in a bubblewrap sandbox. Each
test asserts the attack is scored 0 (or, for the ``probe`` exercise, that the probe
found nothing: its reference returns "nothing", so score 1.0 means nothing leaked),
with the right ``error.kind``, and that the machine is unharmed: no process of the
sandbox's uid survives the grading, files outside stay untouched, the host's secrets
never appear in the result document (checks' messages and captured output).

The fixture exercises live in tests/fixtures/ (see its README). The fallback
(``sandbox="none"``) and the warm pool are tested at the end; the fallback tests
never run a harmful attack, because nothing contains it there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace as NS
from typing import Any

import pytest

from lmschool.grading import sandbox as sandbox_mod
from lmschool.grading import uids as uid_leases
from lmschool.grading.grader import Grader, profile_of
from lmschool.grading.result import Result
from lmschool.grading.sandbox import detect_backend, python_paths

pytestmark = pytest.mark.sandbox

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LIMITS = NS(cpu_seconds=2, memory_mb=256, wall_seconds=5)
SLOW = NS(cpu_seconds=10, memory_mb=256, wall_seconds=30)  # walking all of / (cold cache)
SLACK = 4.0  # seconds a stopped grading may take beyond its wall limit

BACKEND = detect_backend("auto")
requires_bwrap = pytest.mark.skipif(
    BACKEND.name != "bwrap",
    reason=f"bubblewrap sandbox unavailable ({BACKEND.reason}); attacks are only run contained",
)


# The attacks below import what they probe (msgpack, lmschool, ...): the fixtures allow
# those imports, so that what is tested is the sandbox itself, not the allow-list scan
# (tested on its own in TestAllowList).
PROBE_ALLOW = ("lmschool.ml", "msgpack", "numpy")


def exercise(folder: str, names: list[str], needs: tuple[str, ...] = ("numpy",), limits=LIMITS):
    allow = PROBE_ALLOW + (("torch",) if "torch" in needs else ())
    return NS(
        id=f"tests/fixtures/{folder}",
        dir=FIXTURES / folder,
        names=names,
        needs=list(needs),
        limits=limits,
        allowed_imports=allow,
    )


ATTACK = exercise("attack_exercise", ["standardize"])
PROBE = exercise("probe_exercise", ["probe"])
CLASS = exercise("class_exercise", ["Scaler"])
TORCH = exercise("torch_exercise", ["linear_forward"], needs=("torch",))

ATTACK_DIR = ATTACK.dir.resolve()
SECRET_FILES = [ATTACK_DIR / "checks.py", ATTACK_DIR / "solution.py", ATTACK_DIR / "SECRET_MARKER"]
# The full secret strings; learner code below only ever names their common prefix.
SECRETS = sorted(
    {
        s
        for p in [*SECRET_FILES, *(FIXTURES / "probe_exercise").iterdir()]
        if p.is_file()
        for s in re.findall(r"LMSCHOOL-FIXTURE-SECRET-[A-Z-]+-[0-9a-f]{8}", p.read_text())
    }
)
GOOD_STANDARDIZE = """\
import numpy as np

def standardize(X):
    X = np.asarray(X, dtype=np.float64)
    sigma = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sigma == 0, 1.0, sigma)
"""
WRONG_STANDARDIZE = "def standardize(X):\n    return X\n"


def learner(template: str, **values: Any) -> str:
    """Learner source from a template: ``__NAME__`` becomes ``repr(values["NAME"])``."""
    text = textwrap.dedent(template)
    for key, value in values.items():
        text = text.replace(f"__{key}__", repr(value))
    left = re.search(r"__[A-Z][A-Z_]*__", text)
    assert left is None, f"no value for placeholder {left.group()}"
    return text


def leaked(result: Result) -> list[str]:
    """The fixture secrets that appear anywhere in the result document."""
    doc = json.dumps(result.doc(), ensure_ascii=False)
    return [s for s in SECRETS if s in doc]


def check_text(result: Result) -> str:
    return "\n".join(c.message["en"] for c in result.checks)


# --- process accounting -------------------------------------------------------------


def _processes(uids: set[int], marker: str | None) -> list[str]:
    out = subprocess.run(
        ["ps", "-eo", "uid=,pid=,args="], capture_output=True, text=True, check=True
    ).stdout
    found = []
    for line in out.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 2 or not parts[0].isdigit():
            continue
        cmd = parts[2] if len(parts) > 2 else ""
        if int(parts[0]) in uids or (marker and marker in cmd):
            found.append(line.strip())
    return found


def assert_no_leftovers(uids: set[int], marker: str | None = None, timeout: float = 5.0) -> None:
    """No process runs as a sandbox uid of this test, or with ``marker`` in its command."""
    deadline = time.monotonic() + timeout
    while True:
        left = _processes(uids, marker)
        if not left:
            return
        if time.monotonic() > deadline:
            pytest.fail("sandbox processes survived the grading:\n" + "\n".join(left[:20]))
        time.sleep(0.1)


@pytest.fixture
def sandbox_uids(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """Records the fresh uid every sandbox started by this test runs as."""
    uids: set[int] = set()
    original = uid_leases.lease

    def recording(*args: Any, **kwargs: Any) -> uid_leases.UidLease:
        lease = original(*args, **kwargs)
        uids.add(lease.uid)
        return lease

    monkeypatch.setattr(uid_leases, "lease", recording)
    return uids


@pytest.fixture
def grader() -> Iterator[Grader]:
    g = Grader(sandbox="bwrap")
    yield g
    g.close()


GradeFn = Callable[..., Result]


@pytest.fixture
def grade(grader: Grader, sandbox_uids: set[int]) -> GradeFn:
    """Grade in the bwrap sandbox, then assert nothing of the sandbox is left running."""

    def run(ex: Any, source: str, *, seed: int = 7, marker: str | None = None) -> Result:
        result = grader.grade(ex, source, seed=seed)
        assert isinstance(result, Result)
        assert result.sandbox.isolated and result.sandbox.backend == "bwrap"
        if os.geteuid() == 0:
            assert sandbox_uids, "the sandbox did not drop to a fresh uid"
            assert all(uid >= 1_000_000 for uid in sandbox_uids)
        assert_no_leftovers(sandbox_uids, marker)
        return result

    return run


def timed(fn: GradeFn, *args: Any, **kwargs: Any) -> tuple[Result, float]:
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


def assert_nothing_found(result: Result) -> None:
    """The probe exercise passed: the learner's probe found (and returned) nothing."""
    assert result.error is None, result.error
    assert result.score == 1.0 and result.passed, check_text(result)
    assert not leaked(result)


# --- sanity: the fixtures grade as expected -------------------------------------------


@requires_bwrap
class TestFixtures:
    def test_reference_passes_and_wrong_fails(self, grade: GradeFn) -> None:
        good = grade(ATTACK, GOOD_STANDARDIZE)
        assert good.passed and good.score == 1.0 and good.error is None
        assert good.sandbox.warning is None and not good.sandbox.warm
        wrong = grade(ATTACK, WRONG_STANDARDIZE)
        assert not wrong.passed and wrong.score == 0.0 and wrong.error is None
        assert "values differ" in wrong.checks[0].message["en"]

    def test_probe_reference_passes(self, grade: GradeFn) -> None:
        assert_nothing_found(grade(PROBE, "def probe():\n    return 'nothing'\n"))
        found = grade(PROBE, "def probe():\n    return 'something'\n")
        assert found.score == 0.0 and "'something'" in found.checks[0].message["en"]

    def test_class_exercise_uses_handles(self, grade: GradeFn) -> None:
        good = grade(CLASS, (CLASS.dir / "solution.py").read_text())
        assert good.passed, check_text(good)
        no_self = grade(
            CLASS,
            (CLASS.dir / "solution.py").read_text().replace("return self", "return None"),
        )
        assert not no_self.passed
        assert no_self.checks[0].message["en"] == "Scaler.fit must return self."

    @pytest.mark.parametrize(
        "value, shown",
        [("np.float64(1.5)", "np.float64(1.5)"), ("np.array(2.0)", "array(2.)")],
    )
    def test_numpy_scalars_and_0d_arrays_cross_the_wire(
        self, grade: GradeFn, value: str, shown: str
    ) -> None:
        # regression: these used to arrive 1-d, or be refused as a protocol violation
        result = grade(PROBE, f"import numpy as np\ndef probe():\n    return {value}\n")
        assert result.error is None, result.error
        assert f"got {shown}." in result.checks[0].message["en"]

    def test_learner_runs_unprivileged_in_own_namespaces(self, grade: GradeFn) -> None:
        src = learner(
            """
            import os, socket
            def probe():
                bad = []
                if os.getuid() == 0 or os.geteuid() == 0:
                    bad.append("root")
                if len([p for p in os.listdir("/proc") if p.isdigit()]) > 8:
                    bad.append("sees host processes")
                if socket.gethostname() != "sandbox":
                    bad.append("host uts")
                return "nothing" if not bad else ", ".join(bad)
            """
        )
        assert_nothing_found(grade(PROBE, src))


# --- 1. reading the exercise's hidden files and the host's secrets ----------------------

READ_AND_RETURN = """
import os
import numpy as np

PATHS = __PATHS__
PREFIX = "LMSCHOOL-FIXTURE-" + "SECRET"

def _grab():
    found = []
    if PATHS == ["walk"]:
        for root, dirs, files in os.walk("/"):
            if root == "/":
                dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
            for name in files:
                if name in ("SECRET_MARKER", "checks.py", "solution.py"):
                    try:
                        with open(os.path.join(root, name), "rb") as f:
                            data = f.read(200000)
                    except Exception:
                        continue
                    if PREFIX.encode() in data:
                        found.append(data)
        return b"".join(found)
    for p in PATHS:
        try:
            with open(p, "rb") as f:
                found.append(f.read(200000))
        except Exception:
            pass
    return b"".join(found)

def standardize(X):
    data = _grab()
    print("found:", data.decode("utf-8", "replace"))
    if not data:
        return np.zeros((1, 1))
    return np.frombuffer(data, dtype=np.uint8).astype(float)
"""


def _proc_paths(paths: list[Path]) -> list[str]:
    out = []
    for p in paths:
        for pid in ("1", "2", "self", "thread-self"):
            out += [f"/proc/{pid}/root{p}", f"/proc/{pid}/cwd/{os.path.relpath(p, '/')}"]
    return out


SECRET_ATTEMPTS = {
    "absolute": [str(p) for p in SECRET_FILES],
    "relative": [os.path.relpath(p, sandbox_mod.SANDBOX_WORKDIR) for p in SECRET_FILES],
    "proc-root": _proc_paths(SECRET_FILES),
    "walk": ["walk"],
}


@requires_bwrap
class TestReadSecrets:
    @pytest.mark.parametrize("how", list(SECRET_ATTEMPTS))
    def test_exercise_files_unreadable_score_zero(self, grade: GradeFn, how: str) -> None:
        ex = ATTACK if how != "walk" else exercise("attack_exercise", ["standardize"], limits=SLOW)
        result = grade(ex, learner(READ_AND_RETURN, PATHS=SECRET_ATTEMPTS[how]))
        assert result.score == 0.0 and not result.passed
        assert result.error is None, result.error  # it ran; it just found nothing
        assert "found: \n" in result.output
        assert not leaked(result)


PROBE_READ = """
import os

PATHS = __PATHS__
MODULES = __MODULES__
TEACHING_LIBRARY = {"__init__.py", "ml", "__pycache__"}

def probe():
    found = []
    for p in PATHS:
        if os.path.lexists(p):
            found.append("exists " + p)
        try:
            with open(p, "rb") as f:
                found.append("read %s: %r" % (p, f.read(300)))
        except Exception:
            pass
        try:
            found.append("listed %s: %r" % (p, os.listdir(p)[:10]))
        except Exception:
            pass
    for name in MODULES:
        try:
            __import__(name)
            found.append("imported " + name)
        except Exception:
            pass
    try:  # the teaching library (lmschool.ml) is importable on purpose; nothing else of lmschool
        import lmschool
        extra = set(os.listdir(os.path.dirname(lmschool.__file__))) - TEACHING_LIBRARY
        if extra:
            found.append("lmschool exposes %r" % sorted(extra))
    except Exception:
        pass
    return "nothing" if not found else "; ".join(found)
"""


def _host_entries(folder: Path) -> list[str]:
    """Host paths inside ``folder`` that the sandbox must not show.

    The sandbox binds the Python installation and its site folders at their host
    paths (with empty parents), so entries on the way to those are left out.
    """
    if not folder.is_dir():
        pytest.skip(f"{folder} does not exist on this machine")
    exe, sites = python_paths()
    allowed = [Path(sys.base_prefix).resolve(), exe.parent, *sites]
    out = []
    for entry in sorted(folder.iterdir())[:40]:
        resolved = entry.resolve() if not entry.is_symlink() else entry
        if any(resolved == a or resolved in a.parents or a in resolved.parents for a in allowed):
            continue
        out.append(str(entry))
    if not out:
        pytest.skip(f"nothing in {folder} that the sandbox should hide")
    return out


def _probe_targets(what: str) -> tuple[list[str], list[str]]:
    if what == "exercise-files":
        own = [PROBE.dir.resolve() / "checks.py", PROBE.dir.resolve() / "solution.py"]
        paths = [str(p) for p in [*SECRET_FILES, *own]] + _proc_paths([*SECRET_FILES, *own])
        paths += [str(ATTACK_DIR), str(FIXTURES), "/proc/1/root" + str(FIXTURES)]
        return paths, []
    if what == "root":
        return _host_entries(Path("/root")) + ["/root/.bashrc", "/root/.ssh/id_rsa"], []
    if what == "work":
        return _host_entries(Path("/work")), []
    if what == "etc-shadow":
        return ["/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/passwd"], []
    if what == "repo-package":
        pkg = REPO / "src" / "lmschool"
        paths = [str(pkg), str(pkg / "grading" / "grader.py"), str(pkg / "i18n.py")]
        paths += [str(REPO / "tests" / "packs"), str(REPO / "pyproject.toml")]
        modules = ["lmschool.grading", "lmschool.grading.checks", "lmschool.grading.runner"]
        modules += ["lmschool.course", "lmschool.courses", "lmschool.i18n", "lmschool.store"]
        return paths, [*modules, "lmschool.cli", "lmschool.config", "checks", "solution"]
    raise AssertionError(what)


@requires_bwrap
class TestProbeSecrets:
    """The learner *returns* whether it could read anything: score 1.0 means no leak."""

    @pytest.mark.parametrize(
        "what", ["exercise-files", "root", "work", "etc-shadow", "repo-package"]
    )
    def test_probe_finds_nothing(self, grade: GradeFn, what: str) -> None:
        paths, modules = _probe_targets(what)
        assert_nothing_found(grade(PROBE, learner(PROBE_READ, PATHS=paths, MODULES=modules)))

    def test_walking_root_finds_no_hidden_file(self, grade: GradeFn) -> None:
        src = learner(
            """
            import os
            PREFIX = "LMSCHOOL-FIXTURE-" + "SECRET"
            def probe():
                hits = []
                for root, dirs, files in os.walk("/"):
                    if root == "/":
                        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
                    for d in dirs:
                        if d == "lmschool":  # only the teaching library may show
                            path = os.path.join(root, d)
                            extra = set(os.listdir(path)) - {"__init__.py", "ml", "__pycache__"}
                            if extra:
                                hits.append("%s: %r" % (path, sorted(extra)))
                    for name in files:
                        path = os.path.join(root, name)
                        if name == "SECRET_MARKER" or name in ("grader.py", "runner.py", "i18n.py") and "lmschool" in root:
                            hits.append(path)
                        elif name in ("checks.py", "solution.py"):
                            try:
                                with open(path, "rb") as f:
                                    data = f.read(200000)
                            except OSError:
                                continue
                            if PREFIX.encode() in data or b"lmschool.grading.checks" in data:
                                hits.append(path)
                return "nothing" if not hits else repr(hits)
            """
        )
        assert_nothing_found(grade(exercise("probe_exercise", ["probe"], limits=SLOW), src))

    def test_data_home_passed_as_hidden(self, tmp_path: Path, sandbox_uids: set[int]) -> None:
        home = tmp_path / "home"
        home.mkdir()
        secret = f"home-secret-{uuid.uuid4().hex}"
        (home / "lmschool.db").write_text(secret)
        (home / "workspace").mkdir()
        src = learner(PROBE_READ, PATHS=[str(home / "lmschool.db"), str(home)], MODULES=[])
        with Grader(sandbox="bwrap", hidden=(home,)) as g:
            result = g.grade(PROBE, src, seed=1)
        assert_nothing_found(result)
        assert secret not in json.dumps(result.doc())
        assert_no_leftovers(sandbox_uids)

    @pytest.mark.parametrize("hide", [True, False], ids=["hidden", "control-not-hidden"])
    def test_data_home_under_a_bound_folder_is_masked(
        self, tmp_path: Path, sandbox_uids: set[int], hide: bool
    ) -> None:
        """A home that lies inside a folder the sandbox binds (here: a data set the
        exercise lets learners read, at /data/...) is masked by an empty tmpfs; the
        control shows the probe would see it."""
        data = tmp_path / "data"
        home = data / "tinyshakespeare" / "lmschool-home"
        home.mkdir(parents=True)
        secret = f"home-secret-{uuid.uuid4().hex}"
        (home / "lmschool.db").write_text(secret)
        for p in (data, data / "tinyshakespeare", home):
            p.chmod(0o755)
        (home / "lmschool.db").chmod(0o644)
        src = learner(
            """
            def probe():
                try:
                    with open("/data/tinyshakespeare/lmschool-home/lmschool.db") as f:
                        return "read " + f.read()
                except OSError:
                    return "nothing"
            """
        )
        probe = NS(**{**vars(PROBE), "sandbox_data": ("tinyshakespeare",)})
        hidden = (home,) if hide else ()
        with Grader(sandbox="bwrap", data_dir=data, hidden=hidden) as g:
            result = g.grade(probe, src, seed=1)
        assert_no_leftovers(sandbox_uids)
        if hide:
            assert_nothing_found(result)
            assert secret not in json.dumps(result.doc())
        else:
            assert result.score == 0.0 and secret in result.checks[0].message["en"]

    def test_environment_holds_no_host_secret(
        self, grade: GradeFn, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        secret = f"env-secret-{uuid.uuid4().hex}"
        monkeypatch.setenv("LMSCHOOL_TEST_SECRET", secret)
        src = learner(
            """
            import os
            NAME = "LMSCHOOL_TEST_" + "SECRET"
            def probe():
                found = []
                if NAME in os.environ:
                    found.append("os.environ: " + os.environ[NAME])
                for pid in os.listdir("/proc"):
                    for what in ("environ", "cmdline"):
                        try:
                            with open("/proc/%s/%s" % (pid, what), "rb") as f:
                                data = f.read()
                        except OSError:
                            continue
                        if NAME.encode() in data:
                            found.append("/proc/%s/%s: %r" % (pid, what, data[:2000]))
                return "nothing" if not found else "; ".join(found)
            """
        )
        result = grade(PROBE, src)
        assert_nothing_found(result)
        assert secret not in json.dumps(result.doc())


# --- 2. writing outside its folder ---------------------------------------------------------

PROBE_WRITE = """
import os

TARGETS = __TARGETS__
MAKEDIRS = __MAKEDIRS__

def probe():
    wrote = []
    for path in TARGETS:
        try:
            if MAKEDIRS:
                os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write("pwned")
            wrote.append(path)
        except OSError:
            pass
    return "nothing" if not wrote else "wrote " + ", ".join(wrote)
"""


@requires_bwrap
class TestWrites:
    @pytest.mark.parametrize("where", ["/usr/{}", "/tmp/../etc/{}", "/{}", "/proc/1/root/usr/{}"])
    def test_system_folders_are_read_only(self, grade: GradeFn, where: str) -> None:
        name = f"lmschool-test-{uuid.uuid4().hex}"
        target = where.format(name)
        result = grade(PROBE, learner(PROBE_WRITE, TARGETS=[target], MAKEDIRS=False))
        assert_nothing_found(result)
        assert not os.path.lexists(os.path.normpath(target.removeprefix("/proc/1/root")))

    def test_host_tmp_path_untouched(self, grade: GradeFn, tmp_path: Path) -> None:
        victim = tmp_path / "victim.txt"
        victim.write_text("original")
        new = tmp_path / "sub" / "new.txt"
        targets = [str(victim), str(new), f"/proc/1/root{victim}"]
        # makedirs succeeds in the sandbox's private /tmp; the host must see none of it.
        grade(PROBE, learner(PROBE_WRITE, TARGETS=targets, MAKEDIRS=True))
        assert victim.read_text() == "original"
        assert not new.exists() and not (tmp_path / "sub").exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["victim.txt"]

    def test_cwd_is_writable_but_private_and_gone_after_grading(
        self, grade: GradeFn, tmp_path: Path
    ) -> None:
        marker = f"lmschool-cwd-{uuid.uuid4().hex}"
        write = learner(
            """
            import os
            def probe():
                with open(__NAME__, "w") as f:
                    f.write("hello")
                with open("/tmp/" + __NAME__, "w") as f:
                    f.write("hello")
                print("cwd", os.getcwd())
                return "nothing" if open(__NAME__).read() == "hello" else "could not read back"
            """,
            NAME=marker,
        )
        first = grade(PROBE, write)
        assert_nothing_found(first)  # writing to its own folder is allowed
        look = learner(
            """
            import os
            def probe():
                found = [p for p in (__NAME__, "/tmp/" + __NAME__, "/home/learner/" + __NAME__) if os.path.exists(p)]
                return "nothing" if not found else "still there: %r" % found
            """,
            NAME=marker,
        )
        assert_nothing_found(grade(PROBE, look))
        cwd = first.output.split("cwd ", 1)[1].split()[0]
        for folder in (Path.cwd(), Path("/tmp"), Path(cwd), tmp_path):
            assert not (folder / marker).exists()


# --- 3. network --------------------------------------------------------------------------

PROBE_NET = """
import socket

TCP = __TCP__
DNS = __DNS__

def probe():
    got = []
    for host, port in TCP:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(1.0)
        try:
            s.connect((host, port))
            got.append("connected %s:%d" % (host, port))
        except OSError:
            pass
        finally:
            s.close()
    for name in DNS:
        try:
            got.append("resolved %s to %s" % (name, socket.gethostbyname(name)))
        except OSError:
            pass
    return "nothing" if not got else "; ".join(got)
"""


@pytest.fixture
def host_server() -> Iterator[socket.socket]:
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    yield srv
    srv.close()


def _assert_no_connection(srv: socket.socket) -> None:
    srv.setblocking(False)
    with pytest.raises(BlockingIOError):
        conn, addr = srv.accept()
        conn.close()
        pytest.fail(f"the sandbox connected to the host server from {addr}")


@requires_bwrap
class TestNetwork:
    @pytest.mark.parametrize("target", ["host-loopback", "internet", "dns"])
    def test_no_network(self, grade: GradeFn, host_server: socket.socket, target: str) -> None:
        port = host_server.getsockname()[1]
        tcp = {"host-loopback": [("127.0.0.1", port)], "internet": [("1.1.1.1", 80)], "dns": []}
        dns = ["example.com", "pypi.org"] if target == "dns" else []
        result = grade(PROBE, learner(PROBE_NET, TCP=tcp[target], DNS=dns))
        assert_nothing_found(result)
        _assert_no_connection(host_server)


# --- 4. fork bombs --------------------------------------------------------------------------

FORK_LOOP = """
import os

def _bomb():
    while True:  # every child loops too
        try:
            os.fork()
        except OSError:
            pass
"""

POPEN_LOOP = """
import subprocess, sys

def _bomb():
    procs = []
    while True:
        try:
            procs.append(
                subprocess.Popen([sys.executable, "-c", "import time; time.sleep(10**6)", __MARKER__])
            )
        except OSError:
            pass
"""


@requires_bwrap
class TestForkBombs:
    @pytest.mark.parametrize(
        "bomb, where", [("fork", "module"), ("fork", "function"), ("popen", "function")]
    )
    def test_fork_bomb_contained(self, grade: GradeFn, bomb: str, where: str) -> None:
        marker = f"lmschool-bomb-{uuid.uuid4().hex}"
        src = learner(FORK_LOOP if bomb == "fork" else POPEN_LOOP, MARKER=marker)
        src += "\n_bomb()\n" if where == "module" else ""
        src += "\ndef standardize(X):\n    _bomb()\n"
        result, elapsed = timed(grade, ATTACK, src, marker=marker)  # also: nothing left running
        assert result.score == 0.0 and not result.passed
        assert result.error is not None and result.error.kind in ("timeout", "runtime")
        assert elapsed < LIMITS.wall_seconds + SLACK + 5  # + the leftover check's wait


# --- 5. memory, time, output ---------------------------------------------------------------

ALLOCATIONS = {
    "numpy": "import numpy as np\nX_BIG = np.ones(10**10 // 8)\n",
    "bytearray": "X_BIG = bytearray(10**10)\n",
}


@requires_bwrap
class TestResourceLimits:
    @pytest.mark.parametrize("alloc", list(ALLOCATIONS))
    @pytest.mark.parametrize("where", ["module", "function"])
    def test_10_gb_allocation_is_a_memory_error(
        self, grade: GradeFn, alloc: str, where: str
    ) -> None:
        code = ALLOCATIONS[alloc]
        if where == "module":
            src = code + WRONG_STANDARDIZE
        else:
            src = "def standardize(X):\n" + textwrap.indent(code, "    ") + "    return X_BIG\n"
        result = grade(ATTACK, src)
        assert result.score == 0.0 and not result.passed
        assert result.error is not None and result.error.kind == "memory", result.error
        assert "MB" in result.error.message["en"] and result.error.message["zh"]
        assert f"{LIMITS.memory_mb} MB" in result.error.message["en"]

    @pytest.mark.parametrize(
        "code",
        ["import time\ntime.sleep(10**6)", "while True:\n    pass"],
        ids=["sleep", "busy-loop"],
    )
    @pytest.mark.parametrize("where", ["module", "function"])
    def test_runs_forever_is_a_timeout(self, grade: GradeFn, code: str, where: str) -> None:
        if where == "module":
            src = code + "\n" + WRONG_STANDARDIZE
        else:
            src = "def standardize(X):\n" + textwrap.indent(code, "    ") + "\n"
        result, elapsed = timed(grade, ATTACK, src)
        assert result.score == 0.0 and not result.passed
        assert result.error is not None and result.error.kind == "timeout", result.error
        assert elapsed < LIMITS.wall_seconds + SLACK
        assert all(c.points == 0 for c in result.checks)

    @pytest.mark.parametrize(
        "code",
        [
            "import sys\nfor _ in range(1000):\n    sys.stdout.write('x' * 10**6)\n",
            "import os\nfor _ in range(1000):\n    os.write(2, b'y' * 10**6)\n",
            "for _ in range(10**7):\n    print('z' * 99)\n",
        ],
        ids=["stdout", "stderr-fd", "print"],
    )
    @pytest.mark.parametrize("where", ["module", "function"])
    def test_printing_a_gigabyte_is_stopped(self, grade: GradeFn, code: str, where: str) -> None:
        if where == "module":
            src = code + WRONG_STANDARDIZE
        else:
            src = "def standardize(X):\n" + textwrap.indent(code, "    ") + "    return X\n"
        result, elapsed = timed(grade, ATTACK, src)
        assert result.score == 0.0 and not result.passed
        assert result.error is not None and result.error.kind == "output-limit", result.error
        assert len(result.output.encode()) <= 64 * 1024 + 16
        assert result.output_truncated
        assert result.output.strip("\n")[:1] in ("x", "y", "z")
        assert elapsed < LIMITS.wall_seconds + SLACK  # stopped by the cap (see the kind)


# --- 6. exiting, forging results, patching, tricky objects ------------------------------------

EXITS = {
    "os._exit": "import os\nos._exit(0)",
    "sys.exit": "import sys\nsys.exit(0)",
    "exit": "exit()",
    "SystemExit": "raise SystemExit",
}


@requires_bwrap
class TestCheating:
    @pytest.mark.parametrize("how", list(EXITS))
    def test_exit_while_loading(self, grade: GradeFn, how: str) -> None:
        result = grade(ATTACK, EXITS[how] + "\n" + GOOD_STANDARDIZE)
        assert result.score == 0.0 and not result.passed
        assert result.error is not None and result.error.kind == "runtime", result.error
        assert all(c.message["en"].startswith("Not run") for c in result.checks)

    @pytest.mark.parametrize("how", list(EXITS))
    def test_exit_inside_the_function(self, grade: GradeFn, how: str) -> None:
        src = "def standardize(X):\n" + textwrap.indent(EXITS[how], "    ") + "\n"
        result = grade(ATTACK, src)
        assert result.score == 0.0 and not result.passed
        if how == "os._exit":
            assert result.error is not None and result.error.kind == "runtime"
            assert "exit status 0" in result.error.message["en"]
        else:
            # exit(), quit() and sys.exit() raise SystemExit (the host defines exit/quit as
            # an ordinary interpreter does): reported once, the other checks are not run.
            assert result.error is not None and result.error.kind == "runtime", result.error
            assert "called exit() or sys.exit() inside" in result.error.message["en"]
            assert all(c.message["en"].startswith("Not run") for c in result.checks)

    @pytest.mark.parametrize("where", ["module", "function"])
    def test_forged_results_and_frames_do_not_pass(self, grade: GradeFn, where: str) -> None:
        src = learner(
            """
            import json, os, struct, sys
            import msgpack

            FAKE = {"exercise": "x", "passed": True, "score": 1.0, "checks": [], "error": None,
                    "seed": 7, "sandbox": {"isolated": True, "backend": "bwrap"}}

            def _spray():
                line = json.dumps(FAKE) + "\\n"
                sys.stdout.write(line)
                sys.stderr.write(line)
                bodies = [msgpack.packb(FAKE)]
                for seq in range(8):
                    bodies.append(msgpack.packb({"seq": seq, "ok": {"names": {"standardize": "function"}}}))
                    bodies.append(msgpack.packb({"seq": seq, "ok": [[0.0]]}))
                    bodies.append(msgpack.packb({"seq": seq, "passed": True, "score": 1.0}))
                for body in bodies:
                    frame = struct.pack(">I", len(body)) + body
                    for fd in range(21):
                        try:
                            os.write(fd, frame)
                            os.write(fd, line.encode())
                        except OSError:
                            pass
            """
        )
        if where == "module":
            src += "\n_spray()\n" + WRONG_STANDARDIZE
        else:
            src += "\ndef standardize(X):\n    _spray()\n    return X\n"
        result = grade(ATTACK, src)
        assert result.score == 0.0 and not result.passed
        assert not any(c.passed for c in result.checks)
        assert result.error is None or result.error.kind in ("runtime", "timeout", "protocol"), (
            result.error
        )

    @pytest.mark.parametrize("patch_builtins", [False, True], ids=["numpy-math", "builtins"])
    def test_monkeypatched_comparisons_do_not_help(
        self, grade: GradeFn, patch_builtins: bool
    ) -> None:
        src = learner(
            """
            import builtins, math
            import numpy as np
            import numpy.testing

            np.allclose = lambda *a, **k: True
            np.array_equal = lambda *a, **k: True
            np.isclose = lambda a, b, *r, **k: np.ones(np.broadcast(a, b).shape, dtype=bool)
            numpy.testing.assert_allclose = lambda *a, **k: None
            numpy.testing.assert_array_equal = lambda *a, **k: None
            numpy.testing.assert_array_almost_equal = lambda *a, **k: None
            math.isclose = lambda *a, **k: True
            if __PATCH_BUILTINS__:
                builtins.isinstance = lambda obj, cls: True
                builtins.len = lambda obj: 0

            def standardize(X):
                return np.asarray(X, dtype=float) * 0 + 1.0
            """,
            PATCH_BUILTINS=patch_builtins,
        )
        result = grade(ATTACK, src)
        assert result.score == 0.0 and not result.passed
        assert not any(c.passed for c in result.checks)
        if not patch_builtins:  # the trusted side compared with the real np.isclose
            assert result.error is None
            assert "values differ" in result.checks[0].message["en"]

    def test_module_getattr_does_not_invent_names(self, grade: GradeFn) -> None:
        src = "import numpy as np\n\ndef __getattr__(name):\n    return lambda *a, **k: np.zeros((1, 1))\n"
        result = grade(ATTACK, src)
        assert result.score == 0.0 and not result.passed
        assert result.error is not None and result.error.kind == "missing-name"
        assert "standardize" in result.error.message["en"]
        assert "standardize" in result.error.message["zh"]

    @pytest.mark.parametrize("cls", ["AlwaysEq", "ArraySub", "FloatSub", "IntSub", "ListSub"])
    def test_objects_that_claim_equality_are_refused(self, grade: GradeFn, cls: str) -> None:
        src = learner(
            """
            import numpy as np

            def _right(X):
                X = np.asarray(X, dtype=np.float64)
                sd = X.std(axis=0)
                return (X - X.mean(axis=0)) / np.where(sd == 0, 1.0, sd)

            class AlwaysEq:
                def __init__(self, X):
                    self.value = _right(X)
                def __eq__(self, other):
                    return True
                def __ne__(self, other):
                    return False
                def __bool__(self):
                    return True
                def __array__(self, dtype=None, copy=None):
                    return self.value
                def __len__(self):
                    return len(self.value)
                def __getitem__(self, i):
                    return self.value[i]
                __hash__ = object.__hash__

            class ArraySub(np.ndarray):
                def __eq__(self, other):
                    return np.ones(self.shape, dtype=bool)
                def __ne__(self, other):
                    return np.zeros(self.shape, dtype=bool)

            class FloatSub(float):
                def __eq__(self, other):
                    return True

            class IntSub(int):
                def __eq__(self, other):
                    return True

            class ListSub(list):
                def __eq__(self, other):
                    return True

            def standardize(X):
                right = _right(X)
                kind = __CLS__
                if kind == "AlwaysEq":
                    return AlwaysEq(X)
                if kind == "ArraySub":
                    return right.view(ArraySub)  # the right values, in a subclass
                if kind == "FloatSub":
                    return FloatSub(0.0)
                if kind == "IntSub":
                    return IntSub(0)
                return ListSub(right.tolist())
            """,
            CLS=cls,
        )
        result = grade(ATTACK, src)
        assert result.error is None, result.error
        assert result.score == 0.0 and not result.passed
        for c in result.checks:
            assert "returned an object of type" in c.message["en"], c.message
            assert cls in c.message["en"] and cls in c.message["zh"]


# --- 7. attacking the grader and the machine ------------------------------------------------


@requires_bwrap
class TestKillingOthers:
    @pytest.mark.parametrize("target", ["parent", "everyone", "own-group", "pid-1"])
    def test_kill_does_not_harm_runner_or_host(
        self, grade: GradeFn, sandbox_uids: set[int], target: str
    ) -> None:
        canary = subprocess.Popen(["sleep", "60"], start_new_session=True)
        try:
            src = learner(
                """
                import os, signal

                def _in_sandbox():
                    # Refuse to run unless contained: kill(-1) outside would be disastrous.
                    try:
                        with open("/proc/1/cmdline", "rb") as f:
                            init = f.read()
                    except OSError:
                        return False
                    pids = [p for p in os.listdir("/proc") if p.isdigit()]
                    return os.getuid() != 0 and init.startswith(b"bwrap") and len(pids) < 16

                def probe():
                    if not _in_sandbox():
                        return "refused: not in a sandbox"
                    target = __TARGET__
                    pid = {"parent": os.getppid(), "everyone": -1, "own-group": 0, "pid-1": 1}[target]
                    for sig in (signal.SIGTERM, signal.SIGKILL):
                        try:
                            os.kill(pid, sig)
                        except OSError:
                            pass
                    return "nothing"
                """,
                TARGET=target,
            )
            result = grade(PROBE, src)
            assert "refused" not in check_text(result)
            # The learner may have killed itself; nothing else.
            assert result.score == 1.0 or (result.error and result.error.kind == "runtime"), (
                result.error,
                check_text(result),
            )
            assert canary.poll() is None, "a host process was killed"
            assert_no_leftovers(sandbox_uids)
            again = grade(ATTACK, GOOD_STANDARDIZE)  # the grader still works
            assert again.passed
        finally:
            canary.kill()
            canary.wait()


# --- fallback: rlimits only (no harmful attacks here: nothing would contain them) --------------


def test_bwrap_installed_in_ci() -> None:
    """CI must exercise the real sandbox: there, a missing bwrap is a failure, not a skip."""
    if not os.environ.get("CI"):
        pytest.skip("CI is not set; locally, sandbox tests skip when bubblewrap is missing")
    assert shutil.which("bwrap") is not None, "bubblewrap (bwrap) is not installed on CI"
    assert BACKEND.isolated, f"bwrap is installed but unusable on CI: {BACKEND.reason}"


@pytest.fixture
def fallback() -> Iterator[Grader]:
    g = Grader(sandbox="none")
    yield g
    g.close()


class TestFallback:
    def test_result_says_not_isolated_and_passing_still_passes(self, fallback: Grader) -> None:
        result = fallback.grade(ATTACK, GOOD_STANDARDIZE, seed=3)
        assert result.passed and result.score == 1.0
        assert not result.sandbox.isolated and result.sandbox.backend == "none"
        warning = result.sandbox.warning
        assert warning is not None and set(warning) == {"en", "zh"}
        assert warning["en"] and warning["zh"] and warning["en"] != warning["zh"]
        assert "bubblewrap" in warning["en"] and "bubblewrap" in warning["zh"]

    def test_wrong_answer_fails(self, fallback: Grader) -> None:
        result = fallback.grade(ATTACK, WRONG_STANDARDIZE, seed=3)
        assert not result.passed and result.score == 0.0 and result.error is None

    @pytest.mark.parametrize(
        "code",
        ["import time\n    time.sleep(10**6)", "while True:\n        pass"],
        ids=["sleep", "busy"],
    )
    def test_timeout_is_still_a_timeout(self, fallback: Grader, code: str) -> None:
        started = time.monotonic()
        result = fallback.grade(ATTACK, f"def standardize(X):\n    {code}\n", seed=3)
        assert result.error is not None and result.error.kind == "timeout", result.error
        assert result.score == 0.0
        assert time.monotonic() - started < LIMITS.wall_seconds + SLACK

    def test_memory_limit_still_applies(self, fallback: Grader) -> None:
        result = fallback.grade(ATTACK, "X_BIG = bytearray(10**10)\n" + WRONG_STANDARDIZE, seed=3)
        assert result.error is not None and result.error.kind == "memory"

    def test_private_folder_removed_after_grading(self, fallback: Grader) -> None:
        src = "import os\nprint('cwd', os.getcwd())\nopen('left.txt', 'w').write('x')\n"
        result = fallback.grade(ATTACK, src + GOOD_STANDARDIZE, seed=3)
        assert result.passed
        cwd = Path(result.output.split("cwd ", 1)[1].split()[0])
        assert cwd.name.startswith("lmschool-learner-")
        assert not cwd.exists()

    def test_control_probe_does_read_secrets_without_isolation(self, fallback: Grader) -> None:
        """The read probe is not vacuous: unisolated, it finds the hidden checks."""
        paths = [str(p) for p in SECRET_FILES]
        result = fallback.grade(PROBE, learner(PROBE_READ, PATHS=paths, MODULES=[]), seed=3)
        assert result.score == 0.0
        assert "read " + str(SECRET_FILES[0]) in result.checks[0].message["en"]


# --- warm pool -------------------------------------------------------------------------------


@requires_bwrap
class TestWarmPool:
    def test_two_submissions_in_a_row_are_both_warm(self, sandbox_uids: set[int]) -> None:
        with Grader(sandbox="bwrap", pool={profile_of(ATTACK).key: 1}) as g:
            assert g.pool is not None
            g.pool.wait_ready(30)
            time.sleep(1.0)  # a pooled slot must survive the thread that started it
            leave = f"left-{uuid.uuid4().hex}"
            first = g.grade(
                ATTACK,
                f"import numpy\nnumpy.LEFT_BEHIND = 1\nopen({leave!r}, 'w').write('x')\n"
                + GOOD_STANDARDIZE,
                seed=1,
            )
            g.pool.wait_ready(30)
            second = g.grade(ATTACK, WRONG_STANDARDIZE, seed=2)
            assert first.sandbox.warm and second.sandbox.warm
            assert first.sandbox.isolated and first.passed and first.score == 1.0
            assert not second.passed and second.score == 0.0 and second.error is None
            # a slot is single-use: the next learner cannot see the previous one's state
            g.pool.wait_ready(30)
            look = learner(
                """
                import os
                import numpy
                def probe():
                    if hasattr(numpy, "LEFT_BEHIND") or os.path.exists(__LEAVE__):
                        return "state of the previous submission is visible"
                    return "nothing"
                """,
                LEAVE=leave,
            )
            third = g.grade(PROBE, look, seed=3)
            assert third.sandbox.warm and third.passed
        assert_no_leftovers(sandbox_uids)  # closing the pool ends the refilled slot too

    def test_torch_exercise_through_pool(self, sandbox_uids: set[int]) -> None:
        torch_limits = NS(cpu_seconds=3, memory_mb=256, wall_seconds=8)
        ex = exercise("torch_exercise", ["linear_forward"], needs=("torch",), limits=torch_limits)
        with Grader(sandbox="bwrap", pool={profile_of(TORCH).key: 1}) as g:
            assert g.pool is not None
            g.pool.wait_ready(60)
            good = g.grade(ex, (TORCH.dir / "solution.py").read_text(), seed=5)
            assert good.sandbox.warm and good.sandbox.isolated
            assert good.passed and good.score == 1.0, check_text(good)
            # A NumPy array instead of a tensor: the values check passes, the type check fails.
            g.pool.wait_ready(60)
            numpy_back = g.grade(
                ex, "def linear_forward(x, w, b):\n    return (x @ w.T + b).numpy()\n", seed=5
            )
            assert numpy_back.sandbox.warm
            assert [c.passed for c in numpy_back.checks] == [True, False]
            assert "float32 tensor" in numpy_back.checks[1].message["en"]
        assert_no_leftovers(sandbox_uids)
