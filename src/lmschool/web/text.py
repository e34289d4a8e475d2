"""The web pages' own strings, in English and Chinese.

Merged into :data:`lmschool.i18n.MESSAGES` on import (as lmschool.cli.text is), so the
templates' ``tr(key)`` finds them and the catalogue test covers them.
"""

from __future__ import annotations

import lmschool.cli.text  # noqa: F401  (the shared cli.* strings: kinds, lesson meta)
from lmschool.i18n import MESSAGES

WEB_MESSAGES: dict[str, dict[str, str]] = {
    "web.skip": {"en": "Skip to the content", "zh": "跳到正文"},
    "web.nav": {"en": "Main", "zh": "主导航"},
    "web.map": {"en": "Course map", "zh": "课程地图"},
    "web.join": {"en": "Join a cohort", "zh": "加入班级"},
    "web.cohorts": {"en": "Cohorts", "zh": "班级"},
    "web.cohort": {"en": "Cohort", "zh": "班级"},
    "web.users": {"en": "Users", "zh": "用户"},
    "web.role": {"en": "Role", "zh": "角色"},
    "web.role.learner": {"en": "learner", "zh": "学员"},
    "web.role.instructor": {"en": "instructor", "zh": "教师"},
    "web.role.admin": {"en": "admin", "zh": "管理员"},
    "web.created": {"en": "Created", "zh": "创建时间"},
    "web.sign_in": {"en": "Sign in", "zh": "登录"},
    "web.sign_out": {"en": "Sign out", "zh": "退出"},
    "web.username": {"en": "User name", "zh": "用户名"},
    "web.password": {"en": "Password", "zh": "密码"},
    "web.login_failed": {
        "en": "Wrong user name or password.",
        "zh": "用户名或密码错误。",
    },
    "web.login_throttled": {
        "en": "Too many failed sign-ins. Try again in {seconds} s.",
        "zh": "登录失败次数过多，请 {seconds} 秒后再试。",
    },
    "web.back_home": {"en": "Back to the start page", "zh": "返回首页"},
    "web.forbidden": {
        "en": "You do not have access to this page.",
        "zh": "你没有访问此页面的权限。",
    },
    "web.not_found": {"en": "Page not found.", "zh": "找不到此页面。"},
    "web.error": {"en": "The request could not be handled.", "zh": "无法处理此请求。"},
    "web.csrf": {
        "en": "The form had expired or did not come from this site. Reload the page and try again.",
        "zh": "表单已过期，或不是来自本站。请刷新页面后重试。",
    },
    "web.bad_lang": {"en": "Unknown language.", "zh": "未知的语言。"},
    "web.your_cohorts": {"en": "Your cohorts: {names}", "zh": "你所在的班级：{names}"},
    "web.minutes": {"en": "{n} min", "zh": "{n} 分钟"},
    "web.status.passed": {"en": "passed", "zh": "已通过"},
    "web.status.tried": {"en": "tried", "zh": "尝试过"},
    "web.status.new": {"en": "new", "zh": "未开始"},
    "web.join_code": {"en": "Join code", "zh": "加入码"},
    "web.learners": {"en": "Learners", "zh": "学员"},
    "web.no_cohorts": {"en": "No cohorts yet.", "zh": "还没有班级。"},
    "web.no_learners": {
        "en": "Nobody has joined yet: give the learners the join code.",
        "zh": "还没有人加入：把加入码发给学员。",
    },
    "web.new_cohort": {"en": "New cohort", "zh": "新建班级"},
    "web.cohort_name": {"en": "Name", "zh": "名称"},
    "web.create": {"en": "Create", "zh": "创建"},
    "web.bad_username": {
        "en": "User name {name!r}: use letters, digits, '.', '_' or '-', starting with a letter or digit (at most 200 characters).",
        "zh": "用户名 {name!r}：只能使用字母、数字、“.”、“_”或“-”，并以字母或数字开头（最多 200 个字符）。",
    },
    "web.bad_role": {
        "en": "Unknown role {role!r}: use one of {roles}.",
        "zh": "未知的角色 {role!r}：请使用 {roles} 之一。",
    },
    "web.short_password": {
        "en": "The password needs at least {n} characters.",
        "zh": "密码至少需要 {n} 个字符。",
    },
    "web.user_exists": {"en": "User {name!r} already exists.", "zh": "用户 {name!r} 已存在。"},
    "web.bad_cohort_name": {
        "en": "A cohort needs a name of 1 to 200 characters.",
        "zh": "班级名称需要 1 到 200 个字符。",
    },
    "web.bad_join_code": {
        "en": "No cohort has this join code. Check it with your instructor.",
        "zh": "没有班级使用这个加入码，请向你的教师核对。",
    },
    "web.your_code": {"en": "Your code", "zh": "你的代码"},
    "web.editor_help": {
        "en": "Tab indents by four spaces, Shift+Tab dedents; press Escape and then Tab to leave the editor.",
        "zh": "Tab 缩进四个空格，Shift+Tab 取消缩进；先按 Esc 再按 Tab 可离开编辑框。",
    },
    "web.submit": {"en": "Submit", "zh": "提交"},
    "web.answer": {"en": "Your answer", "zh": "你的答案"},
    "web.hints": {"en": "Hints", "zh": "提示"},
    "web.next_hint": {"en": "Show the next hint", "zh": "显示下一条提示"},
    "web.last_hint_again": {"en": "Show the last hint again", "zh": "再次显示最后一条提示"},
    "web.solution": {"en": "Reference solution", "zh": "参考答案"},
    "web.attempts": {"en": "Your attempts", "zh": "你的提交"},
    "web.no_attempts": {"en": "No attempts yet.", "zh": "还没有提交。"},
    "web.when": {"en": "When", "zh": "时间"},
    "web.result": {"en": "Result", "zh": "结果"},
    "web.grading": {
        "en": "Grading in the sandbox… this page refreshes by itself.",
        "zh": "正在沙箱中评分……本页会自动刷新。",
    },
    "web.interrupted": {"en": "interrupted", "zh": "已中断"},
    "web.attempt": {"en": "Attempt {id}", "zh": "第 {id} 次提交"},
    "web.retry_of": {
        "en": "Graded again after attempt {id} was interrupted by a server restart.",
        "zh": "第 {id} 次提交因服务器重启而中断，此处为重新评分。",
    },
    "web.back_to_exercise": {"en": "Back to the exercise", "zh": "返回练习"},
    "web.too_large": {
        "en": "The code is larger than {kb} KB and was not submitted.",
        "zh": "代码超过 {kb} KB，未提交。",
    },
    "web.gradebook": {"en": "Gradebook", "zh": "成绩册"},
    "web.gradebook_caption": {
        "en": "Best score, attempts and minutes from the first attempt to the first pass, per learner and exercise.",
        "zh": "每位学员在每道练习上的最高得分、提交次数，以及从第一次提交到第一次通过所用的分钟数。",
    },
    "web.analytics": {"en": "Exercise analytics", "zh": "练习分析"},
    "web.analytics_help": {
        "en": "Over the {n} learners of the cohort who attempted each exercise; the median counts attempts until the first pass.",
        "zh": "统计对象为本班 {n} 名学员中做过该练习的人；中位数按第一次通过前的提交次数计算。",
    },
    "web.heatmap": {"en": "Mastery heatmap", "zh": "掌握度热力图"},
    "web.heatmap_title": {
        "en": "Mastery per learner and skill, cohort {cohort}",
        "zh": "班级 {cohort}：每位学员各项技能的掌握度",
    },
    "web.heatmap_help": {
        "en": "The probability that the learner knows the skill (Bayesian knowledge tracing over graded attempts): white 0, green 1, grey not measured yet. Hover a cell for its value.",
        "zh": "学员掌握该技能的概率（基于已评分提交的贝叶斯知识追踪）：白色为 0，绿色为 1，灰色表示尚未测量。把鼠标移到格子上可看到数值。",
    },
    "web.as_table": {"en": "The same as a table", "zh": "以表格显示"},
    "web.download_csv": {"en": "Download the gradebook (CSV)", "zh": "下载成绩册（CSV）"},
    "web.module": {"en": "Module", "zh": "模块"},
    "web.show": {"en": "Show", "zh": "显示"},
    "web.learner": {"en": "Learner", "zh": "学员"},
    "web.last_activity": {"en": "Last activity", "zh": "最近活动"},
    "web.n_attempts": {"en": "{n} tries", "zh": "{n} 次"},
    "web.n_failures": {"en": "failed {n} times", "zh": "失败 {n} 次"},
    "web.pass_rate": {"en": "Pass rate", "zh": "通过率"},
    "web.median_attempts": {"en": "Median attempts", "zh": "提交次数中位数"},
    "web.failing_check": {"en": "Check failed most", "zh": "最常失败的检查"},
    "web.plan": {"en": "My plan", "zh": "我的计划"},
    "web.plan_ics": {
        "en": "Download the plan for your calendar (iCalendar)",
        "zh": "下载计划到日历（iCalendar）",
    },
    "web.no_plan": {
        "en": "You have no training plan yet: your instructor assigns one to your cohort, or make one with `lmschool plan`.",
        "zh": "你还没有学习计划：由教师为你的班级指定，或用 `lmschool plan` 自己制定。",
    },
    "web.mastery_chart": {"en": "Your mastery per skill", "zh": "你的各项技能掌握度"},
    "web.mastery_help": {
        "en": "The probability that you know each skill, from your graded attempts (in brackets: how many gave evidence).",
        "zh": "根据你已评分的提交估计的各项技能掌握概率（括号内为提供证据的提交次数）。",
    },
    "web.no_mastery": {
        "en": "Nothing measured yet: your first graded attempt starts it.",
        "zh": "尚未测量：第一次评分后开始统计。",
    },
    "web.assign_plan": {"en": "Assign a plan", "zh": "指定学习计划"},
    "web.assign_help": {
        "en": "One plan for the whole cohort, from a profile of the group; every member gets it as their current plan.",
        "zh": "根据班级的情况为全班制定同一份计划；每位成员都会把它作为当前计划。",
    },
    "web.assign": {"en": "Plan and assign", "zh": "制定并指定"},
    "web.plan_assigned": {
        "en": "The plan was assigned to {n} learners.",
        "zh": "已为 {n} 名学员指定计划。",
    },
    "web.profile_problems": {"en": "The profile has problems:", "zh": "情况设置有问题："},
    "web.profile.role": {"en": "The learners are", "zh": "学员身份"},
    "web.profile.stage": {"en": "Stage", "zh": "阶段"},
    "web.profile.goal": {"en": "Goal", "zh": "目标"},
    "web.profile.industry": {"en": "Industry", "zh": "行业"},
    "web.profile.mode": {"en": "Mode", "zh": "形式"},
    "web.profile.hours_per_week": {"en": "Hours per week", "zh": "每周小时数"},
    "web.profile.weeks": {"en": "Weeks", "zh": "周数"},
    "web.profile.session_minutes": {"en": "Minutes per session", "zh": "每次课的分钟数"},
    "web.profile.start": {"en": "First day", "zh": "开始日期"},
    "web.profile.weekdays": {"en": "Days of the week", "zh": "每周上课的日子"},
    "web.day.mon": {"en": "Mon", "zh": "周一"},
    "web.day.tue": {"en": "Tue", "zh": "周二"},
    "web.day.wed": {"en": "Wed", "zh": "周三"},
    "web.day.thu": {"en": "Thu", "zh": "周四"},
    "web.day.fri": {"en": "Fri", "zh": "周五"},
    "web.day.sat": {"en": "Sat", "zh": "周六"},
    "web.day.sun": {"en": "Sun", "zh": "周日"},
    "web.health": {"en": "Grader health", "zh": "评分器状态"},
    "web.queue_state": {
        "en": "Grading queue: {workers} workers, {pending} submissions waiting or grading.",
        "zh": "评分队列：{workers} 个工作线程，{pending} 份提交正在等待或评分。",
    },
    "web.new_user": {"en": "New account", "zh": "新建账号"},
    "web.import": {"en": "Import learners (CSV)", "zh": "导入学员（CSV）"},
    "web.import_help": {
        "en": "A CSV with a username column and, if you like, a password column. New accounts without a password get one, shown once here; existing accounts just join.",
        "zh": "CSV 文件需有 username 列，可选 password 列。没有密码的新账号会自动生成密码，只在此处显示一次；已有账号直接加入班级。",
    },
    "web.csv_file": {"en": "CSV file", "zh": "CSV 文件"},
    "web.imported": {"en": "{n} learners imported", "zh": "已导入 {n} 名学员"},
    "web.imported_help": {
        "en": "Give each learner their password now: it is not shown again (only its hash is stored).",
        "zh": "请现在把密码发给每位学员：密码不会再次显示（系统只保存其哈希值）。",
    },
    "web.existing_account": {"en": "existing account", "zh": "已有账号"},
    "web.csv_no_username": {
        "en": "The CSV needs a username column (found: {columns}). Nothing was imported.",
        "zh": "CSV 需要 username 列（实际的列：{columns}）。未导入任何内容。",
    },
    "web.csv_problems": {
        "en": "Nothing was imported: fix these lines (line: user name) and try again: {rows}. User names use letters, digits, '.', '_' or '-'; each once; passwords at least 8 characters.",
        "zh": "未导入任何内容：请修正这些行（行号：用户名）后重试：{rows}。用户名只能使用字母、数字、“.”、“_”或“-”，且不能重复；密码至少 8 个字符。",
    },
    "web.csv_encoding": {
        "en": "The file is not UTF-8 text: save the CSV as UTF-8 and upload it again.",
        "zh": "文件不是 UTF-8 文本：请把 CSV 另存为 UTF-8 后重新上传。",
    },
    "web.lesson_mastery": {"en": "mastery {p:.0%}", "zh": "掌握度 {p:.0%}"},
    "web.serving": {
        "en": "lmschool is serving on {url} (Ctrl-C stops it).",
        "zh": "lmschool 正在 {url} 上运行（按 Ctrl-C 停止）。",
    },
    "web.demo_accounts": {
        "en": "Demo sign-in: {accounts} (password {password}).",
        "zh": "演示账号：{accounts}（密码 {password}）。",
    },
    "web.refused": {
        "en": "{detail}",
        "zh": "拒绝启动：沙箱缺少保护层，不能安全地为多个用户的代码评分。运行 `lmschool doctor` 查看修复方法，或用 --unsafe-shared-grading 启动（即接受一个学员的代码可能影响其他学员）。详情：{detail}",
    },
    "web.unsafe": {
        "en": "WARNING: started with --unsafe-shared-grading: learner code runs without {layers}; one learner's code can harm the others.",
        "zh": "警告：以 --unsafe-shared-grading 启动：学员代码在缺少 {layers} 的情况下运行，一个学员的代码可能影响其他学员。",
    },
    "web.user_created": {
        "en": "Created {role} {name}.",
        "zh": "已创建{role} {name}。",
    },
}

MESSAGES.update(WEB_MESSAGES)
