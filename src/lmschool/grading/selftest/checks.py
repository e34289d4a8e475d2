"""Checks of the sandbox self-test: each isolation property is one check."""

from lmschool.grading.checks import check, expect_equal

_FACTS = {}


def _facts(ctx):
    if not _FACTS:
        import os
        from pathlib import Path

        package = Path(__file__).resolve().parents[1]
        secrets = [str(Path(__file__).resolve()), str(package / "grader.py")]
        from lmschool.config import get_settings

        secrets.append(str(get_settings().home))
        env = [n for n in os.environ if n.startswith("LMSCHOOL_") and n != "LMSCHOOL_DATA_DIR"] + [
            "HOSTNAME_SECRET"
        ]
        # paths of the host that only bwrap's own options name (they travel via --args)
        host = [str(package), str(get_settings().home)]
        _FACTS.update(ctx.learner.probe(secrets, env, host))
    return _FACTS


@check(title={"en": "No network", "zh": "无网络"})
def no_network(ctx):
    expect_equal("network reachable", _facts(ctx)["network"], False)


@check(title={"en": "Own process namespace", "zh": "独立进程命名空间"})
def own_pids(ctx):
    expect_equal("own pid namespace", _facts(ctx)["own_pid_namespace"], True)


@check(title={"en": "Not root", "zh": "非 root 用户"})
def not_root(ctx):
    expect_equal("runs as root", _facts(ctx)["root"], False)


@check(title={"en": "Hidden files invisible", "zh": "隐藏文件不可见"})
def secrets_hidden(ctx):
    expect_equal("visible secret paths", _facts(ctx)["secrets_visible"], [])


@check(title={"en": "Read-only system", "zh": "系统只读"})
def read_only(ctx):
    expect_equal("can write /usr", _facts(ctx)["can_write_system"], False)


@check(title={"en": "Scrubbed environment", "zh": "环境变量已清理"})
def scrubbed_env(ctx):
    expect_equal("leaked environment variables", _facts(ctx)["env_leaks"], [])


@check(title={"en": "No new namespaces (seccomp)", "zh": "不能新建命名空间（seccomp）"})
def no_namespaces(ctx):
    expect_equal("unshare(CLONE_NEWUSER) succeeded", _facts(ctx)["new_user_namespace"], False)


@check(title={"en": "No kernel keys (seccomp)", "zh": "不能使用内核密钥（seccomp）"})
def no_keys(ctx):
    expect_equal("add_key succeeded", _facts(ctx)["kernel_key_added"], False)


@check(title={"en": "Only allowed packages installed", "zh": "只安装了允许的库"})
def allow_list(ctx):
    expect_equal("libraries outside the allow-list", _facts(ctx)["not_allowed_importable"], [])


@check(title={"en": "No host paths in /proc/1/cmdline", "zh": "/proc/1/cmdline 中没有主机路径"})
def init_cmdline(ctx):
    expect_equal("host paths in /proc/1/cmdline", _facts(ctx)["host_paths_in_init"], [])
