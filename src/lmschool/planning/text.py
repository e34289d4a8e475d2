"""The training plans' own strings, in English and Chinese.

Merged into :data:`lmschool.i18n.MESSAGES` on import (``lmschool.planning`` imports
this module), so ``msg``/``t`` find them and the catalogue test covers them.
``PLAN_HELP`` holds the help of the ``plan`` and ``profile`` commands and their options
(picked at import time by ``lmschool.cli.planning``, like ``lmschool.cli.text``).
"""

from __future__ import annotations

from lmschool.i18n import MESSAGES

PLAN_MESSAGES: dict[str, dict[str, str]] = {
    # --- profile errors ------------------------------------------------------------
    "profile.issue": {
        "en": "{where}: {problem} Fix: {fix}",
        "zh": "{where}：{problem} 修改方法：{fix}",
    },
    "profile.invalid": {"en": "The profile is invalid:", "zh": "画像（profile）无效："},
    "profile.err.missing": {
        "en": "required field is missing: give {accepts}.",
        "zh": "缺少必填字段：请给出{accepts}。",
    },
    "profile.err.value": {
        "en": "{value} is not accepted: give {accepts}.",
        "zh": "不接受 {value}：请给出{accepts}。",
    },
    "profile.err.no_weekday": {
        "en": "the list is empty: give at least one of mon, tue, wed, thu, fri, sat, sun.",
        "zh": "列表为空：请至少给出 mon、tue、wed、thu、fri、sat、sun 中的一个。",
    },
    "profile.err.weeks_or_end": {
        "en": "the plan has no length: give weeks (a whole number from 1 to 156) or an end date (YYYY-MM-DD).",
        "zh": "计划没有时长：请给出 weeks（1 到 156 的整数）或结束日期 end（YYYY-MM-DD）。",
    },
    "profile.err.weeks_end_disagree": {
        "en": "weeks = {weeks} and end = {end} disagree: from the start to that end date is {counted} weeks.",
        "zh": "weeks = {weeks} 与 end = {end} 不一致：从开始日期到该结束日期共 {counted} 周。",
    },
    "profile.err.end_before_start": {
        "en": "the end date {end} is before the start {start}.",
        "zh": "结束日期 {end} 早于开始日期 {start}。",
    },
    "profile.err.end_too_late": {
        "en": "the end date {end} makes {weeks} weeks: a plan has at most 156.",
        "zh": "结束日期 {end} 使计划长达 {weeks} 周：计划最多 156 周。",
    },
    "profile.fix.weeks_or_end": {
        "en": "write weeks = 8, or end = 2025-10-26 (or use --weeks 8, or --end 2025-10-26)",
        "zh": "写成 weeks = 8，或 end = 2025-10-26（或使用 --weeks 8，或 --end 2025-10-26）",
    },
    "profile.fix.weeks_or_end_one": {
        "en": "keep only one of weeks and end.",
        "zh": "weeks 和 end 只保留一个。",
    },
    "profile.fix.end_after_start": {
        "en": "write an end date on or after the start date.",
        "zh": "结束日期须不早于开始日期。",
    },
    "profile.fix.end_earlier": {
        "en": "write an earlier end date (at most {most} weeks after the start), or use weeks.",
        "zh": "改用更早的结束日期（开始后最多 {most} 周），或改用 weeks。",
    },
    # what each field accepts (in "give ...")
    "profile.accepts.choice": {"en": "one of: {choices}", "zh": "以下之一：{choices}"},
    "profile.accepts.any": {"en": "a value of the documented type", "zh": "文档所述类型的值"},
    "profile.accepts.name": {
        "en": "a text of at most 200 characters",
        "zh": "不超过 200 个字符的文字",
    },
    "profile.accepts.hours_per_week": {
        "en": "a number of hours above 0 and at most 80",
        "zh": "大于 0、不超过 80 的小时数",
    },
    "profile.accepts.weeks": {
        "en": "a whole number of weeks from 1 to 156",
        "zh": "从 1 到 156 的整数周数",
    },
    "profile.accepts.start": {
        "en": "a date written YYYY-MM-DD, e.g. 2025-09-01",
        "zh": "写成 YYYY-MM-DD 的日期，例如 2025-09-01",
    },
    "profile.accepts.end": {
        "en": "a date written YYYY-MM-DD, e.g. 2025-10-26",
        "zh": "写成 YYYY-MM-DD 的日期，例如 2025-10-26",
    },
    "profile.accepts.weekdays": {
        "en": "a list of days from mon, tue, wed, thu, fri, sat, sun",
        "zh": "由 mon、tue、wed、thu、fri、sat、sun 组成的列表",
    },
    "profile.accepts.session_minutes": {
        "en": "a whole number of minutes from 15 to 600",
        "zh": "从 15 到 600 的整数分钟数",
    },
    "profile.accepts.start_time": {
        "en": "a time written HH:MM, e.g. 18:00",
        "zh": "写成 HH:MM 的时间，例如 18:00",
    },
    "profile.accepts.known": {
        "en": 'a list of skill ids, e.g. ["ml.concepts"]',
        "zh": '技能编号的列表，例如 ["ml.concepts"]',
    },
    "profile.accepts.targets": {
        "en": 'a list of skill ids, e.g. ["eval.metrics"]',
        "zh": '技能编号的列表，例如 ["eval.metrics"]',
    },
    "profile.accepts.placement": {
        "en": "a table of skill ids with scores from 0 to 1",
        "zh": "技能编号到 0 至 1 分数的表",
    },
    "profile.accepts.include_optional": {"en": "true or false", "zh": "布尔值 true 或 false"},
    "profile.accepts.cohort": {
        "en": "a text of at most 200 characters",
        "zh": "不超过 200 个字符的文字",
    },
    "profile.accepts.cohort_size": {
        "en": "a whole number of learners from 1 to 100000",
        "zh": "从 1 到 100000 的整数人数",
    },
    "profile.err.unknown_field": {
        "en": "unknown field '{name}'.",
        "zh": "未知字段“{name}”。",
    },
    "profile.err.choice": {
        "en": "{value} is not one of: {choices}.",
        "zh": "{value} 不是可选值之一：{choices}。",
    },
    "profile.err.range": {
        "en": "{value} is out of range: it must be {op} {bound}.",
        "zh": "{value} 超出范围：必须 {op} {bound}。",
    },
    "profile.err.too_long": {"en": "the text is too long.", "zh": "文字太长。"},
    "profile.err.skill": {
        "en": "{value} is not a valid skill id.",
        "zh": "{value} 不是有效的技能编号。",
    },
    "profile.err.unknown_skill": {
        "en": "no loaded course teaches the skill '{skill}'.",
        "zh": "已加载的课程中没有教授技能“{skill}”的课。",
    },
    "profile.err.unreadable": {
        "en": "cannot read the file: {detail}.",
        "zh": "无法读取文件：{detail}。",
    },
    "profile.err.syntax": {
        "en": "the file is not valid TOML or JSON: {detail}.",
        "zh": "文件不是有效的 TOML 或 JSON：{detail}。",
    },
    "profile.fix.add": {"en": "write {line}", "zh": "写成 {line}"},
    "profile.fix.flag": {"en": "use --{flag} {value}", "zh": "使用 --{flag} {value}"},
    "profile.fix.rename": {"en": "rename it to '{name}'.", "zh": "改名为“{name}”。"},
    "profile.fix.remove": {
        "en": "remove it (docs/planning.md lists the profile fields).",
        "zh": "删除它（docs/planning.md 列出了画像的所有字段）。",
    },
    "profile.fix.did_you_mean": {"en": "did you mean '{value}'?", "zh": "你是不是想写“{value}”？"},
    "profile.fix.shorten": {"en": "use at most 200 characters.", "zh": "最多使用 200 个字符。"},
    "profile.fix.skill": {
        "en": "use lowercase letters, digits, '_', '-' and '.', e.g. 'eval.metrics'.",
        "zh": "使用小写字母、数字、“_”、“-”和“.”，例如“eval.metrics”。",
    },
    "profile.fix.known_skills": {
        "en": "run `lmschool list --json` to see the skills of the loaded courses.",
        "zh": "运行 `lmschool list --json` 查看已加载课程的技能。",
    },
    "profile.fix.path": {
        "en": "check the path and that the file is UTF-8 text.",
        "zh": "检查路径，并确认文件是 UTF-8 文本。",
    },
    "profile.fix.syntax": {
        "en": "fix the syntax (see examples/profiles/ for complete profiles).",
        "zh": "修正语法（完整的画像示例见 examples/profiles/）。",
    },
    # --- plan texts ------------------------------------------------------------------
    "plan.title": {"en": "Training plan: {name}", "zh": "培训计划：{name}"},
    "plan.untitled": {
        "en": "{role}, {stage}, goal {goal}",
        "zh": "{role}，{stage}，目标 {goal}",
    },
    "plan.summary": {
        "en": "{planned} h planned of {capacity} h available. Sessions run from {first} to {finish}, within a plan window that ends {end}. Items: {items}; sessions: {sessions}.",
        "zh": "在可用的 {capacity} 小时中安排了 {planned} 小时。课程从 {first} 持续到 {finish}，计划期截止于 {end}。共 {items} 项，{sessions} 次课。",
    },
    "plan.replanned": {
        "en": "Re-planned from {first} with the measured mastery; the end date {end} is kept.",
        "zh": "已根据测得的掌握度从 {first} 起重新规划；结束日期 {end} 保持不变。",
    },
    "plan.empty": {
        "en": "Nothing to schedule: every target skill is known, mastered, taught or out of scope.",
        "zh": "没有需要安排的内容：所有目标技能都已掌握、已学过或超出范围。",
    },
    "plan.profile": {"en": "Profile", "zh": "画像"},
    "plan.targets": {"en": "Target skills", "zh": "目标技能"},
    "plan.schedule": {"en": "Schedule", "zh": "日程"},
    "plan.items": {"en": "Items and why they are there", "zh": "各项内容及其原因"},
    "plan.skipped": {"en": "Not in this plan", "zh": "未列入本计划的内容"},
    "plan.chart": {"en": "Timeline", "zh": "时间线"},
    "plan.week": {"en": "Week {n}", "zh": "第 {n} 周"},
    "plan.session_line": {
        "en": "{day} {date} {time}, {format}, {used} of {minutes} min",
        "zh": "{day} {date} {time}，{format}，{minutes} 分钟中用 {used} 分钟",
    },
    "plan.part": {"en": "part {part} of {parts}", "zh": "第 {part}/{parts} 部分"},
    "plan.minutes": {"en": "{n} min", "zh": "{n} 分钟"},
    "plan.optional": {"en": "optional", "zh": "可选"},
    "plan.exercises": {"en": "exercises: {ids}", "zh": "练习：{ids}"},
    "plan.due": {"en": "due {date}", "zh": "{date} 到期"},
    "plan.review_title": {
        "en": "Spaced review {n}: {skill}",
        "zh": "间隔复习 {n}：{skill}",
    },
    "plan.ics_summary": {"en": "lmschool: {title}", "zh": "lmschool：{title}"},
    "plan.ics_more": {"en": "{title} (+{n} more)", "zh": "{title}（另有 {n} 项）"},
    "plan.generated": {
        "en": "Generated by `lmschool plan` from the profile and the loaded courses ({courses}).",
        "zh": "由 `lmschool plan` 根据画像和已加载的课程（{courses}）生成。",
    },
    "plan.json_note": {
        "en": "The plan as JSON: docs/planning.md describes every field.",
        "zh": "JSON 格式的计划：docs/planning.md 说明了每个字段。",
    },
    # column headings
    "plan.col.field": {"en": "Field", "zh": "字段"},
    "plan.col.value": {"en": "Value", "zh": "值"},
    "plan.col.skill": {"en": "Skill", "zh": "技能"},
    "plan.col.status": {"en": "Status", "zh": "状态"},
    "plan.col.lesson": {"en": "Lesson", "zh": "课程"},
    "plan.col.item": {"en": "Item", "zh": "内容"},
    "plan.col.kind": {"en": "Kind", "zh": "类型"},
    "plan.col.minutes": {"en": "Minutes", "zh": "分钟"},
    "plan.col.why": {"en": "Why", "zh": "原因"},
    "plan.col.when": {"en": "When", "zh": "时间"},
    "plan.col.id": {"en": "Id", "zh": "编号"},
    "plan.col.reason": {"en": "Reason", "zh": "原因"},
    "plan.col.p_known": {"en": "P(known)", "zh": "掌握概率"},
    "plan.col.attempts": {"en": "Attempts", "zh": "尝试次数"},
    "plan.col.correct": {"en": "Correct", "zh": "正确次数"},
    "plan.col.state": {"en": "State", "zh": "状态"},
    # profile fields shown in plans
    "plan.field.name": {"en": "Name", "zh": "名称"},
    "plan.field.role": {"en": "Role", "zh": "角色"},
    "plan.field.stage": {"en": "Stage", "zh": "阶段"},
    "plan.field.goal": {"en": "Goal", "zh": "目标"},
    "plan.field.industry": {"en": "Industry", "zh": "行业"},
    "plan.field.mode": {"en": "Mode", "zh": "形式"},
    "plan.field.time": {
        "en": "{hours} h a week for {weeks} weeks, from {start}",
        "zh": "每周 {hours} 小时，共 {weeks} 周，从 {start} 开始",
    },
    "plan.field.time_label": {"en": "Time", "zh": "时间"},
    "plan.field.sessions": {"en": "Sessions", "zh": "课次"},
    "plan.field.sessions_value": {
        "en": "{days}, {minutes} min from {time}",
        "zh": "{days}，每次 {minutes} 分钟，{time} 开始",
    },
    "plan.field.compute": {"en": "Compute", "zh": "算力"},
    "plan.field.cohort": {"en": "Cohort", "zh": "班级"},
    "plan.field.cohort_value": {"en": "{name}, {size} learners", "zh": "{name}，{size} 名学员"},
    "plan.field.known": {"en": "Known skills", "zh": "已掌握的技能"},
    # kinds, statuses, formats
    "plan.kind.lesson": {"en": "lesson", "zh": "课程"},
    "plan.kind.lab": {"en": "lab", "zh": "实验"},
    "plan.kind.review": {"en": "module review", "zh": "模块复习"},
    "plan.kind.assessment": {"en": "module assessment", "zh": "模块测评"},
    "plan.kind.spaced-review": {"en": "spaced review", "zh": "间隔复习"},
    "plan.kind.exercise": {"en": "exercise", "zh": "练习"},
    "plan.status.planned": {"en": "planned", "zh": "已安排"},
    "plan.status.known": {"en": "known", "zh": "已会"},
    "plan.status.mastered": {"en": "mastered", "zh": "已掌握"},
    "plan.status.taught": {"en": "taught", "zh": "已学过"},
    "plan.status.out-of-scope": {"en": "out of scope", "zh": "超出范围"},
    "plan.format.online": {"en": "online", "zh": "线上"},
    "plan.format.classroom": {"en": "classroom", "zh": "课堂"},
    "plan.format.workshop": {"en": "workshop day", "zh": "工作坊"},
    "plan.day.mon": {"en": "Mon", "zh": "周一"},
    "plan.day.tue": {"en": "Tue", "zh": "周二"},
    "plan.day.wed": {"en": "Wed", "zh": "周三"},
    "plan.day.thu": {"en": "Thu", "zh": "周四"},
    "plan.day.fri": {"en": "Fri", "zh": "周五"},
    "plan.day.sat": {"en": "Sat", "zh": "周六"},
    "plan.day.sun": {"en": "Sun", "zh": "周日"},
    # reasons
    "plan.reason.target": {"en": "target skill {skill}", "zh": "目标技能 {skill}"},
    "plan.reason.prerequisite": {"en": "prerequisite of {lesson}", "zh": "{lesson} 的先修课"},
    "plan.reason.track": {"en": "named by the track {track}", "zh": "由培训路线 {track} 指定"},
    "plan.reason.industry-lesson": {
        "en": "lesson for the {industry} industry",
        "zh": "面向{industry}行业的课程",
    },
    "plan.reason.industry-lab": {
        "en": "industry lab for {industry}",
        "zh": "{industry}行业的实验",
    },
    "plan.reason.lab": {
        "en": "hands-on lab of the lesson",
        "zh": "本课的动手实验",
    },
    "plan.reason.module-review": {"en": "review of module {module}", "zh": "模块 {module} 的复习"},
    "plan.reason.module-assessment": {
        "en": "assessment of module {module}",
        "zh": "模块 {module} 的测评",
    },
    "plan.reason.weak-skill": {
        "en": "review of a weak skill: {skill} (P(known) {p})",
        "zh": "薄弱技能复习：{skill}（掌握概率 {p}）",
    },
    # skip reasons and details
    "plan.skip.known": {"en": "already known", "zh": "已会"},
    "plan.skip.mastered": {"en": "mastered", "zh": "已掌握"},
    "plan.skip.taught": {"en": "already done", "zh": "已完成"},
    "plan.skip.not-needed": {
        "en": "not needed for the targets",
        "zh": "目标不需要",
    },
    "plan.skip.stage-level": {"en": "level too high for the stage", "zh": "难度超出该阶段"},
    "plan.skip.stage-audience": {"en": "not meant for the stage", "zh": "不适合该阶段"},
    "plan.skip.compute": {"en": "needs more compute", "zh": "需要更多算力"},
    "plan.skip.prerequisite-unsuited": {
        "en": "a prerequisite does not suit the stage",
        "zh": "某门先修课不适合该阶段",
    },
    "plan.skip.exercise-kind": {
        "en": "exercise kind not used at this stage",
        "zh": "该阶段不使用这类练习",
    },
    "plan.skip.other-industry": {"en": "lab for another industry", "zh": "其他行业的实验"},
    "plan.skip.optional-dropped": {"en": "optional, dropped", "zh": "可选内容，已去掉"},
    "plan.skip.after-end": {"en": "due after the end date", "zh": "到期日在结束日期之后"},
    "plan.skip.no-lesson": {"en": "no lesson teaches it", "zh": "没有课程教授它"},
    # notes on items and warnings of a plan
    "plan.warnings": {"en": "Warnings", "zh": "注意事项"},
    "plan.note.stand_in_lab": {
        "en": "Stand-in: this lab has no version for {industry}; the one written for {others} is planned instead.",
        "zh": "替代实验：本实验没有面向{industry}的版本，计划中改用面向{others}的版本。",
    },
    "plan.note.sessions_short": {
        "en": "The sessions hold only {usable} h of the {hours} h a week asked ({days} × {minutes} min a week), so the plan uses {usable} h a week. To use all {hours} h: {fix}.",
        "zh": "上课时段每周只能容纳所要求的 {hours} 小时中的 {usable} 小时（每周 {days} × {minutes} 分钟），因此计划每周只用 {usable} 小时。要用满 {hours} 小时：{fix}。",
    },
    "plan.note.or": {"en": ", or ", "zh": "，或 "},
    "plan.note.no_fix": {
        "en": "no week of sessions up to 240 min holds that much; lower --hours-per-week",
        "zh": "每次课不超过 240 分钟时，一周的课时容纳不下这么多；请降低 --hours-per-week",
    },
    "plan.note.stage_scope": {
        "en": "{n} of the {m} target skills are beyond {stage} learners ({skills}): only lessons that suit the stage are planned, so the plan uses {planned} of the {capacity} h available. {offer}",
        "zh": "{m} 项目标技能中有 {n} 项超出{stage}学员的范围（{skills}）：计划只安排适合该阶段的课程，因此在可用的 {capacity} 小时中只用了 {planned} 小时。{offer}",
    },
    "plan.note.stage_offer": {
        "en": "For learners ready for more, {flag} ({stage}) also reaches {k} of them ({skills}) in {hours} h, which fits the {capacity} h.",
        "zh": "如果学员能接受更多内容，{flag}（{stage}）还能覆盖其中 {k} 项（{skills}），共需 {hours} 小时，在 {capacity} 小时之内。",
    },
    "plan.note.stage_offer_more": {
        "en": "For learners ready for more, {flag} ({stage}) also reaches {k} of them ({skills}), but needs {hours} h, more than the {capacity} h available; `lmschool plan {flag}` lists the changes that make it fit.",
        "zh": "如果学员能接受更多内容，{flag}（{stage}）还能覆盖其中 {k} 项（{skills}），但共需 {hours} 小时，超过可用的 {capacity} 小时；`lmschool plan {flag}` 会列出能排下的改动。",
    },
    "plan.note.stage_none": {
        "en": "No lesson of the loaded courses teaches them at this stage or the next.",
        "zh": "已加载的课程中，没有适合该阶段或下一阶段、讲授这些技能的课。",
    },
    # infeasible plans and re-planning
    "plan.infeasible": {
        "en": "The plan does not fit: it needs {needed} h, but only {available} h are available by {end}.",
        "zh": "计划排不下：需要 {needed} 小时，但到 {end} 为止只有 {available} 小时可用。",
    },
    "plan.infeasible_replan": {
        "en": "Cannot keep the end date {end}: the rest of the plan needs {needed} h, but only {available} h are left before it.",
        "zh": "无法保持结束日期 {end}：剩余计划需要 {needed} 小时，但在此之前只剩 {available} 小时。",
    },
    "plan.infeasible_sessions": {
        "en": "The sessions hold only {usable} h of the {hours} h a week: there are too few weekdays, or the sessions are too short.",
        "zh": "上课时段每周只能容纳 {hours} 小时中的 {usable} 小时：上课日太少，或每次课太短。",
    },
    "plan.options": {"en": "Options:", "zh": "可选方案："},
    "plan.all_spaced_reviews": {"en": "every spaced review", "zh": "所有间隔复习"},
    "plan.option.line": {"en": "{what} ({size}): {how}", "zh": "{what}（{size}）：{how}"},
    "plan.option.and": {"en": ", and ", "zh": "，并"},
    "plan.option.size": {"en": "a change of {pct}%", "zh": "改动 {pct}%"},
    "plan.option.weeks": {
        "en": "extend to {weeks} weeks (ending {end})",
        "zh": "延长到 {weeks} 周（{end} 结束）",
    },
    "plan.option.end": {
        "en": "move the end date to {end} ({weeks} weeks)",
        "zh": "把结束日期推迟到 {end}（共 {weeks} 周）",
    },
    "plan.option.hours": {
        "en": "raise to {hours} hours a week",
        "zh": "增加到每周 {hours} 小时",
    },
    "plan.option.days": {
        "en": "hold sessions on {days} ({n} days a week)",
        "zh": "在{days}上课（每周 {n} 天）",
    },
    "plan.option.session": {
        "en": "lengthen sessions to {minutes} minutes",
        "zh": "把每次课延长到 {minutes} 分钟",
    },
    "plan.option.drop": {
        "en": "drop the optional items ({hours} h: {items})",
        "zh": "去掉可选内容（{hours} 小时：{items}）",
    },
    "plan.option.drop_how": {
        "en": "--skip-optional, or include_optional = false in the profile",
        "zh": "--skip-optional，或在画像中设置 include_optional = false",
    },
    "plan.option.none": {
        "en": "no change within the limits (156 weeks, 80 hours a week, 7 days a week, sessions of 240 minutes) makes it fit: choose fewer target skills",
        "zh": "在限度之内（156 周、每周 80 小时、每周 7 天、每次课 240 分钟）任何改动都排不下：请减少目标技能",
    },
    "plan.ended": {
        "en": "The stored plan ended on {end}: make a new plan with `lmschool plan --profile FILE --save`.",
        "zh": "保存的计划已于 {end} 结束：请用 `lmschool plan --profile 文件 --save` 制定新计划。",
    },
}

# The values of the profile's choice fields, named in both languages ("plan.v.<value>").
VALUE_NAMES: dict[str, tuple[str, str]] = {
    "student": ("student", "学生"),
    "researcher": ("researcher", "研究人员"),
    "engineer": ("engineer", "工程师"),
    "educator": ("educator", "教师"),
    "manager": ("manager", "管理者"),
    "junior-high": ("junior high", "初中"),
    "senior-high": ("senior high", "高中"),
    "undergraduate": ("undergraduate", "本科"),
    "graduate": ("graduate", "研究生"),
    "professional": ("working professional", "在职人员"),
    "skills": ("skills", "技能提升"),
    "vocational": ("vocational training", "职业培训"),
    "career-change": ("career change", "转岗转行"),
    "research": ("research", "科研"),
    "teaching": ("teaching", "教学"),
    "general": ("general", "通用"),
    "education": ("education", "教育"),
    "medicine": ("medicine", "医疗"),
    "finance": ("finance", "金融"),
    "logistics": ("logistics", "物流"),
    "online-self-paced": ("online, self-paced", "线上自学"),
    "classroom": ("classroom periods", "课堂教学"),
    "workshop": ("workshop days", "工作坊"),
    "blended": ("blended", "混合式"),
    "laptop-cpu": ("laptop CPU", "笔记本 CPU"),
    "gpu": ("GPU", "GPU 服务器"),
    "cluster": ("cluster", "计算集群"),
}
for _value, (_en, _zh) in VALUE_NAMES.items():
    PLAN_MESSAGES[f"plan.v.{_value}"] = {"en": _en, "zh": _zh}

# --- the `plan`, `profile` and `progress` commands (lmschool.cli.planning) -------------
PLAN_CLI_MESSAGES: dict[str, dict[str, str]] = {
    "plan.cli.tracks_invalid": {
        "en": "The training-plan tracks are invalid:",
        "zh": "培训路线（tracks）文件无效：",
    },
    "plan.cli.no_saved": {
        "en": "{learner} has no saved plan: run `lmschool plan --profile FILE --save` first.",
        "zh": "{learner} 还没有保存的计划：请先运行 `lmschool plan --profile 文件 --save`。",
    },
    "plan.cli.saved": {
        "en": "Saved as the current plan of {learner} (plan {id}).",
        "zh": "已保存为 {learner} 的当前计划（计划 {id}）。",
    },
    "plan.cli.wrote": {"en": "Wrote {path}", "zh": "已写入 {path}"},
    "plan.cli.bad_date": {
        "en": "{option}: '{value}' is not a date; write it as YYYY-MM-DD, e.g. 2025-09-01.",
        "zh": "{option}：“{value}”不是日期；请写成 YYYY-MM-DD，例如 2025-09-01。",
    },
    "plan.cli.bad_format": {
        "en": "Cannot tell the format from {path}: use --format md, html, json or ics.",
        "zh": "无法从 {path} 判断格式：请使用 --format md、html、json 或 ics。",
    },
    "plan.cli.replan_flags": {
        "en": "--replan rebuilds the saved plan: it takes no profile or profile flags.",
        "zh": "--replan 会重建已保存的计划：不能同时给出画像文件或画像参数。",
    },
    "plan.cli.mastery_title": {
        "en": "Mastery per skill (Bayesian knowledge tracing)",
        "zh": "各技能掌握度（贝叶斯知识追踪）",
    },
    "plan.cli.no_mastery": {
        "en": "No mastery measured yet: it is updated after every graded attempt.",
        "zh": "还没有测得掌握度：每次评分后都会更新。",
    },
    "plan.cli.state.mastered": {"en": "mastered", "zh": "已掌握"},
    "plan.cli.state.weak": {"en": "weak", "zh": "薄弱"},
    "plan.cli.state.learning": {"en": "learning", "zh": "学习中"},
    "plan.cli.col.week": {"en": "Week", "zh": "周"},
    "plan.cli.col.session": {"en": "Session", "zh": "课次"},
    "plan.cli.skipped_count": {
        "en": "Not in this plan: {n} (see --format md for why).",
        "zh": "未列入本计划的内容：{n} 项（原因见 --format md）。",
    },
    "plan.cli.exists": {
        "en": "{path} exists: use --force to overwrite it, or --out for another file.",
        "zh": "{path} 已存在：使用 --force 覆盖，或用 --out 指定其他文件。",
    },
    "plan.cli.profile_written": {
        "en": "Wrote the profile to {path}. Next: `lmschool plan --profile {path}`.",
        "zh": "已把画像写入 {path}。下一步：`lmschool plan --profile {path}`。",
    },
    "plan.cli.try_again": {"en": "Please answer again.", "zh": "请重新回答。"},
    "profile.q.name": {
        "en": "A name for the plan (optional)",
        "zh": "计划名称（可留空）",
    },
    "profile.q.role": {"en": "Who learns (role)", "zh": "学员是谁（角色）"},
    "profile.q.stage": {"en": "At which stage", "zh": "处于哪个阶段"},
    "profile.q.goal": {"en": "Towards which goal", "zh": "学习目标"},
    "profile.q.industry": {"en": "For which industry", "zh": "面向哪个行业"},
    "profile.q.mode": {"en": "Taught how (mode)", "zh": "教学形式"},
    "profile.q.hours_per_week": {"en": "Hours a week", "zh": "每周学时"},
    "profile.q.weeks": {"en": "How many weeks", "zh": "共几周"},
    "profile.q.start": {"en": "Start date (YYYY-MM-DD)", "zh": "开始日期（YYYY-MM-DD）"},
    "profile.q.weekdays": {
        "en": "Available weekdays (e.g. mon,wed)",
        "zh": "可上课的星期（例如 mon,wed）",
    },
    "profile.q.session_minutes": {
        "en": "Minutes per session (0: the mode's default)",
        "zh": "每次课的分钟数（0 表示按教学形式的默认值）",
    },
    "profile.q.start_time": {"en": "Sessions start at (HH:MM)", "zh": "每次课开始时间（HH:MM）"},
    "profile.q.known": {
        "en": "Skills already known, comma-separated (optional)",
        "zh": "已掌握的技能，用逗号分隔（可留空）",
    },
    "profile.q.compute": {"en": "Compute available", "zh": "可用算力"},
    "profile.q.language": {"en": "Language of the plan", "zh": "计划使用的语言"},
    "profile.q.cohort": {
        "en": "Cohort name (optional; empty for one learner)",
        "zh": "班级名称（可留空；个人学习留空）",
    },
    "profile.q.cohort_size": {"en": "Learners in the cohort", "zh": "班级人数"},
}

PLAN_HELP: dict[str, dict[str, str]] = {
    "plan": {
        "en": "Make a training plan from a profile (file or flags), or re-plan the saved one from measured mastery.",
        "zh": "根据画像（文件或参数）制定培训计划，或根据测得的掌握度重新规划已保存的计划。",
    },
    "profile": {"en": "Write training-plan profiles.", "zh": "编写培训计划的画像。"},
    "profile_new": {
        "en": "Write a profile by answering questions (every question is also a flag; --yes asks nothing).",
        "zh": "通过回答问题编写画像（每个问题也可用参数给出；--yes 不提问）。",
    },
    "profile_file": {
        "en": "A profile file (.toml or .json); flags override its fields.",
        "zh": "画像文件（.toml 或 .json）；参数会覆盖其中的字段。",
    },
    "role": {"en": "Who learns.", "zh": "学员角色。"},
    "stage": {"en": "The learners' stage.", "zh": "学员所处阶段。"},
    "goal": {"en": "The goal of the training.", "zh": "培训目标。"},
    "industry": {"en": "The industry the training is for.", "zh": "面向的行业。"},
    "mode": {"en": "How it is taught.", "zh": "教学形式。"},
    "hours": {"en": "Hours a week.", "zh": "每周学时。"},
    "weeks": {"en": "Number of weeks (or give --end).", "zh": "周数（或给出 --end）。"},
    "end": {
        "en": "Last day, YYYY-MM-DD, instead of --weeks.",
        "zh": "结束日期，YYYY-MM-DD，可代替 --weeks。",
    },
    "start": {"en": "First day, YYYY-MM-DD.", "zh": "开始日期，YYYY-MM-DD。"},
    "weekdays": {
        "en": "Available weekdays, e.g. mon,wed.",
        "zh": "可上课的星期，例如 mon,wed。",
    },
    "session": {
        "en": "Minutes per session (default: from the mode).",
        "zh": "每次课的分钟数（默认按教学形式）。",
    },
    "start_time": {"en": "Time sessions start, HH:MM.", "zh": "每次课的开始时间，HH:MM。"},
    "known": {
        "en": "Skills already known, comma-separated.",
        "zh": "已掌握的技能，用逗号分隔。",
    },
    "targets": {
        "en": "Extra target skills, comma-separated.",
        "zh": "额外的目标技能，用逗号分隔。",
    },
    "compute": {"en": "Compute available for labs.", "zh": "实验可用的算力。"},
    "cohort": {"en": "Cohort name (a plan for a group).", "zh": "班级名称（为一组学员制定计划）。"},
    "cohort_size": {"en": "Learners in the cohort.", "zh": "班级人数。"},
    "name": {"en": "A name for the plan.", "zh": "计划名称。"},
    "skip_optional": {
        "en": "Leave out optional items (industry lessons and labs, spaced reviews).",
        "zh": "去掉可选内容（行业课程与实验、间隔复习）。",
    },
    "format": {
        "en": "Output format (default: terminal, or from the --out suffix).",
        "zh": "输出格式（默认为终端显示，或按 --out 的扩展名）。",
    },
    "out": {"en": "Write to this file.", "zh": "写入这个文件。"},
    "save": {
        "en": "Save the plan as the learner's current plan (for --replan).",
        "zh": "把计划保存为学员的当前计划（供 --replan 使用）。",
    },
    "replan": {
        "en": "Rebuild the rest of the saved plan from today with current mastery, keeping its end date (saves it).",
        "zh": "从今天起根据当前掌握度重建已保存计划的剩余部分，保持结束日期（并保存）。",
    },
    "today": {
        "en": "The day to re-plan from, YYYY-MM-DD (default: today).",
        "zh": "重新规划的起始日期，YYYY-MM-DD（默认为今天）。",
    },
    "learner": {
        "en": "Whose plan and mastery (default: LMSCHOOL_LEARNER).",
        "zh": "针对哪位学员的计划和掌握度（默认为 LMSCHOOL_LEARNER）。",
    },
    "profile_out": {"en": "Where to write the profile.", "zh": "画像的写入位置。"},
    "yes": {
        "en": "Ask nothing: use the flags and the defaults.",
        "zh": "不提问：使用参数和默认值。",
    },
    "force": {"en": "Overwrite an existing file.", "zh": "覆盖已有文件。"},
    "lang_profile": {
        "en": "Language of the plan (the default of `lmschool plan --lang`).",
        "zh": "计划使用的语言（`lmschool plan --lang` 的默认值）。",
    },
}

MESSAGES.update(PLAN_MESSAGES)
MESSAGES.update(PLAN_CLI_MESSAGES)
