"""A hostile learner on a shared server gets nothing and harms no one (docs/grading.md).

Each attack below worked against the grader before its hardening. It is graded for real
(bubblewrap, as root in CI, cgroups and seccomp on), most of them beside a correct
neighbour submission graded at the same time, asserting: score 0 and the right error
kind; memory actually held bounded by the slot's control group; the neighbour's verdict;
no hidden line or host path in the result; a bounded result document; no process and no
kernel key left afterwards; no effect on the next submission. Timing goals (the
neighbour's grading time beside a hostile one) live in the benchmark, not here: the CPU
quota is asserted from the kernel's own accounting instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from types import SimpleNamespace as NS
from typing import Any

import pytest

from lmschool.grading import cgroups, imports, uids, wire
from lmschool.grading.grader import (
    Grader,
    Protections,
    cap_result,
    detect_protections,
    require_hardened,
)
from lmschool.grading.result import Result, SandboxInfo
from lmschool.grading.sandbox import detect_backend

pytestmark = pytest.mark.sandbox

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPO = Path(__file__).resolve().parents[1]
LIMITS = NS(cpu_seconds=5, memory_mb=256, wall_seconds=15)
BACKEND = detect_backend("auto")
PROTECTIONS = detect_protections("auto")
requires_bwrap = pytest.mark.skipif(BACKEND.name != "bwrap", reason="bubblewrap unavailable")
requires_cgroups = pytest.mark.skipif(
    not PROTECTIONS.cgroups.available, reason=f"no cgroups: {PROTECTIONS.cgroups.reason}"
)
requires_root = pytest.mark.skipif(os.geteuid() != 0, reason="root-mode sandbox (leased uids)")


def exercise(folder: str, names: list[str], limits: Any = LIMITS, **extra: Any) -> NS:
    return NS(
        id=f"tests/fixtures/{folder}",
        dir=FIXTURES / folder,
        names=names,
        needs=["numpy"],
        limits=limits,
        **extra,
    )


ATTACK = exercise("attack_exercise", ["standardize"])
PROBE = exercise("probe_exercise", ["probe"])
FRAGILE = exercise("fragile_exercise", ["answer"])
GOOD = textwrap.dedent(
    """
    import numpy as np

    def standardize(X):
        X = np.asarray(X, dtype=np.float64)
        sigma = X.std(axis=0)
        return (X - X.mean(axis=0)) / np.where(sigma == 0, 1.0, sigma)
    """
)


def src(text: str) -> str:
    return textwrap.dedent(text)


@pytest.fixture(scope="module")
def grader() -> Any:
    g = Grader(sandbox="bwrap")
    yield g
    g.close()


@pytest.fixture
def leased(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every uid leased by the gradings of one test."""
    seen: list[int] = []
    original = uids.lease

    def recording(*args: Any, **kwargs: Any) -> uids.UidLease:
        lease = original(*args, **kwargs)
        seen.append(lease.uid)
        return lease

    monkeypatch.setattr(uids, "lease", recording)
    return seen


def beside_neighbour(grader: Grader, ex: NS, source: str) -> tuple[Result, Result]:
    """Grade ``source`` and a correct neighbour at the same time; both results."""
    out: dict[str, Result] = {}

    def hostile() -> None:
        out["hostile"] = grader.grade(ex, source, seed=11)

    thread = threading.Thread(target=hostile)
    thread.start()
    out["neighbour"] = grader.grade(ATTACK, GOOD, seed=12)
    thread.join(timeout=120)
    return out["hostile"], out["neighbour"]


def assert_neighbour_fine(result: Result) -> None:
    assert result.passed and result.score == 1.0, (result.error, result.checks)


def assert_clean(result: Result, leased: list[int]) -> None:
    """Nothing of the sandbox survives: no process of its uid, no kernel key, small result."""
    doc = json.dumps(result.doc(), ensure_ascii=False)
    assert len(doc.encode()) <= 512 * 1024
    for secret in (str(FIXTURES), 'checks.py", line', "Traceback (most recent call last)"):
        assert secret not in doc, f"{secret!r} leaked into the result"
    if os.geteuid() == 0:
        assert leased, "no uid was leased"
        for uid in leased:
            assert not uids.uid_in_use(uid), f"a process of sandbox uid {uid} survived"
        key_users = Path("/proc/key-users").read_text() if Path("/proc/key-users").exists() else ""
        owners = {int(line.split(":")[0]) for line in key_users.splitlines() if ":" in line}
        assert not owners & set(leased), "a kernel key of a sandbox uid survived"


# --- 1. memory and CPU beyond the exercise's limits -------------------------------------

MEMORY_ATTACKS = {
    # 1.2 GB in memfds (48 MB each, under RLIMIT_FSIZE): no address space, so
    # RLIMIT_AS never saw it
    "memfd": """
        import os
        chunk = b"x" * (1 << 20)
        fds = []
        for _ in range(25):
            fd = os.memfd_create("hog")
            for _ in range(48):
                os.write(fd, chunk)
            fds.append(fd)
        """,
    # files in the private tmpfs folders count as memory too
    "tmpfs": """
        block = b"x" * (1 << 20)
        for folder in ("/tmp", "/home/learner"):
            for i in range(120):
                try:
                    with open(f"{folder}/f{i}", "wb") as f:
                        f.write(block)
                except OSError:
                    break
        """,
    # several children, each under its own RLIMIT_AS, together far above the limit
    "children": """
        import os, time
        pids = []
        for _ in range(6):
            pid = os.fork()
            if pid == 0:
                hog = bytearray(200 << 20)
                for i in range(0, len(hog), 4096):
                    hog[i] = 1
                time.sleep(30)
                os._exit(0)
            pids.append(pid)
        time.sleep(30)
        """,
}


@requires_bwrap
@requires_cgroups
class TestMemoryAndCpu:
    @pytest.mark.parametrize("attack", list(MEMORY_ATTACKS))
    def test_memory_is_bounded_for_the_whole_slot(
        self, grader: Grader, attack: str, leased: list[int]
    ) -> None:
        limits = NS(cpu_seconds=10, memory_mb=96 if attack == "tmpfs" else 256, wall_seconds=20)
        ex = exercise("attack_exercise", ["standardize"], limits=limits)
        hostile, neighbour = beside_neighbour(grader, ex, src(MEMORY_ATTACKS[attack]) + GOOD)
        assert hostile.score == 0.0 and not hostile.passed
        assert hostile.error is not None and hostile.error.kind == "memory", hostile.error
        # what the slot's processes held, tmpfs and memfd pages included, per the kernel
        peak = hostile.sandbox.memory_peak_mb
        assert peak is not None and peak <= limits.memory_mb + 200, peak
        assert_neighbour_fine(neighbour)
        assert_clean(hostile, leased)

    def test_spinning_children_get_one_cpu(self, grader: Grader, leased: list[int]) -> None:
        spin = src(
            """
            import os, time
            for _ in range(60):
                if os.fork() == 0:
                    while True:
                        pass
            time.sleep(8)
            """
        )
        limits = NS(cpu_seconds=30, memory_mb=256, wall_seconds=6)
        ex = exercise("attack_exercise", ["standardize"], limits=limits)
        hostile, neighbour = beside_neighbour(grader, ex, spin + GOOD)
        assert not hostile.passed and hostile.error is not None
        assert hostile.error.kind == "timeout"
        wall = hostile.duration_ms / 1000
        # the kernel's own accounting: one core's quota, whatever the number of children
        assert hostile.sandbox.cpu_seconds is not None
        assert hostile.sandbox.cpu_seconds <= wall * 1.0 + 1.0, (hostile.sandbox, wall)
        assert_neighbour_fine(neighbour)
        assert_clean(hostile, leased)


# --- seccomp: namespaces, mounts, keys, ptrace --------------------------------------------

SYSCALL_PROBE = """
import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
NUMBERS = {"x86_64": {"add_key": 248, "keyctl": 250, "bpf": 321, "perf_event_open": 298,
                      "userfaultfd": 323, "ptrace": 101},
           "aarch64": {"add_key": 217, "keyctl": 219, "bpf": 280, "perf_event_open": 241,
                       "userfaultfd": 282, "ptrace": 117}}[os.uname().machine]

def _in_child(fn):
    pid = os.fork()
    if pid == 0:
        os._exit(0 if fn() else 1)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0

def probe():
    got = []
    if _in_child(lambda: libc.unshare(0x10000000) == 0):
        got.append("user namespace")
    if _in_child(lambda: libc.unshare(0x10000000) == 0
                 and libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0):
        got.append("tmpfs mount in a user namespace")
    if libc.mount(b"none", b"/tmp", b"tmpfs", 0, None) == 0:
        got.append("mount")
    if libc.syscall(NUMBERS["add_key"], b"user", b"k", b"secret", 6, -4) >= 0:  # @u
        got.append("add_key")
    if libc.syscall(NUMBERS["keyctl"], 0, -4, 0) >= 0:  # KEYCTL_GET_KEYRING_ID
        got.append("keyctl")
    if libc.syscall(NUMBERS["bpf"], 0, 0, 0) >= 0 or ctypes.get_errno() != 1:
        got.append("bpf not EPERM")
    if libc.syscall(NUMBERS["userfaultfd"], 0) >= 0:
        got.append("userfaultfd")
    if libc.syscall(NUMBERS["ptrace"], 16, 1, 0, 0) == 0:  # PTRACE_ATTACH to pid 1
        got.append("ptrace")
    return ", ".join(got) or "nothing"
"""


@requires_bwrap
class TestSeccomp:
    @pytest.mark.skipif(not PROTECTIONS.seccomp, reason=PROTECTIONS.seccomp_reason)
    def test_kernel_features_a_learner_never_needs_are_denied(
        self, grader: Grader, leased: list[int]
    ) -> None:
        result = grader.grade(PROBE, SYSCALL_PROBE, seed=3)
        assert result.passed, result.checks[0].message["en"]
        assert_clean(result, leased)

    @requires_root
    def test_uids_are_never_shared_and_keys_do_not_carry_over(
        self, grader: Grader, leased: list[int]
    ) -> None:
        """A key left by one submission could be read by a later one with the same uid:
        keys are denied, and every submission gets a uid of its own."""
        first = grader.grade(PROBE, SYSCALL_PROBE, seed=3)
        second = grader.grade(PROBE, SYSCALL_PROBE, seed=4)
        assert first.passed and second.passed
        assert len(leased) == 2 and leased[0] != leased[1]
        for uid in leased:
            assert not (uids.lease_dir() / str(uid)).exists(), "a lease outlived its sandbox"
        assert_clean(second, leased)


# --- 3. the protocol: depth, object and size budgets ---------------------------------------


def nested_tuples(depth: int) -> bytes:
    """A frame body of tuples nested ``depth`` deep, built without recursion."""
    import msgpack

    inner = msgpack.packb([])
    for _ in range(depth):
        inner = msgpack.packb([msgpack.ExtType(wire.EXT_TUPLE, inner)])
    return msgpack.packb({"seq": 1, "ok": msgpack.ExtType(wire.EXT_TUPLE, inner)})


# The learner writes the crafted frame itself (the host would refuse to encode it).
NESTED_FRAME = """import msgpack, os, struct, sys, time
    inner = msgpack.packb([])
    for _ in range(2000):
        inner = msgpack.packb([msgpack.ExtType(3, inner)])
    body = msgpack.packb({"seq": 2, "ok": msgpack.ExtType(3, inner)})
    fd = int(sys.argv[sys.argv.index("--fd-out") + 1])
    os.write(fd, struct.pack(">I", len(body)) + body)
    time.sleep(30)"""


@requires_bwrap
class TestProtocolBudgets:
    @pytest.mark.parametrize(
        "reply",
        [
            NESTED_FRAME,
            "import numpy as np\n    return [np.zeros(0) for _ in range(150_000)]",
            "return b'x' * (20 << 20)",
        ],
        ids=["nested-tuples", "millions-of-arrays", "over-reply-size"],
    )
    def test_bombs_fail_as_protocol_not_internal(
        self, grader: Grader, reply: str, leased: list[int]
    ) -> None:
        source = f"def probe():\n    {reply}\n"
        limits = NS(cpu_seconds=20, memory_mb=1024, wall_seconds=60)
        ex = exercise(
            "probe_exercise", ["probe"], limits=limits, allowed_imports=("msgpack", "numpy")
        )
        result = grader.grade(ex, source, seed=1)
        assert not result.passed and result.score == 0.0
        assert result.error is not None and result.error.kind == "protocol", result.error
        assert_clean(result, leased)


def test_decoder_budgets_are_enforced_without_crashing() -> None:
    with pytest.raises(wire.WireError, match="nest deeper"):
        wire.decode(nested_tuples(2000))  # used to crash the interpreter at ~300
    many = wire.encode([[] for _ in range(wire.MAX_OBJECTS + 5)])
    with pytest.raises(wire.WireError, match="more than"):
        wire.decode(many)
    assert wire.decode(wire.encode([(1,)] * 1000)) == [(1,)] * 1000


# --- 4. internal errors: no leaked code, a neutral failed check -----------------------------


@requires_bwrap
class TestNoLeakedInternals:
    def test_a_value_that_breaks_a_check_is_a_failed_check_with_an_incident(
        self, grader: Grader, leased: list[int]
    ) -> None:
        result = grader.grade(FRAGILE, "def answer():\n    return 10 ** 400\n", seed=1)
        assert result.error is None, result.error  # never "internal": the learner did it
        assert [c.passed for c in result.checks] == [False, False]
        message = result.checks[0].message["en"]
        assert "incident" in message and "could not evaluate" in message
        incident = message.split("incident ")[1].split(")")[0]
        logged = grader.incidents.find(incident)
        assert logged is not None and "OverflowError" in logged["detail"]
        assert "checks.py" in logged["detail"]  # the operator sees the trusted traceback
        assert_clean(result, leased)

    def test_a_broken_checks_file_is_internal_without_its_source(
        self, tmp_path: Path, grader: Grader, leased: list[int]
    ) -> None:
        folder = tmp_path / "broken"
        shutil.copytree(FIXTURES / "fragile_exercise", folder)
        (folder / "checks.py").write_text("SECRET_LINE = 1 / 0  # hidden-source-marker\n")
        ex = NS(id="tests/broken", dir=folder, names=["answer"], needs=["numpy"], limits=LIMITS)
        result = grader.grade(ex, "def answer():\n    return 42\n", seed=1)
        assert result.error is not None and result.error.kind == "internal"
        assert result.incident and result.incident in result.error.message["en"]
        doc = json.dumps(result.doc())
        assert "hidden-source-marker" not in doc and str(folder) not in doc
        assert "hidden-source-marker" in grader.incidents.find(result.incident)["detail"]


# --- 5/6. allow-lists: what a sandbox holds, what a source may import or use --------------


@requires_bwrap
class TestAllowList:
    def test_numpy_exercise_sees_no_torch_or_sklearn_even_dynamically(self, grader: Grader) -> None:
        source = src(
            """
            import importlib
            def probe():
                found = []
                for name in ("torch", "sklearn", "scipy", "lmschool.ml"):
                    try:
                        importlib.import_module(name)
                        found.append(name)
                    except ImportError:
                        pass
                return ", ".join(found) or "nothing"
            """
        )
        assert grader.grade(PROBE, source, seed=1).passed

    def test_bundled_data_of_an_allowed_library_is_masked(self, grader: Grader) -> None:
        ex = exercise("probe_exercise", ["probe"], allowed_imports=("numpy", "sklearn"))
        source = src(
            """
            def probe():
                from sklearn.datasets import load_breast_cancer
                try:
                    load_breast_cancer()
                    return "loaded the hidden table"
                except (OSError, FileNotFoundError):
                    return "nothing"
            """
        )
        result = grader.grade(ex, source, seed=1)
        assert result.passed, result.checks[0].message["en"]

    @pytest.mark.parametrize(
        "source, expected",
        [
            ("from sklearn.metrics import f1_score\n", "imports sklearn.metrics"),
            ("import torch\n", "imports torch"),
            ("from lmschool.ml.metrics import f1_score\n", "imports lmschool.ml.metrics"),
        ],
    )
    def test_an_import_outside_the_allow_list_is_refused_with_its_line(
        self, grader: Grader, source: str, expected: str
    ) -> None:
        result = grader.grade(ATTACK, source + GOOD, seed=1)
        assert result.error is not None and result.error.kind == "not-allowed"
        assert "line 1" in result.error.message["en"] and expected in result.error.message["en"]
        assert "第 1 行" in result.error.message["zh"]
        assert result.score == 0.0

    def test_a_forbidden_call_is_refused_however_imported(self, grader: Grader) -> None:
        ex = NS(**{**vars(ATTACK), "forbid": ["numpy.std"]})
        for source in (
            "import numpy as np\nstd = np.std\n",
            "from numpy import std as s\n",
            "import numpy\nf = getattr(numpy, 'std')\n",
            "import numpy\nf = getattr(numpy, 's' + 'td')\n",
        ):
            result = grader.grade(ex, source + GOOD, seed=1)
            assert result.error is not None and result.error.kind == "not-allowed", source
            assert (
                "numpy.std" in result.error.message["en"]
                or "computing it" in (result.error.message["en"])
            )


def test_scan_resolves_aliases_and_reports_lines() -> None:
    found = imports.scan(
        "import torch.nn.functional as F\nx = F.conv2d\nimport sklearn\n",
        ["numpy", "torch"],
        ["torch.nn.functional.conv2d"],
    )
    assert [(v.line, v.kind) for v in found] == [(2, "forbidden"), (3, "import")]
    assert imports.scan("import numpy\nimport json, math\n", ["numpy"]) == []
    assert imports.scan("def broken(:\n", ["numpy"]) == []  # the sandbox reports syntax


# --- 7. result documents stay small ------------------------------------------------------


@requires_bwrap
def test_a_huge_value_quoted_in_a_message_is_bounded(grader: Grader) -> None:
    result = grader.grade(PROBE, "def probe():\n    return ['x' * 1000] * 20000\n", seed=1)
    assert not result.passed
    doc = json.dumps(result.doc(), ensure_ascii=False).encode()
    assert len(doc) < 64 * 1024, len(doc)


def test_cap_result_bounds_whatever_checks_wrote() -> None:
    from lmschool.grading.result import CheckResult

    checks = [
        CheckResult(
            name=f"c{i}",
            title={"en": "t", "zh": "t"},
            passed=False,
            points=0,
            max_points=1,
            message={"en": "x" * 100_000, "zh": "y" * 100_000},
        )
        for i in range(50)
    ]
    result = Result(
        exercise="e",
        passed=False,
        score=0,
        checks=checks,
        output="o" * 60_000,
        sandbox=SandboxInfo(isolated=True, backend="bwrap"),
    )
    capped = cap_result(result)
    assert len(json.dumps(capped.doc()).encode()) <= 512 * 1024
    assert all(c.message["en"].startswith("xxx") for c in capped.checks)


# --- 8. no sandbox, no silence ------------------------------------------------------------


def test_missing_layers_are_named_in_every_result() -> None:
    with Grader(sandbox="none", cgroups_on=False) as g:
        result = g.grade(ATTACK, GOOD, seed=1)
    assert result.passed
    assert result.sandbox.isolated is False
    assert set(result.sandbox.missing) == {"isolation", "cgroups", "seccomp"}
    assert "WITHOUT isolation" in result.sandbox.warning["en"]
    assert "没有隔离" in result.sandbox.warning["zh"]


def test_a_multi_user_server_refuses_to_start_without_every_layer() -> None:
    weak = Protections(
        backend=BACKEND,
        cgroups=cgroups.CgroupSupport(None, "no delegation"),
        seccomp=False,
        seccomp_reason="libseccomp missing",
    )
    with pytest.raises(RuntimeError) as refused:
        require_hardened(weak)
    text = str(refused.value)
    assert "cgroups" in text and "seccomp" in text and "--unsafe-shared-grading" in text
    assert require_hardened(weak, unsafe_opt_out=True) == weak.missing


def test_check_warns_in_the_learners_language_without_a_sandbox(home: Path, tmp_path: Path) -> None:
    sub = tmp_path / "s.py"
    sub.write_text(GOOD)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "LMSCHOOL_SANDBOX": "none",
        "LMSCHOOL_LANG": "zh",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "lmschool", "check", "basics/numpy-warmup/standardize"]
        + ["--file", str(sub), "--course", str(REPO / "tests" / "packs" / "basics")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "警告" in proc.stdout and "没有隔离" in proc.stdout, proc.stdout[-2000:]


# --- 9. nothing of the host in /proc/1/cmdline; exit() works -------------------------------


@requires_bwrap
def test_init_command_line_shows_no_host_path(grader: Grader) -> None:
    source = src(
        f"""
        def probe():
            text = open("/proc/1/cmdline", "rb").read().decode()
            for path in ({str(REPO / "src")!r}, {str(REPO / "tests")!r}, "--tmpfs", "--ro-bind"):
                if path in text:
                    return "host detail in /proc/1/cmdline: " + path
            return "nothing"
        """
    )
    result = grader.grade(PROBE, source, seed=1)
    assert result.passed, result.checks[0].message["en"]


# --- cgroup v2, exercised on a fake hierarchy (this machine's controllers are v1) ---------


def test_cgroup_v2_limits_and_teardown_on_a_fake_tree(tmp_path: Path) -> None:
    root = tmp_path / "unified"
    own = root / "user.slice" / "me"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (own / "cgroup.subtree_control").write_text("memory pids cpu\n")
    mountinfo = f"41 31 0:38 / {root} rw,relatime - cgroup2 cgroup2 rw\n"
    support = cgroups.detect(mountinfo=mountinfo, proc_cgroup="0::/user.slice/me\n")
    assert support.version == "v2", support.reason
    assert support.parents == {"unified": own}
    group = cgroups.SlotCgroup(support, "lmschool-slot-1-0-abc")
    d = own / "lmschool-slot-1-0-abc"
    group.set_limits(memory=300 << 20, pids=72, cpus=1.0)
    assert (d / "memory.max").read_text() == str(300 << 20)
    assert (d / "memory.swap.max").read_text() == "0"
    assert (d / "pids.max").read_text() == "72"
    assert (d / "cpu.max").read_text() == "20000 20000"  # one CPU in 20 ms periods
    (d / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    (d / "cpu.stat").write_text("usage_usec 2500000\nnr_throttled 7\n")
    (d / "memory.peak").write_text(str(299 << 20))
    usage = group.usage()
    assert usage.oom_kills == 1 and usage.cpu_seconds == 2.5 and usage.throttled == 7
    assert usage.memory_peak == 299 << 20
    argv = group.wrap(["bwrap", "--args", "3"])
    assert argv[:2] == ["/bin/sh", "-c"] and argv[4:6] == ["1", str(d / "cgroup.procs")]
    assert group.kill(timeout=0.1)  # no processes listed: empty at once
    assert (d / "cgroup.kill").read_text() == "1"


def test_cgroup_v2_without_controllers_says_why(tmp_path: Path) -> None:
    root = tmp_path / "unified"
    root.mkdir()
    (root / "cgroup.controllers").write_text("hugetlb\n")
    mountinfo = f"41 31 0:38 / {root} rw - cgroup2 cgroup2 rw\n"
    support = cgroups.detect(mountinfo=mountinfo, proc_cgroup="0::/\n", prefer="v2")
    assert not support.available
    assert "memory" in support.reason and "pids" in support.reason


@requires_cgroups
def test_the_join_shell_puts_the_process_in_its_group_before_it_runs() -> None:
    group = cgroups.SlotCgroup(PROTECTIONS.cgroups, f"lmschool-slot-{os.getpid()}-join-test")
    try:
        out = subprocess.run(
            group.wrap(["cat", "/proc/self/cgroup"]), capture_output=True, text=True, check=True
        ).stdout
        assert group.name in out
    finally:
        assert group.remove()


# --- as an ordinary user: user namespaces, and the missing layers named ----------------


@requires_bwrap
@requires_root
def test_grading_as_an_ordinary_user(tmp_path: Path) -> None:
    """Run a grading as `nobody`: bwrap adds a user namespace; cgroups (no delegation)
    are reported missing rather than silently absent."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is not installed")
    probe = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c"]
        + [
            "import lmschool.grading.grader, subprocess, sys; "
            "subprocess.run([sys.executable, '-c', 'pass'], check=True)"
        ],
        capture_output=True,
        env={"PATH": os.environ["PATH"], "PYTHONPATH": str(REPO / "src")},
        cwd="/",
    )
    if probe.returncode != 0:
        pytest.skip("this interpreter or checkout cannot be used by an ordinary user here")
    tmp_path.chmod(0o777)
    script = textwrap.dedent(
        f"""
        import json, sys
        sys.path.insert(0, {str(REPO)!r})
        from tests.test_hardening import ATTACK, GOOD
        from lmschool.grading.grader import Grader
        with Grader(sandbox="bwrap") as g:
            r = g.grade(ATTACK, GOOD, seed=1)
        print(json.dumps({{"passed": r.passed, "missing": r.sandbox.missing,
                           "isolated": r.sandbox.isolated}}))
        """
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "PYTHONPATH": str(REPO / "src"),
        "TMPDIR": str(tmp_path),
    }
    proc = subprocess.run(
        [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            sys.executable,
            "-c",
            script,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    if "cannot create namespaces" in proc.stdout + proc.stderr:
        pytest.skip("user namespaces are not available to ordinary users here")
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["passed"] and got["isolated"]
    assert "cgroups" in got["missing"]
