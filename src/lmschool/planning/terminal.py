"""A plan in the terminal (Rich): summary, profile, targets and the schedule."""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from lmschool.i18n import Lang, t
from lmschool.planning.document import Plan
from lmschool.planning.export import (
    bracket,
    day_name,
    entry_text,
    plan_title,
    profile_rows,
    summary_text,
    warnings_text,
    why_text,
)


def plan_view(plan: Plan, lang: Lang) -> Group:
    parts: list[object] = [
        Panel(Text(summary_text(plan, lang)), title=plan_title(plan, lang), expand=True)
    ]
    if plan.warnings:
        text = "\n".join(f"• {w}" for w in warnings_text(plan, lang))
        parts.append(Panel(Text(text, style="yellow"), title=t("plan.warnings", lang)))
    prof = Table(title=t("plan.profile", lang), show_header=False)
    prof.add_column(style="bold")
    prof.add_column()
    for k, v in profile_rows(plan, lang):
        prof.add_row(k, v)
    parts.append(prof)
    targets = Table(title=t("plan.targets", lang))
    targets.add_column(t("plan.col.skill", lang), no_wrap=True)
    targets.add_column(t("plan.col.status", lang))
    targets.add_column(t("plan.col.lesson", lang))
    styles = {"planned": "cyan", "out-of-scope": "yellow"}
    for target in plan.targets:
        status = t(f"plan.status.{target.status}", lang)
        if target.detail:
            status += bracket(t(f"plan.skip.{target.detail}", lang), lang)
        targets.add_row(
            target.skill,
            Text(status, style=styles.get(target.status, "green")),
            target.lesson or "",
        )
    parts.append(targets)
    table = Table(title=t("plan.schedule", lang), show_lines=True, expand=True)
    table.add_column(t("plan.cli.col.week", lang), justify="right", no_wrap=True)
    table.add_column(t("plan.cli.col.session", lang), no_wrap=True)
    table.add_column(t("plan.col.item", lang), ratio=3)
    table.add_column(t("plan.col.why", lang), ratio=2)
    for s in plan.sessions:
        when = (
            f"{day_name(s.date, lang)} {s.date.isoformat()} {s.start.strftime('%H:%M')}\n"
            f"{t(f'plan.format.{s.format}', lang)} · {s.used}/{t('plan.minutes', lang, n=s.minutes)}"
        )
        items = "\n".join(
            entry_text(plan, e.item, e.minutes, e.part, e.parts, lang) for e in s.entries
        )
        # Reasons and notes once per item (not again for its later parts); exercises are
        # in --format md.
        why = "\n".join(
            why_text(plan.item(e.item), lang, exercises=False) if e.part == 1 else "…"
            for e in s.entries
        )
        table.add_row(str(s.week), when, items, Text(why, style="dim"))
    if plan.sessions:
        parts.append(table)
    else:
        parts.append(Text(t("plan.empty", lang), style="yellow"))
    if plan.skipped:
        parts.append(Text(t("plan.cli.skipped_count", lang, n=len(plan.skipped)), style="dim"))
    return Group(*parts)
