"""The command line's own strings, in English and Chinese.

Merged into :data:`lmschool.i18n.MESSAGES` on import, so ``msg``/``t`` find them
and the catalogue test covers them. ``HELP`` holds command and option help; it is
picked at import time from ``LMSCHOOL_LANG`` or the locale, since ``--help`` is
printed before ``--lang`` is read.
"""

from __future__ import annotations

from lmschool.i18n import MESSAGES, detect_lang

CLI_MESSAGES: dict[str, dict[str, str]] = {
    "cli.no_current": {
        "en": "No current exercise: run `lmschool start EXERCISE` first, or name one.",
        "zh": "没有当前练习：请先运行 `lmschool start 练习编号`，或指定一个练习。",
    },
    "cli.no_hints": {"en": "{exercise} has no hints.", "zh": "{exercise} 没有提示。"},
    "cli.solution_locked": {
        "en": "The solution unlocks when you pass, or after {needed} failed attempts (you have {failed}). Try `lmschool hint` first.",
        "zh": "通过练习后，或失败 {needed} 次后（你已失败 {failed} 次）才能查看参考答案。先试试 `lmschool hint`。",
    },
    "cli.unknown": {"en": "Unknown id. {detail}", "zh": "未知的编号。{detail}"},
    "cli.course_invalid": {
        "en": "The course content is invalid:",
        "zh": "课程内容无效：",
    },
    "cli.started": {
        "en": "Wrote the starter to {path}\nEdit it, then run `lmschool check` (or `lmschool watch`).",
        "zh": "已把起始代码写入 {path}\n编辑它，然后运行 `lmschool check`（或 `lmschool watch`）。",
    },
    "cli.kept": {
        "en": "Your file {path} already exists and was kept. Use --force to start over (the old file is kept as .py.bak).",
        "zh": "你的文件 {path} 已存在，已保留。使用 --force 重新开始（旧文件会保存为 .py.bak）。",
    },
    "cli.must_define": {"en": "Define: {names}", "zh": "需要定义：{names}"},
    "cli.quiz_how": {
        "en": "Answer with `lmschool check {id} --answer X`.",
        "zh": "用 `lmschool check {id} --answer X` 作答。",
    },
    "cli.need_answer": {
        "en": "{id} is a quiz: give your answer with --answer.",
        "zh": "{id} 是一道测验题：请用 --answer 给出答案。",
    },
    "cli.answer_for_code": {
        "en": "{id} is a code exercise: --answer is for quizzes; edit the file and check it.",
        "zh": "{id} 是编程练习：--answer 只用于测验题；请编辑文件后检查。",
    },
    "cli.file_missing": {
        "en": "No file at {path}: run `lmschool start {id}` first, or pass --file.",
        "zh": "{path} 处没有文件：请先运行 `lmschool start {id}`，或使用 --file。",
    },
    "cli.file_unreadable": {
        "en": "Cannot read {path}: {error}",
        "zh": "无法读取 {path}：{error}",
    },
    "cli.result_title": {"en": "Checks for {id}", "zh": "{id} 的检查结果"},
    "cli.col.check": {"en": "Check", "zh": "检查"},
    "cli.col.points": {"en": "Points", "zh": "得分"},
    "cli.col.message": {"en": "Message", "zh": "说明"},
    "cli.passed": {"en": "PASSED  score {score:.0%}", "zh": "通过  得分 {score:.0%}"},
    "cli.failed": {"en": "NOT YET  score {score:.0%}", "zh": "未通过  得分 {score:.0%}"},
    "cli.error_kind": {"en": "Error ({kind})", "zh": "错误（{kind}）"},
    "cli.output": {"en": "Your program's output", "zh": "你的程序输出"},
    "cli.output_truncated": {"en": "(output truncated)", "zh": "（输出已截断）"},
    "cli.output_earlier": {
        "en": "({n} earlier lines not shown; the last ones follow)",
        "zh": "（前面 {n} 行未显示；以下是最后几行）",
    },
    "cli.next": {"en": "Next: `lmschool start {id}`", "zh": "下一步：`lmschool start {id}`"},
    "cli.all_done": {"en": "You have reached the last exercise.", "zh": "你已完成最后一个练习。"},
    "cli.hint": {"en": "Hint {n} of {total}", "zh": "提示 {n}/{total}"},
    "cli.hint_repeat": {
        "en": "You have seen every hint; here is the last one again.",
        "zh": "你已看过所有提示；这是最后一条提示。",
    },
    "cli.solution_title": {"en": "Reference solution for {id}", "zh": "{id} 的参考答案"},
    "cli.quiz_answer": {"en": "Right answer: {answer}", "zh": "正确答案：{answer}"},
    "cli.progress_title": {"en": "Progress of {learner}", "zh": "{learner} 的学习进度"},
    "cli.col.exercise": {"en": "Exercise", "zh": "练习"},
    "cli.progress_ids": {
        "en": "An exercise's id joins its module, lesson and name: pipeline/intro/layers-quiz.",
        "zh": "练习的编号由模块、课和练习名连接而成：pipeline/intro/layers-quiz。",
    },
    "cli.col.kind": {"en": "Kind", "zh": "类型"},
    "cli.col.title": {"en": "Title", "zh": "标题"},
    "cli.col.status": {"en": "Status", "zh": "状态"},
    "cli.col.best": {"en": "Best", "zh": "最高分"},
    "cli.col.attempts": {"en": "Tries", "zh": "尝试"},
    "cli.col.hints": {"en": "Hints", "zh": "提示"},
    "cli.col.skills": {"en": "Skills", "zh": "技能"},
    "cli.col.minutes": {"en": "Minutes", "zh": "分钟"},
    "cli.status.passed": {"en": "passed", "zh": "已通过"},
    "cli.status.attempted": {"en": "in progress", "zh": "进行中"},
    "cli.status.new": {"en": "not started", "zh": "未开始"},
    "cli.kind.code": {"en": "code", "zh": "编程"},
    "cli.kind.quiz": {"en": "quiz", "zh": "测验"},
    "cli.progress_summary": {
        "en": "{passed} of {total} exercises passed ({pct:.0%}).",
        "zh": "共 {total} 个练习，已通过 {passed} 个（{pct:.0%}）。",
    },
    "cli.lesson_meta": {
        "en": "{minutes} min · level {level} · skills: {skills}",
        "zh": "{minutes} 分钟 · 难度 {level} · 技能：{skills}",
    },
    "cli.prerequisites": {"en": "Prerequisites: {ids}", "zh": "先修课程：{ids}"},
    "cli.exercises": {"en": "Exercises", "zh": "练习"},
    "cli.watch_start": {
        "en": "Watching {path}: save the file to check it. Ctrl-C stops.",
        "zh": "正在监视 {path}：保存文件即自动检查。按 Ctrl-C 停止。",
    },
    "cli.watch_moved": {"en": "Passed! Moving on to {id}.", "zh": "通过！进入下一个练习 {id}。"},
    "cli.watch_quiz": {
        "en": "{id} is a quiz; answer it with `lmschool check {id} --answer X`, then run `lmschool watch` again.",
        "zh": "{id} 是测验题；请用 `lmschool check {id} --answer X` 作答，然后再次运行 `lmschool watch`。",
    },
    "cli.watch_done": {
        "en": "Every exercise is done. Well done!",
        "zh": "所有练习都已完成，干得好！",
    },
    "cli.no_exercises": {"en": "No exercises found in the course.", "zh": "课程中没有找到练习。"},
    "cli.demo_title": {
        "en": "Demo: grading {n} reference solutions as learner '{learner}'",
        "zh": "演示：以学员“{learner}”的身份评分 {n} 份参考答案",
    },
    "cli.demo_home": {
        "en": "lmschool home (progress database, workspace): {home}",
        "zh": "lmschool 主目录（进度数据库、工作区）：{home}",
    },
    "cli.demo_skipped": {
        "en": "{n} unchanged exercises already passed in an earlier run: not graded again.",
        "zh": "{n} 个练习自上次运行以来没有改动且已通过：不再重复评分。",
    },
    "cli.demo_next": {
        "en": "Next: read the first lesson, `lmschool show {lesson}` (add `--lang zh` for Chinese), then `lmschool start {exercise}`, edit the file it prints, and run `lmschool check` (or `lmschool watch` to re-check on every save). `lmschool list` shows the whole course, `lmschool doctor` checks the set-up.",
        "zh": "下一步：阅读第一课 `lmschool show {lesson}`（加 `--lang en` 可看英文），然后运行 `lmschool start {exercise}`，编辑它给出的文件，再运行 `lmschool check`（或用 `lmschool watch`，每次保存都会重新检查）。`lmschool list` 列出整个课程，`lmschool doctor` 检查环境配置。",
    },
    "cli.grading": {"en": "Grading", "zh": "评分中"},
    "cli.validate_static": {"en": "Static checks of {path}", "zh": "{path} 的静态检查"},
    "cli.validate_ok": {"en": "No problems found.", "zh": "没有发现问题。"},
    "cli.validate_dynamic": {
        "en": "Every solution must pass and every starter must fail",
        "zh": "每份参考答案都必须通过，每份起始代码都必须不通过",
    },
    "cli.validate_expect_pass": {"en": "solution passes", "zh": "参考答案通过"},
    "cli.validate_expect_fail": {"en": "starter fails", "zh": "起始代码不通过"},
    "cli.validate_answer_pass": {"en": "right answer passes", "zh": "正确答案通过"},
    "cli.validate_wrong_fail": {"en": "wrong answer fails", "zh": "错误答案不通过"},
    "cli.validate_summary": {
        "en": "{ok} of {total} runs as expected.",
        "zh": "{total} 次运行中有 {ok} 次符合预期。",
    },
    "cli.col.run": {"en": "Run", "zh": "运行"},
    "cli.col.result": {"en": "Result", "zh": "结果"},
    "cli.ok": {"en": "ok", "zh": "正常"},
    "cli.unexpected": {"en": "UNEXPECTED", "zh": "不符合预期"},
    "cli.validate_incident": {
        "en": "Grader-side problem {id} in {exercise} (learners see only the id):",
        "zh": "{exercise} 中评分器一侧的问题 {id}（学员只能看到编号）：",
    },
    "cli.bad_setting": {
        "en": "{var}={value}: {problem}",
        "zh": "{var}={value}：{problem}",
    },
    "nb.your_turn": {
        "en": "## Your turn\n\nRun the next cell once, write your solution in the cell after it, run it, then run `ex.check()`: your cell is graded in the sandbox, as `lmschool check` grades a file, and the attempt is recorded in your progress.",
        "zh": "## 轮到你了\n\n先运行下一个单元格，在它后面的单元格里写出你的答案并运行，然后运行 `ex.check()`：你的单元格会像 `lmschool check` 检查文件一样在沙箱中评分，这次尝试也会记入你的进度。",
    },
    "nb.help": {
        "en": "Stuck? `ex.hint()` shows the next hint; `ex.solution()` shows the reference once you have passed or after enough attempts (the same rules as `lmschool solution`).",
        "zh": "卡住了？`ex.hint()` 显示下一条提示；通过之后或尝试足够多次之后，`ex.solution()` 会显示参考答案（规则与 `lmschool solution` 相同）。",
    },
    "nb.no_cell": {
        "en": "No cell you ran defines {names}: run your solution cell first, then ex.check().",
        "zh": "你运行过的单元格中没有定义 {names}：请先运行你的答案单元格，再运行 ex.check()。",
    },
    "nb.quiz_needs_answer": {
        "en": '{id} is a quiz: answer with ex.check(answer="B") (ex.question() shows it).',
        "zh": '{id} 是一道测验题：请用 ex.check(answer="B") 作答（ex.question() 会显示题目）。',
    },
    "nb.written": {
        "en": "Wrote {path}. Open it with `jupyter lab {path}` (or any notebook editor using this Python).",
        "zh": "已写入 {path}。用 `jupyter lab {path}` 打开（或使用本 Python 环境的任意 notebook 编辑器）。",
    },
    "nb.exists": {
        "en": "{path} already exists (your work): not overwritten. Use --force to write a fresh one beside a backup.",
        "zh": "{path} 已存在（你的作业）：没有覆盖。使用 --force 会先备份再写入新文件。",
    },
    "cli.glossary_title": {
        "en": "Glossary (terms as the course writes them)",
        "zh": "术语表（课程统一使用的写法）",
    },
    "cli.glossary_definition": {"en": "Meaning", "zh": "含义"},
    "cli.glossary_not": {"en": "Not written as", "zh": "不写作"},
    "cli.glossary_none": {
        "en": "No glossary term matches '{term}'.",
        "zh": "术语表中没有与“{term}”匹配的术语。",
    },
    "cli.glossary_invalid": {
        "en": "The glossary cannot be read: {detail}",
        "zh": "无法读取术语表：{detail}",
    },
    "doctor.title": {"en": "lmschool doctor", "zh": "lmschool 环境检查"},
    "doctor.col.item": {"en": "Item", "zh": "项目"},
    "doctor.col.state": {"en": "State", "zh": "状态"},
    "doctor.col.detail": {"en": "Detail", "zh": "详情"},
    "doctor.python": {"en": "Python", "zh": "Python"},
    "doctor.numpy": {"en": "NumPy", "zh": "NumPy"},
    "doctor.torch": {"en": "PyTorch", "zh": "PyTorch"},
    "doctor.sandbox": {"en": "Sandbox", "zh": "沙箱"},
    "doctor.sandbox_ok": {
        "en": "bubblewrap: isolated (no network, own pid namespace, hidden files invisible, limits enforced)",
        "zh": "bubblewrap：已隔离（无网络、独立 pid 命名空间、隐藏文件不可见、资源限制生效）",
    },
    "doctor.sandbox_failed": {
        "en": "sandbox self-test failed: {detail}",
        "zh": "沙箱自检失败：{detail}",
    },
    "doctor.cgroups": {"en": "cgroup limits", "zh": "cgroup 限制"},
    "doctor.cgroups_ok": {
        "en": "cgroup {version}: memory (with tmpfs, memfd, no swap), processes and CPU per sandbox, under {where}",
        "zh": "cgroup {version}：每个沙箱限制内存（含 tmpfs、memfd，禁止交换）、进程数和 CPU，位于 {where}",
    },
    "doctor.cgroups_missing": {
        "en": "missing: {reason}. Fix: run as root (or in a cgroup delegated to this user, e.g. systemd-run --user --scope -p Delegate=yes) on a machine with the memory, pids and cpu controllers.",
        "zh": "缺失：{reason}。修复：以 root 运行（或在委派给该用户的 cgroup 中运行，例如 systemd-run --user --scope -p Delegate=yes），并确保机器有 memory、pids 和 cpu 控制器。",
    },
    "doctor.seccomp": {"en": "seccomp filter", "zh": "seccomp 过滤器"},
    "doctor.seccomp_ok": {
        "en": "new namespaces, mounts, kernel keys, ptrace, bpf, perf and io_uring are denied",
        "zh": "已禁止新建命名空间、挂载、内核密钥、ptrace、bpf、perf 和 io_uring",
    },
    "doctor.seccomp_missing": {
        "en": "missing: {reason}. Fix: apt-get install libseccomp2 (and pip install pyseccomp), with bubblewrap.",
        "zh": "缺失：{reason}。修复：安装 libseccomp2（apt-get install libseccomp2）和 pyseccomp（pip install pyseccomp），并使用 bubblewrap。",
    },
    "doctor.uids": {"en": "Sandbox uids", "zh": "沙箱用户 ID"},
    "doctor.uids_leased": {
        "en": "a leased, never-shared uid per sandbox ({where})",
        "zh": "每个沙箱使用一个租用的、不与他人共享的 uid（{where}）",
    },
    "doctor.uids_userns": {
        "en": "a user namespace per sandbox (not running as root)",
        "zh": "每个沙箱一个用户命名空间（未以 root 运行）",
    },
    "doctor.uids_none": {
        "en": "missing: learner code runs as your own user. Fix: install bubblewrap.",
        "zh": "缺失：学员代码以你自己的用户身份运行。修复：安装 bubblewrap。",
    },
    "doctor.allow": {"en": "Import allow-lists", "zh": "导入白名单"},
    "doctor.allow_ok": {
        "en": "a NumPy exercise's sandbox has no torch, scikit-learn or SciPy; imports are checked before running",
        "zh": "NumPy 练习的沙箱中没有 torch、scikit-learn 和 SciPy；运行前会检查导入",
    },
    "doctor.allow_missing": {
        "en": "missing: {detail}. Fix: install bubblewrap (without it every installed package is importable).",
        "zh": "缺失：{detail}。修复：安装 bubblewrap（没有它，所有已安装的库都可以导入）。",
    },
    "doctor.data": {"en": "Data folder", "zh": "数据目录"},
    "doctor.data_none": {
        "en": "LMSCHOOL_DATA_DIR is not set: data sets will be downloaded into the cache when needed",
        "zh": "未设置 LMSCHOOL_DATA_DIR：需要时会把数据集下载到缓存",
    },
    "doctor.data_missing": {"en": "{path} does not exist", "zh": "{path} 不存在"},
    "doctor.database": {"en": "Database", "zh": "数据库"},
    "doctor.courses": {"en": "Courses", "zh": "课程"},
    "doctor.summary_ok": {"en": "Everything needed works.", "zh": "所需的一切都正常。"},
    "doctor.summary_bad": {"en": "{n} problem(s) found.", "zh": "发现 {n} 个问题。"},
}
MESSAGES.update(CLI_MESSAGES)

_HELP: dict[str, dict[str, str]] = {
    "app": {
        "en": "lmschool: learn large models hands-on. Lessons, exercises checked in a sandbox, hints and progress.",
        "zh": "lmschool：动手学大模型。课程、沙箱中检查的练习、提示与学习进度。",
    },
    "lang": {
        "en": "Language: en or zh (default: LMSCHOOL_LANG or the locale).",
        "zh": "语言：en 或 zh（默认取 LMSCHOOL_LANG 或系统区域设置）。",
    },
    "course": {
        "en": "An extra course pack folder (repeatable; also LMSCHOOL_COURSE_PATH).",
        "zh": "额外的课程包目录（可重复；也可用 LMSCHOOL_COURSE_PATH）。",
    },
    "list": {"en": "List modules, lessons and exercises.", "zh": "列出模块、课程和练习。"},
    "json": {"en": "Print JSON instead of a table.", "zh": "输出 JSON 而不是表格。"},
    "show": {"en": "Read a lesson in the terminal.", "zh": "在终端中阅读一节课。"},
    "start": {
        "en": "Start an exercise: write its starter file into your workspace and print its path.",
        "zh": "开始一个练习：把起始代码写入你的工作区并显示路径。",
    },
    "pager": {
        "en": "Page a long lesson through $PAGER (less by default) when the output is a terminal; --no-pager prints it at once. Never pages when the output is a pipe or a file.",
        "zh": "输出到终端时，用 $PAGER（默认 less）分页显示较长的课文；--no-pager 则一次全部打印。输出到管道或文件时从不分页。",
    },
    "force": {
        "en": "Overwrite your file with the starter (the old one is kept as .py.bak).",
        "zh": "用起始代码覆盖你的文件（旧文件保存为 .py.bak）。",
    },
    "check": {
        "en": "Check an exercise (default: the current one) in the sandbox and record the attempt.",
        "zh": "在沙箱中检查一个练习（默认为当前练习）并记录这次尝试。",
    },
    "file": {
        "en": "Check this file instead of the workspace file.",
        "zh": "检查这个文件，而不是工作区中的文件。",
    },
    "answer": {
        "en": "Your answer to a quiz (a letter, or a number).",
        "zh": "测验题的答案（字母或数字）。",
    },
    "hint": {"en": "Show the next hint of an exercise.", "zh": "显示练习的下一条提示。"},
    "solution": {
        "en": "Show the reference solution (after you pass, or after enough failed attempts).",
        "zh": "显示参考答案（通过之后，或失败足够多次之后）。",
    },
    "watch": {
        "en": "Re-check the current exercise on every save, and move on when it passes.",
        "zh": "每次保存时重新检查当前练习，通过后自动进入下一个。",
    },
    "progress": {"en": "Show your progress per exercise.", "zh": "显示每个练习的学习进度。"},
    "grade": {
        "en": "Grade a file statelessly and print the result document. Exit 0 pass, 1 fail, 2 error.",
        "zh": "无状态地评分一个文件并输出结果文档。退出码：0 通过，1 未通过，2 出错。",
    },
    "exercise": {
        "en": "Exercise id, module/lesson/exercise.",
        "zh": "练习编号，格式为 模块/课程/练习。",
    },
    "seed": {
        "en": "Variant seed (default: derived from --learner and the exercise).",
        "zh": "变体种子（默认由 --learner 和练习推导）。",
    },
    "learner": {
        "en": "Learner name (default: LMSCHOOL_LEARNER or your user name).",
        "zh": "学员名（默认取 LMSCHOOL_LEARNER 或系统用户名）。",
    },
    "author": {"en": "Tools for course authors.", "zh": "课程作者工具。"},
    "validate": {
        "en": "Validate a course pack: static checks, then every solution must pass and every starter must fail.",
        "zh": "校验课程包：先做静态检查，然后每份参考答案都必须通过、每份起始代码都必须不通过。",
    },
    "jobs": {
        "en": "Parallel gradings (default: CPU count).",
        "zh": "并行评分数（默认为 CPU 核数）。",
    },
    "seeds": {
        "en": "Learner variants to grade per exercise (default 1).",
        "zh": "每个练习评分的学员变体数（默认 1）。",
    },
    "pack": {
        "en": "Course pack folder (default: the bundled pack).",
        "zh": "课程包目录（默认为内置课程包）。",
    },
    "static_only": {"en": "Only the static checks.", "zh": "只做静态检查。"},
    "doctor": {
        "en": "Check the set-up: sandbox, Python, torch, data folder, database, courses.",
        "zh": "检查环境：沙箱、Python、torch、数据目录、数据库、课程。",
    },
    "notebook": {
        "en": "Write a Jupyter notebook for an exercise: its lesson, prompt, starter cell and ex.check().",
        "zh": "为一道练习生成 Jupyter notebook：包括课文、题目、初始代码单元格和 ex.check()。",
    },
    "force_notebook": {
        "en": "Write a fresh notebook even if one exists (the old one is kept as .ipynb.bak).",
        "zh": "即使已有 notebook 也重新生成（旧文件保存为 .ipynb.bak）。",
    },
    "out": {
        "en": "Write to this path instead of the workspace.",
        "zh": "写到这个路径，而不是工作区。",
    },
    "glossary": {
        "en": "Show the glossary: each term in English and Chinese, its meaning, and the Chinese spellings the course does not use.",
        "zh": "显示术语表：每个术语的英文和中文、含义，以及课程不使用的其他中文写法。",
    },
    "term": {
        "en": "Show only terms that contain this text (English or Chinese).",
        "zh": "只显示包含这段文字的术语（英文或中文均可）。",
    },
    "serve": {
        "en": "Run the web platform (learners, instructors and admins in a browser) until Ctrl-C. The first start seeds a demo (accounts, a cohort, graded attempts) unless --no-demo.",
        "zh": "运行网页平台（学员、教师和管理员在浏览器中使用），直到按 Ctrl-C。首次启动时会建立演示数据（账号、班级、已评分的提交），除非使用 --no-demo。",
    },
    "host": {
        "en": "Address to listen on (127.0.0.1: this machine only; 0.0.0.0: the network, behind a reverse proxy with HTTPS).",
        "zh": "监听地址（127.0.0.1：仅本机；0.0.0.0：网络，应放在带 HTTPS 的反向代理之后）。",
    },
    "port": {"en": "Port to listen on.", "zh": "监听端口。"},
    "serve_demo": {
        "en": "Seed the demo accounts into an empty database (never into one that has accounts).",
        "zh": "在空数据库中建立演示账号（已有账号的数据库不会写入）。",
    },
    "secure_cookies": {
        "en": "Mark cookies Secure: use it when an HTTPS reverse proxy serves the site.",
        "zh": "把 Cookie 标记为 Secure：网站由 HTTPS 反向代理提供时使用。",
    },
    "unsafe_shared_grading": {
        "en": "Start even if the sandbox lacks isolation, cgroups or seccomp (one learner's code can then harm the others; never on a shared server).",
        "zh": "即使沙箱缺少隔离、cgroups 或 seccomp 也启动（此时一个学员的代码可能影响其他学员；切勿在共享服务器上使用）。",
    },
    "admin": {"en": "Manage web accounts.", "zh": "管理网页账号。"},
    "create_user": {
        "en": "Create a web account (asks for the password twice).",
        "zh": "创建网页账号（密码需输入两次）。",
    },
    "username": {"en": "The account's user name.", "zh": "账号的用户名。"},
    "role": {
        "en": "learner, instructor or admin.",
        "zh": "learner（学员）、instructor（教师）或 admin（管理员）。",
    },
    "password": {
        "en": "The password (at least 8 characters); asked for when not given.",
        "zh": "密码（至少 8 个字符）；未给出时会提示输入。",
    },
    "demo": {
        "en": "Grade the reference solutions of the --course packs (default: the bundled course) as a demo learner (a second run grades only what changed), then say what to do next.",
        "zh": "以演示学员身份评分 --course 课程包（默认为内置课程）的参考答案（再次运行时只评分有改动的练习），然后说明下一步做什么。",
    },
}
HELP_LANG = detect_lang()


def help_text(key: str) -> str:
    return _HELP[key][HELP_LANG]
