"""Plans as Markdown, JSON and iCalendar, in en or zh, and the helpers every view shares.

Every function takes a :class:`~lmschool.planning.document.Plan` and a language and
returns text (bytes for .ics). The HTML page is in :mod:`lmschool.planning.html` and the
Rich terminal view in :mod:`lmschool.planning.terminal`; they share the helpers here
(``reason_text``, ``item_label``, ``profile_rows``, ``summary_text``, ...).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from lmschool.i18n import Lang, pick, t
from lmschool.planning.document import Item, Plan, Reason
from lmschool.planning.profile import WEEKDAYS

if TYPE_CHECKING:
    from lmschool.planning.planner import InfeasiblePlan, Option

FORMATS = ("terminal", "md", "html", "json", "ics")
KIND_COLOURS = {
    "lesson": "#3b82f6",
    "lab": "#f59e0b",
    "review": "#10b981",
    "assessment": "#8b5cf6",
    "spaced-review": "#ef4444",
}


# --- shared helpers ------------------------------------------------------------------


def hours(minutes: int) -> str:
    return f"{round(minutes / 60, 1):g}"


def value_name(value: str, lang: Lang) -> str:
    return t(f"plan.v.{value}", lang)


def reason_text(reason: Reason, lang: Lang) -> str:
    args = reason.model_dump()
    if reason.industry:
        args["industry"] = value_name(reason.industry, lang)
    args["p"] = "?" if reason.p_known is None else f"{reason.p_known:.2f}"
    return t(f"plan.reason.{reason.code}", lang, **args)


def reasons_text(item: Item, lang: Lang) -> str:
    sep = "; " if lang == "en" else "；"
    return sep.join(reason_text(r, lang) for r in item.reasons)


def item_label(item: Item, lang: Lang) -> str:
    """``kind · title`` (with the id for lessons and labs)."""
    kind = t(f"plan.kind.{item.kind}", lang)
    title = pick(item.title, lang)
    if item.kind in ("lesson", "lab"):
        return f"{kind} · {item.ref} · {title}"
    return f"{kind} · {title}"


def plan_title(plan: Plan, lang: Lang) -> str:
    p = plan.profile
    name = p.get("name") or t(
        "plan.untitled",
        lang,
        role=value_name(p["role"], lang),
        stage=value_name(p["stage"], lang),
        goal=value_name(p["goal"], lang),
    )
    return t("plan.title", lang, name=name)


def day_name(day: date, lang: Lang) -> str:
    return t(f"plan.day.{WEEKDAYS[day.weekday()]}", lang)


def profile_rows(plan: Plan, lang: Lang) -> list[tuple[str, str]]:
    p = plan.profile
    sep = ", " if lang == "en" else "、"
    rows = [
        (t("plan.field.role", lang), value_name(p["role"], lang)),
        (t("plan.field.stage", lang), value_name(p["stage"], lang)),
        (t("plan.field.goal", lang), value_name(p["goal"], lang)),
        (t("plan.field.industry", lang), value_name(p["industry"], lang)),
        (t("plan.field.mode", lang), value_name(p["mode"], lang)),
        (
            t("plan.field.time_label", lang),
            t(
                "plan.field.time",
                lang,
                hours=f"{p['hours_per_week']:g}",
                weeks=p["weeks"],
                start=p["start"],
            ),
        ),
        (
            t("plan.field.sessions", lang),
            t(
                "plan.field.sessions_value",
                lang,
                days=sep.join(t(f"plan.day.{d}", lang) for d in p["weekdays"]),
                minutes=_session_minutes(plan),
                time=p["start_time"][:5],
            ),
        ),
        (t("plan.field.compute", lang), value_name(p["compute"], lang)),
    ]
    if p.get("cohort"):
        rows.append(
            (
                t("plan.field.cohort", lang),
                t("plan.field.cohort_value", lang, name=p["cohort"], size=p["cohort_size"]),
            )
        )
    if p.get("known"):
        rows.append((t("plan.field.known", lang), sep.join(p["known"])))
    return rows


def _session_minutes(plan: Plan) -> int:
    if plan.profile.get("session_minutes"):
        return int(plan.profile["session_minutes"])
    return max((s.minutes for s in plan.sessions), default=0)


def summary_text(plan: Plan, lang: Lang) -> str:
    if not plan.sessions:
        return t("plan.empty", lang)
    text = t(
        "plan.summary",
        lang,
        items=len(plan.items),
        sessions=len(plan.sessions),
        planned=hours(plan.planned_minutes),
        capacity=hours(plan.capacity_minutes),
        first=plan.sessions[0].date.isoformat(),
        finish=plan.finish.isoformat() if plan.finish else "",
        end=plan.end.isoformat(),
    )
    if plan.replanned:
        text += " " + t(
            "plan.replanned", lang, first=plan.first_day.isoformat(), end=plan.end.isoformat()
        )
    return text


def listing(parts: list[str], lang: Lang) -> str:
    """Parts joined the way each language lists them."""
    return ("，" if lang == "zh" else ", ").join(parts)


def bracket(text: str, lang: Lang) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def entry_text(plan: Plan, item_id: str, minutes: int, part: int, parts: int, lang: Lang) -> str:
    item = plan.item(item_id)
    details = [t("plan.minutes", lang, n=minutes)]
    if parts > 1:
        details.append(t("plan.part", lang, part=part, parts=parts))
    if item.optional:
        details.append(t("plan.optional", lang))
    return item_label(item, lang) + bracket(listing(details, lang), lang)


def notes_text(item: Item, lang: Lang) -> str:
    """The notes on an item (a stand-in lab, ...), or nothing."""
    return " ".join(pick(n.text, lang) for n in item.notes)


def why_text(item: Item, lang: Lang, *, exercises: bool = True) -> str:
    """The reasons of an item, its notes and (unless ``exercises`` is false) its exercises."""
    sep = "；" if lang == "zh" else "; "
    why = reasons_text(item, lang)
    if item.notes:
        why += sep + notes_text(item, lang)
    if exercises and item.exercises and item.kind != "lab":
        why += sep + t("plan.exercises", lang, ids=", ".join(item.exercises))
    return why


def warnings_text(plan: Plan, lang: Lang) -> list[str]:
    """The plan's warnings, one text each."""
    return [pick(n.text, lang) for n in plan.warnings]


def option_flags(changes: dict[str, object]) -> str:
    """The command-line flags of an option's changes."""
    flags = []
    for name, value in changes.items():
        if name == "include_optional":
            flags.append("--skip-optional")
        elif name == "weekdays" and isinstance(value, list):
            flags.append(f"--weekdays {','.join(value)}")
        elif name == "end" and isinstance(value, date):
            flags.append(f"--end {value.isoformat()}")
        elif name == "weeks" and "end" in changes:
            continue  # the end date says it
        elif isinstance(value, float):
            flags.append(f"--{name.replace('_', '-')} {value:g}")
        else:
            flags.append(f"--{name.replace('_', '-')} {value}")
    return " ".join(flags)


def option_text(err: InfeasiblePlan, option: Option, lang: Lang) -> str:
    """One option: what changes, by how much, and the flags that do it."""
    c = option.changes
    parts: list[str] = []
    if "end" in c and isinstance(c["end"], date):
        parts.append(t("plan.option.end", lang, end=c["end"].isoformat(), weeks=c["weeks"]))
    elif "weeks" in c:
        end = (err.start + timedelta(days=int(str(c["weeks"])) * 7 - 1)).isoformat()
        parts.append(t("plan.option.weeks", lang, weeks=c["weeks"], end=end))
    if "weekdays" in c and isinstance(c["weekdays"], list):
        days = ("、" if lang == "zh" else ", ").join(
            t(f"plan.day.{d}", lang) for d in c["weekdays"]
        )
        parts.append(t("plan.option.days", lang, days=days, n=len(c["weekdays"])))
    if "session_minutes" in c:
        parts.append(t("plan.option.session", lang, minutes=c["session_minutes"]))
    if "hours_per_week" in c:
        parts.append(t("plan.option.hours", lang, hours=f"{c['hours_per_week']:g}"))
    if c.get("include_optional") is False:
        items = ", ".join(
            t("plan.all_spaced_reviews", lang) if i == "spaced-review:*" else i
            for i in err.optional_items
        )
        parts.append(t("plan.option.drop", lang, hours=hours(err.optional_minutes), items=items))
    what = t("plan.option.and", lang).join(parts)
    size = t("plan.option.size", lang, pct=f"{option.change * 100:.0f}")
    how = option_flags(c)
    if c.get("include_optional") is False:
        how = t("plan.option.drop_how", lang)
    return t("plan.option.line", lang, what=what, size=size, how=how)


def infeasible_text(err: InfeasiblePlan, lang: Lang) -> str:
    key = "plan.infeasible_replan" if err.replan else "plan.infeasible"
    lines = [
        t(
            key,
            lang,
            needed=hours(err.needed_minutes),
            available=hours(err.available_minutes),
            end=err.end.isoformat(),
        ),
    ]
    if err.usable_minutes_per_week is not None:
        lines.append(
            t(
                "plan.infeasible_sessions",
                lang,
                usable=hours(err.usable_minutes_per_week),
                hours=f"{err.hours_per_week_asked:g}",
            )
        )
    lines.append(t("plan.options", lang))
    lines += ["- " + option_text(err, o, lang) for o in err.options]
    if not err.options:
        lines.append("- " + t("plan.option.none", lang))
    return "\n".join(lines)


# --- Markdown --------------------------------------------------------------------------


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(plan: Plan, lang: Lang) -> str:
    out = [f"# {plan_title(plan, lang)}", "", summary_text(plan, lang), ""]
    if plan.warnings:
        out += [f"## {t('plan.warnings', lang)}", ""]
        out += [f"- {w}" for w in warnings_text(plan, lang)] + [""]
    out += [f"## {t('plan.profile', lang)}", ""]
    out += [f"| {t('plan.col.field', lang)} | {t('plan.col.value', lang)} |", "|---|---|"]
    out += [f"| {k} | {_md_cell(v)} |" for k, v in profile_rows(plan, lang)]
    out += ["", f"## {t('plan.targets', lang)}", ""]
    out += [
        f"| {t('plan.col.skill', lang)} | {t('plan.col.status', lang)} | {t('plan.col.lesson', lang)} |",
        "|---|---|---|",
    ]
    for target in plan.targets:
        status = t(f"plan.status.{target.status}", lang)
        if target.detail:
            status += bracket(t(f"plan.skip.{target.detail}", lang), lang)
        out.append(f"| `{target.skill}` | {status} | {target.lesson or ''} |")
    out += ["", f"## {t('plan.schedule', lang)}", ""]
    week = 0
    for s in plan.sessions:
        if s.week != week:
            week = s.week
            out += [f"### {t('plan.week', lang, n=week)}", ""]
        line = t(
            "plan.session_line",
            lang,
            day=day_name(s.date, lang),
            date=s.date.isoformat(),
            time=s.start.strftime("%H:%M"),
            format=t(f"plan.format.{s.format}", lang),
            used=s.used,
            minutes=s.minutes,
        )
        out.append(f"- **{line}**")
        for e in s.entries:
            out.append(f"  - {entry_text(plan, e.item, e.minutes, e.part, e.parts, lang)}")
        if s is plan.sessions[-1] or plan.sessions[plan.sessions.index(s) + 1].week != week:
            out.append("")
    out += [f"## {t('plan.items', lang)}", ""]
    out += [
        f"| # | {t('plan.col.item', lang)} | {t('plan.col.minutes', lang)} | {t('plan.col.why', lang)} |",
        "|---|---|---|---|",
    ]
    for n, item in enumerate(plan.items, start=1):
        label = item_label(item, lang)
        if item.optional:
            label += bracket(t("plan.optional", lang), lang)
        why = why_text(item, lang)
        out.append(f"| {n} | {_md_cell(label)} | {item.minutes} | {_md_cell(why)} |")
    if plan.skipped:
        out += ["", f"## {t('plan.skipped', lang)}", ""]
        out += [
            f"| {t('plan.col.id', lang)} | {t('plan.col.kind', lang)} | {t('plan.col.reason', lang)} |",
            "|---|---|---|",
        ]
        for s in plan.skipped:
            kind = t(f"plan.kind.{'spaced-review' if s.kind == 'review' else s.kind}", lang)
            out.append(f"| `{s.ref}` | {kind} | {t(f'plan.skip.{s.reason}', lang)} |")
    courses = ", ".join(f"{c.id} {c.version}" for c in plan.courses)
    out += ["", f"_{t('plan.generated', lang, courses=courses)}_", ""]
    return "\n".join(out)


# --- JSON ------------------------------------------------------------------------------


def to_json(plan: Plan) -> str:
    return json.dumps(plan.doc(), ensure_ascii=False, indent=2) + "\n"


# --- iCalendar -------------------------------------------------------------------------


def to_ics(plan: Plan, lang: Lang) -> bytes:
    """One event per session; the items, minutes and reasons in the description."""
    from icalendar import Calendar, Event  # 0.1 s to import: only for .ics

    cal = Calendar()
    cal.add("prodid", "-//lmschool//training plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", plan_title(plan, lang))
    uid = plan.fingerprint()
    # DTSTAMP must be a UTC time; the plan's first day keeps the file deterministic.
    stamp = datetime.combine(plan.first_day, time(0, 0), tzinfo=UTC)
    for s in plan.sessions:
        start = datetime.combine(s.date, s.start)  # floating local time
        items = [plan.item(e.item) for e in s.entries]
        title = pick(items[0].title, lang)
        if len(items) > 1:
            title = t("plan.ics_more", lang, title=title, n=len(items) - 1)
        lines = []
        for e in s.entries:
            item = plan.item(e.item)
            lines.append("- " + entry_text(plan, e.item, e.minutes, e.part, e.parts, lang))
            lines.append("  " + reasons_text(item, lang))
            if item.notes:
                lines.append("  " + notes_text(item, lang))
        ev = Event()
        ev.add("uid", f"{uid}-{s.index}@lmschool")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        ev.add("dtend", start + timedelta(minutes=s.used))
        ev.add("summary", t("plan.ics_summary", lang, title=title))
        ev.add("description", "\n".join(lines))
        ev.add("categories", [t(f"plan.format.{s.format}", lang)])
        cal.add_component(ev)
    return cal.to_ical()


def render(plan: Plan, fmt: str, lang: Lang) -> str | bytes:
    """The plan in ``fmt`` (md, html, json or ics)."""
    if fmt == "md":
        return to_markdown(plan, lang)
    if fmt == "html":
        from lmschool.planning.html import to_html

        return to_html(plan, lang)
    if fmt == "json":
        return to_json(plan)
    if fmt == "ics":
        return to_ics(plan, lang)
    raise ValueError(f"unknown plan format {fmt!r}: use one of {', '.join(FORMATS)}")
