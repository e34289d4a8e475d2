"""A plan as one self-contained HTML page (no script, no external file), with a Gantt chart."""

from __future__ import annotations

import html
from datetime import timedelta

from lmschool.i18n import Lang, t
from lmschool.planning.document import Plan
from lmschool.planning.export import (
    KIND_COLOURS,
    bracket,
    day_name,
    item_label,
    plan_title,
    profile_rows,
    reasons_text,
    summary_text,
    warnings_text,
    why_text,
)

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC",sans-serif;
max-width:1100px;margin:2em auto;padding:0 1em;color:#1f2937;line-height:1.45}
h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #e5e7eb}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #e5e7eb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f9fafb}code{background:#f3f4f6;padding:0 .2em;border-radius:3px}
.opt{color:#6b7280;font-style:italic}.legend span{display:inline-block;margin-right:1em}
.sw{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.3em;vertical-align:-1px}
.warn li{color:#92400e}.chart{overflow-x:auto}svg text{font-size:11px;fill:#374151}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def gantt_svg(plan: Plan, lang: Lang) -> str:
    """A Gantt-style chart: one row per item, a bar from its first to its last session."""
    if not plan.sessions:
        return ""
    first = plan.first_day
    # up to the end of the week of the last session, so every week has a column
    finish = max(plan.finish or first, first)
    last = min(plan.end, finish + timedelta(days=6 - (finish - plan.start).days % 7))
    days = (last - first).days + 1
    label_w, chart_w, row_h, top = 330, 740, 20, 28
    scale = chart_w / max(days, 1)
    dates = {s.index: s.date for s in plan.sessions}
    height = top + row_h * len(plan.items) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + chart_w + 10}" '
        f'height="{height}" role="img" aria-label="{_e(t("plan.chart", lang))}">'
    ]
    week_start = plan.start
    while week_start <= last:
        if week_start >= first - timedelta(days=6):
            x = label_w + max((week_start - first).days, 0) * scale
            n = (week_start - plan.start).days // 7 + 1
            parts.append(
                f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height}" stroke="#e5e7eb"/>'
                f'<text x="{x + 2:.1f}" y="{top - 10}">{_e(t("plan.week", lang, n=n))}</text>'
            )
        week_start += timedelta(days=7)
    for row, item in enumerate(plan.items):
        y = top + row * row_h
        full = item_label(item, lang)
        label = full if len(full) <= 48 else full[:47] + "…"
        parts.append(f'<text x="0" y="{y + 14}">{_e(label)}<title>{_e(full)}</title></text>')
        when = sorted(dates[i] for i in item.sessions if i in dates)
        if not when:
            continue
        x0 = label_w + (when[0] - first).days * scale
        x1 = label_w + ((when[-1] - first).days + 1) * scale
        colour = KIND_COLOURS[item.kind]
        tip = (
            f"{label}: {when[0].isoformat()} – {when[-1].isoformat()} · {reasons_text(item, lang)}"
        )
        parts.append(
            f'<rect x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 3):.1f}" height="{row_h - 8}" '
            f'rx="3" fill="{colour}" fill-opacity="{0.45 if item.optional else 0.85}">'
            f"<title>{_e(tip)}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(plan: Plan, lang: Lang) -> str:
    """A self-contained page (no scripts, no external files) with a Gantt-style chart."""
    title = plan_title(plan, lang)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>{_e(summary_text(plan, lang))}</p>",
        *(
            [f'<h2>{_e(t("plan.warnings", lang))}</h2><ul class="warn">']
            + [f"<li>{_e(w)}</li>" for w in warnings_text(plan, lang)]
            + ["</ul>"]
            if plan.warnings
            else []
        ),
        f"<h2>{_e(t('plan.profile', lang))}</h2><table>",
    ]
    out += [f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in profile_rows(plan, lang)]
    out += ["</table>", f"<h2>{_e(t('plan.chart', lang))}</h2>", '<p class="legend">']
    for kind, colour in KIND_COLOURS.items():
        out.append(
            f'<span><i class="sw" style="background:{colour}"></i>{_e(t(f"plan.kind.{kind}", lang))}</span>'
        )
    out += ["</p>", f'<div class="chart">{gantt_svg(plan, lang)}</div>']
    out += [f"<h2>{_e(t('plan.targets', lang))}</h2><table>"]
    out.append(
        f"<tr><th>{_e(t('plan.col.skill', lang))}</th><th>{_e(t('plan.col.status', lang))}</th>"
        f"<th>{_e(t('plan.col.lesson', lang))}</th></tr>"
    )
    for target in plan.targets:
        status = t(f"plan.status.{target.status}", lang)
        if target.detail:
            status += bracket(t(f"plan.skip.{target.detail}", lang), lang)
        out.append(
            f"<tr><td><code>{_e(target.skill)}</code></td><td>{_e(status)}</td>"
            f"<td>{_e(target.lesson or '')}</td></tr>"
        )
    out += ["</table>", f"<h2>{_e(t('plan.schedule', lang))}</h2>"]
    week = 0
    for s in plan.sessions:
        if s.week != week:
            if week:
                out.append("</table>")
            week = s.week
            out += [
                f"<h3>{_e(t('plan.week', lang, n=week))}</h3><table>",
                f"<tr><th>{_e(t('plan.col.when', lang))}</th><th>{_e(t('plan.col.item', lang))}</th>"
                f"<th>{_e(t('plan.col.minutes', lang))}</th><th>{_e(t('plan.col.why', lang))}</th></tr>",
            ]
        when = t(
            "plan.session_line",
            lang,
            day=day_name(s.date, lang),
            date=s.date.isoformat(),
            time=s.start.strftime("%H:%M"),
            format=t(f"plan.format.{s.format}", lang),
            used=s.used,
            minutes=s.minutes,
        )
        for n, e in enumerate(s.entries):
            item = plan.item(e.item)
            label = item_label(item, lang)
            if e.parts > 1:
                label += bracket(t("plan.part", lang, part=e.part, parts=e.parts), lang)
            cls = ' class="opt"' if item.optional else ""
            first_cell = f'<td rowspan="{len(s.entries)}">{_e(when)}</td>' if n == 0 else ""
            out.append(
                f"<tr>{first_cell}<td{cls}>{_e(label)}</td><td>{e.minutes}</td>"
                f"<td>{_e(why_text(item, lang))}</td></tr>"
            )
    if week:
        out.append("</table>")
    if plan.skipped:
        out += [f"<h2>{_e(t('plan.skipped', lang))}</h2><table>"]
        out.append(
            f"<tr><th>{_e(t('plan.col.id', lang))}</th><th>{_e(t('plan.col.kind', lang))}</th>"
            f"<th>{_e(t('plan.col.reason', lang))}</th></tr>"
        )
        for sk in plan.skipped:
            kind = t(f"plan.kind.{'spaced-review' if sk.kind == 'review' else sk.kind}", lang)
            out.append(
                f"<tr><td><code>{_e(sk.ref)}</code></td><td>{_e(kind)}</td>"
                f"<td>{_e(t(f'plan.skip.{sk.reason}', lang))}</td></tr>"
            )
        out.append("</table>")
    courses = ", ".join(f"{c.id} {c.version}" for c in plan.courses)
    out += [f"<p><small>{_e(t('plan.generated', lang, courses=courses))}</small></p>"]
    out += ["</body></html>", ""]
    return "\n".join(out)
