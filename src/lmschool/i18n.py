"""Languages and learner-facing text.

Every learner-facing string exists in Chinese and English. Content (lessons,
hints, check messages written by authors) carries its own ``{"en": ..., "zh": ...}``
pairs; the interface's own strings live in ``MESSAGES`` below, and a test checks
that every entry has both languages with the same placeholders.

This module is imported by the trusted grading runner: standard library only.
"""

from __future__ import annotations

import locale
import os
import reprlib
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")


def detect_lang() -> Lang:
    """The default language: ``LMSCHOOL_LANG``, else the locale, else English."""
    explicit = os.environ.get("LMSCHOOL_LANG", "").strip().lower()
    for lang in LANGS:  # "zh", or a locale form such as zh_CN.UTF-8
        if explicit == lang or explicit.startswith((f"{lang}_", f"{lang}-", f"{lang}.")):
            return lang
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


ARG_CHARS = 300  # a formatted argument longer than this is cut (learner values can be huge)


class _Shown:
    """A value's bounded text, for ``{x}`` and ``{x!r}`` alike."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 120
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 8
_REPR.maxlevel = 3


def bounded(value: object, limit: int = ARG_CHARS) -> object:
    """``value`` made safe to format into a message: at most about ``limit`` characters.

    Numbers keep their type (format specs such as ``{x:.3f}`` still work) unless an
    int is too long to print; strings are cut; containers and other objects are shown
    by a bounded repr that never calls into huge structures.
    """
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return value
    if isinstance(value, int):
        if value.bit_length() > 600:  # ~180 digits: str() of 4,300+ digits even raises
            return _Shown(f"<an int of {value.bit_length()} bits>")
        return value
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + f"... ({len(value)} characters)"
    try:
        if isinstance(value, list | tuple | dict | set | frozenset | bytes | bytearray) or hasattr(
            value, "shape"
        ):
            text = _REPR.repr(value)  # containers and arrays: bounded, never walks it all
        else:
            text = str(value)  # paths, messages and other objects read best as text
    except Exception:  # a hostile or broken __repr__
        text = f"<{type(value).__name__}>"
    return _Shown(text if len(text) <= limit else text[:limit] + "...")


class Msg:
    """A message in both languages, formatted lazily with the same arguments.

    Arguments are bounded (:func:`bounded`): a learner value quoted in a message never
    makes the message larger than a few hundred characters per argument.
    """

    __slots__ = ("key", "kwargs", "_texts")

    def __init__(self, texts: dict[str, str], key: str = "", **kwargs: object) -> None:
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            raise ValueError(f"message {key or texts!r} lacks language(s): {', '.join(missing)}")
        self._texts = texts
        self.key = key
        self.kwargs = {k: bounded(v) for k, v in kwargs.items()}

    def render(self, lang: Lang) -> str:
        # Author-written text without arguments is shown as is: braces in it are not fields.
        text = self._texts[lang]
        return text.format(**self.kwargs) if self.kwargs else text

    def both(self) -> dict[str, str]:
        return {lang: self.render(lang) for lang in LANGS}

    def __str__(self) -> str:  # English for logs and exceptions
        return self.render("en")

    def __repr__(self) -> str:
        return f"Msg({self.key or self._texts['en']!r})"


def msg(key: str, **kwargs: object) -> Msg:
    """A catalogue message by key, formatted with ``kwargs``."""
    try:
        texts = MESSAGES[key]
    except KeyError:
        raise KeyError(f"no message {key!r} in lmschool.i18n.MESSAGES") from None
    return Msg(texts, key, **kwargs)


def t(key: str, lang: Lang, **kwargs: object) -> str:
    """Render catalogue message ``key`` in ``lang``."""
    return msg(key, **kwargs).render(lang)


def pick(text: dict[str, str] | None, lang: Lang) -> str:
    """The ``lang`` side of a content text pair, falling back to the other language."""
    if not text:
        return ""
    return text.get(lang) or next(iter(text.values()), "")


# The interface's own strings. Keys are grouped by the part that uses them.
MESSAGES: dict[str, dict[str, str]] = {
    # --- grading: check helpers -------------------------------------------------
    "check.not_data": {
        "en": "{name}: expected {want_kind}, but your code returned an object of type {got_type}.",
        "zh": "{name}：期望得到{want_kind}，但你的代码返回了类型为 {got_type} 的对象。",
    },
    "check.type": {
        "en": "{name}: expected {want_kind}, got {got_type}.",
        "zh": "{name}：期望得到{want_kind}，实际得到 {got_type}。",
    },
    "check.shape": {
        "en": "{name}: expected shape {want}, got shape {got}.",
        "zh": "{name}：期望形状为 {want}，实际形状为 {got}。",
    },
    "check.dtype": {
        "en": "{name}: expected dtype {want}, got dtype {got}.",
        "zh": "{name}：期望数据类型为 {want}，实际为 {got}。",
    },
    "check.nan": {
        "en": "{name}: your result contains NaN or infinity at index {index} (value {got}); expected {want}.",
        "zh": "{name}：你的结果在索引 {index} 处含有 NaN 或无穷大（值为 {got}）；期望值为 {want}。",
    },
    "check.values": {
        "en": "{name}: {count} of {total} values differ. First mismatch at index {index}: expected {want}, got {got} (tolerance rtol={rtol}, atol={atol}).",
        "zh": "{name}：{total} 个值中有 {count} 个不一致。第一个不一致位于索引 {index}：期望 {want}，实际 {got}（容差 rtol={rtol}，atol={atol}）。",
    },
    "check.scalar": {
        "en": "{name}: expected {want}, got {got} (tolerance rtol={rtol}, atol={atol}).",
        "zh": "{name}：期望 {want}，实际 {got}（容差 rtol={rtol}，atol={atol}）。",
    },
    "check.equal": {
        "en": "{name}: expected {want!r}, got {got!r}.",
        "zh": "{name}：期望 {want!r}，实际 {got!r}。",
    },
    "check.length": {
        "en": "{name}: expected {want} items, got {got}.",
        "zh": "{name}：期望 {want} 个元素，实际为 {got} 个。",
    },
    "check.no_raise": {
        "en": "{name}: expected your code to raise {want}, but it returned normally.",
        "zh": "{name}：期望你的代码抛出 {want}，但它正常返回了。",
    },
    "check.wrong_raise": {
        "en": "{name}: expected your code to raise {want}, but it raised {got}: {message}",
        "zh": "{name}：期望你的代码抛出 {want}，但它抛出了 {got}：{message}",
    },
    "check.learner_raised": {
        "en": "Your code raised {type}: {message}",
        "zh": "你的代码抛出了异常 {type}：{message}",
    },
    "check.not_run": {
        "en": "Not run: grading stopped before this check.",
        "zh": "未运行：评分在此检查之前已停止。",
    },
    "check.passed": {"en": "Passed.", "zh": "通过。"},
    "check.kind.array": {"en": "an array", "zh": "一个数组"},
    "check.kind.number": {"en": "a number", "zh": "一个数"},
    "check.kind.tensor": {"en": "a tensor", "zh": "一个张量"},
    # --- grading: whole-submission errors ------------------------------------------
    "error.syntax": {
        "en": "Syntax error in your file at line {line}: {message}",
        "zh": "你的文件第 {line} 行有语法错误：{message}",
    },
    "error.runtime_load": {
        "en": "Your file raised {type} while loading: {message}",
        "zh": "加载你的文件时抛出了异常 {type}：{message}",
    },
    "error.exit_load": {
        "en": "Your file called exit() or sys.exit() while loading; the checks could not run.",
        "zh": "加载你的文件时调用了 exit() 或 sys.exit()，检查无法运行。",
    },
    "error.process_ended": {
        "en": "Your program ended its own process (exit status {status}) before the checks finished.",
        "zh": "你的程序在检查完成之前结束了自己的进程（退出状态 {status}）。",
    },
    "error.missing_name": {
        "en": "Your file must define {names}, but does not.",
        "zh": "你的文件必须定义 {names}，但没有定义。",
    },
    "error.timeout_wall": {
        "en": "Time limit exceeded: grading was stopped after {seconds:g} s (wall clock). Look for an infinite loop or work that is too slow.",
        "zh": "超出时间限制：评分在 {seconds:g} 秒（墙钟时间）后被终止。请检查是否有死循环或过慢的计算。",
    },
    "error.timeout_cpu": {
        "en": "CPU time limit exceeded ({seconds:g} s of CPU). Look for an infinite loop or work that is too slow.",
        "zh": "超出 CPU 时间限制（{seconds:g} 秒）。请检查是否有死循环或过慢的计算。",
    },
    "error.memory": {
        "en": "Memory limit exceeded ({mb} MB). Use smaller arrays or process the data in pieces.",
        "zh": "超出内存限制（{mb} MB）。请使用更小的数组或分批处理数据。",
    },
    "error.output_limit": {
        "en": "Your program printed more than {kb} KB of output and was stopped. Remove large or looping print() calls.",
        "zh": "你的程序输出超过 {kb} KB，已被终止。请删除大量输出或循环中的 print()。",
    },
    "error.protocol": {
        "en": "Your program interfered with the grader's channel: {detail}",
        "zh": "你的程序干扰了评分器的通信通道：{detail}",
    },
    "error.sandbox": {
        "en": "The sandbox could not start: {detail}",
        "zh": "沙箱无法启动：{detail}",
    },
    "error.internal": {
        "en": "Internal grader error (not your fault; this attempt does not count). Incident {incident}: the grading server's log has the details.",
        "zh": "评分器内部错误（不是你的问题，本次提交不计入尝试次数）。事件编号 {incident}：评分服务器的日志中有详细信息。",
    },
    "check.grader_error": {
        "en": "The checks could not evaluate what your code returned here (incident {incident}). Look at the type, shape and size of the value your code returns for this check.",
        "zh": "检查程序无法评估你的代码在这里返回的结果（事件编号 {incident}）。请检查你的代码在这项检查中返回值的类型、形状和大小。",
    },
    "error.protocol_budget": {
        "en": "Your program's answers were too large or too deeply nested for the grader ({detail}); incident {incident}. Return plain arrays and numbers of the expected size.",
        "zh": "你的程序返回的数据太大或嵌套太深，评分器无法处理（{detail}）；事件编号 {incident}。请返回大小符合要求的普通数组和数值。",
    },
    "error.exit_call": {
        "en": "Your code called exit() or sys.exit() inside {where}; the checks cannot go on after that. Return a value instead of exiting.",
        "zh": "你的代码在 {where} 中调用了 exit() 或 sys.exit()，之后的检查无法继续。请返回一个值，而不是退出程序。",
    },
    "error.memory_group": {
        "en": "Memory limit exceeded: your program's processes together, with their files in /tmp and shared memory, used more than {mb} MB and were stopped.",
        "zh": "超出内存限制：你的程序的所有进程（连同它们在 /tmp 中的文件和共享内存）一共使用了超过 {mb} MB 内存，已被终止。",
    },
    "error.not_allowed": {
        "en": "Your file uses what this exercise does not allow, so it was not run:\n{problems}",
        "zh": "你的文件用到了本练习不允许使用的内容，因此没有运行：\n{problems}",
    },
    "imports.import": {
        "en": "line {line}: `{code}` imports {name}, which is not available in this exercise (allowed: {allowed}, and Python's standard library).",
        "zh": "第 {line} 行：`{code}` 导入了 {name}，本练习中不能使用它（允许：{allowed}，以及 Python 标准库）。",
    },
    "imports.forbidden": {
        "en": "line {line}: `{code}` uses {name}, which does the very work this exercise asks you to write yourself.",
        "zh": "第 {line} 行：`{code}` 用到了 {name}，而它正好完成了本练习要求你亲手实现的工作。",
    },
    "imports.reflection": {
        "en": "line {line}: `{code}` reaches a name by computing it at run time, which this exercise does not allow (it forbids {forbidden}); write the code out.",
        "zh": "第 {line} 行：`{code}` 在运行时拼出名字来访问对象，本练习不允许这样做（本练习禁止使用 {forbidden}）；请直接写出代码。",
    },
    "imports.dynamic-import": {
        "en": "line {line}: `{code}` imports a module whose name is computed at run time; write a plain import statement instead.",
        "zh": "第 {line} 行：`{code}` 导入了一个运行时才确定名字的模块；请改用普通的 import 语句。",
    },
    "error.interrupted": {
        "en": "Grading was interrupted before it finished (the grader was stopped or crashed).",
        "zh": "评分在完成之前被中断（评分器被停止或崩溃）。",
    },
    "sandbox.not_isolated": {
        "en": "WARNING: bubblewrap is not available, so learner code ran WITHOUT isolation (resource limits only).",
        "zh": "警告：没有可用的 bubblewrap，学员代码在没有隔离的情况下运行（仅有资源限制）。",
    },
    "sandbox.missing": {
        "en": "WARNING: the sandbox ran without {layers}; learner code was not fully contained.",
        "zh": "警告：沙箱缺少以下保护：{layers}。学员代码没有被完全隔离。",
    },
    "sandbox.layer.cgroups": {
        "en": "cgroup limits (memory, processes and CPU of all of a submission's processes)",
        "zh": "cgroup 限制（对一次提交的全部进程限制内存、进程数和 CPU）",
    },
    "sandbox.layer.seccomp": {
        "en": "the seccomp filter (no new namespaces, mounts, kernel keys or ptrace)",
        "zh": "seccomp 过滤器（禁止新建命名空间、挂载、内核密钥和 ptrace）",
    },
}
