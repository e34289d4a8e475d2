"""Training plans in the browser: a learner's plan (with its iCalendar file) and mastery
chart, and an instructor assigning a plan to a whole cohort from a profile form.

The planner is the terminal's (``make_profile``, ``make_plan``, the saved-plans table);
its profile errors and its infeasibility advice (the levers that would make the plan fit)
are shown in the form, in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from lmschool.i18n import t
from lmschool.planning.export import infeasible_text, summary_text
from lmschool.planning.export import render as render_plan
from lmschool.planning.mastery import learner_mastery
from lmschool.planning.planner import InfeasiblePlan, make_plan
from lmschool.planning.profile import (
    GOALS,
    INDUSTRIES,
    MODES,
    ROLES,
    STAGES,
    WEEKDAYS,
    ProfileError,
    make_profile,
)
from lmschool.planning.saved import current_plan, save_plans
from lmschool.planning.tracks import load_tracks
from lmschool.store.web_models import User
from lmschool.web import accounts
from lmschool.web.policy import Access, page
from lmschool.web.render import markdown_html

Render = Callable[..., Response]

FORM_DEFAULTS: dict[str, Any] = {
    "role": "student",
    "stage": "undergraduate",
    "goal": "skills",
    "industry": "general",
    "mode": "classroom",
    "hours_per_week": "6",
    "weeks": "12",
    "session_minutes": "90",
    "weekdays": ["tue", "thu"],
}


def mastery_svg(rows: list[tuple[str, float, int]], title: str) -> str:
    """Horizontal bars, one per measured skill: p_known from 0 to 1, the attempts beside."""
    bar, left, width = 22, 230, 300
    height = 20 + bar * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{left + width + 90}"'
        f' height="{height}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{_xml(title)}</title>",
    ]
    for i, (skill, p, attempts) in enumerate(rows):
        y = 10 + i * bar
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{_xml(skill)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{width}" height="{bar - 6}" fill="#eceff1"/>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 3}" width="{width * p:.1f}" height="{bar - 6}" fill="#2da44e">'
            f"<title>{_xml(skill)}: {p:.2f}</title></rect>"
        )
        parts.append(f'<text x="{left + width + 8}" y="{y + 15}">{p:.2f} ({attempts})</text>')
    parts.append("</svg>")
    return "".join(parts)


def _xml(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def profile_data(form: dict[str, Any], lang: str, cohort: str, size: int) -> dict[str, Any]:
    """A profile from the form's strings, typed as the planner's model wants them.

    A number that does not parse is passed on as text, so that the planner's own
    validation names the field and what it accepts.
    """

    def number(text: str, kind: type) -> Any:
        try:
            return kind(text)
        except (TypeError, ValueError):
            return text

    data: dict[str, Any] = {
        key: form[key] for key in ("role", "stage", "goal", "industry", "mode") if form.get(key)
    }
    data["hours_per_week"] = number(form.get("hours_per_week", ""), float)
    if form.get("weeks"):
        data["weeks"] = number(form["weeks"], int)
    if form.get("session_minutes"):
        data["session_minutes"] = number(form["session_minutes"], int)
    data["start"] = form.get("start") or date.today().isoformat()
    data["weekdays"] = list(form.get("weekdays") or [])
    data["language"] = lang
    data["cohort"], data["cohort_size"] = cohort, max(1, size)
    return data


def add_plan_pages(app: FastAPI, render: Render, lang_of: Callable[[Request], str]) -> None:
    def stored(request: Request) -> Any:
        user: User = request.state.user
        with request.app.state.db.session() as s:
            return current_plan(s, learner_id=user.learner_id)

    @page(app, "/plan", access=Access.SIGNED_IN)
    def plan_page(request: Request) -> Response:
        user: User = request.state.user
        lang = lang_of(request)
        saved = stored(request)
        with request.app.state.db.session() as s:
            mastery = learner_mastery(s, learner_id=user.learner_id)
        rows = [(m.skill, m.p_known, m.attempts) for m in mastery.values()]
        chart = mastery_svg(rows, t("web.mastery_chart", lang)) if rows else ""
        body = summary = ""
        if saved is not None:
            summary = summary_text(saved.plan, lang)
            body = markdown_html(render_plan(saved.plan, "md", lang))
        return render(request, "plan.html", saved=saved, summary=summary, body=body, chart=chart)

    @page(app, "/plan.ics", access=Access.SIGNED_IN)
    def plan_ics(request: Request) -> Response:
        saved = stored(request)
        if saved is None:
            raise HTTPException(status_code=404, detail="web.no_plan")
        return Response(
            render_plan(saved.plan, "ics", lang_of(request)),
            media_type="text/calendar; charset=utf-8",
            headers={"content-disposition": 'attachment; filename="lmschool-plan.ics"'},
        )

    def plan_form(
        request: Request, cohort_id: int, status_code: int = 200, **extra: Any
    ) -> Response:
        with request.app.state.db.session() as s:
            cohort = accounts.cohort_for_instructor(s, request.state.user, cohort_id)
            if cohort is None:
                raise HTTPException(status_code=404, detail="web.not_found")
            info = {"id": cohort.id, "name": cohort.name}
        context = {
            "cohort": info,
            "form": extra.pop("form", None) or {**FORM_DEFAULTS, "start": date.today().isoformat()},
            "choices": {
                "role": ROLES,
                "stage": STAGES,
                "goal": GOALS,
                "industry": INDUSTRIES,
                "mode": MODES,
            },
            "weekdays": WEEKDAYS,
            **extra,
        }
        return render(request, "plan_form.html", status_code=status_code, **context)

    @page(app, "/cohorts/{cohort_id}/plan", access=Access.INSTRUCTOR)
    def cohort_plan_form(request: Request, cohort_id: int) -> Response:
        return plan_form(request, cohort_id)

    @page(app, "/cohorts/{cohort_id}/plan", access=Access.INSTRUCTOR, methods=("POST",))
    async def assign_plan(request: Request, cohort_id: int) -> Response:
        raw = await request.form()
        form = {k: raw.get(k, "") for k in FORM_DEFAULTS if k != "weekdays"}
        form["start"] = raw.get("start", "")
        form["weekdays"] = raw.getlist("weekdays")
        lang = lang_of(request)
        with request.app.state.db.session() as s:
            cohort = accounts.cohort_for_instructor(s, request.state.user, cohort_id)
            if cohort is None:
                raise HTTPException(status_code=404, detail="web.not_found")
            members = accounts.members(s, cohort)
            name = cohort.name
        try:
            profile = make_profile(profile_data(form, lang, name, len(members)), "form")
            plan = make_plan(
                request.app.state.catalog,
                profile,
                mastery={},  # a cohort's plan is for the group, as in the terminal
                tracks=load_tracks(request.app.state.catalog),
            )
        except ProfileError as exc:
            problems = [
                f"{i.field}: {i.problem.render(lang)} {i.fix.render(lang)}" for i in exc.issues
            ]
            return plan_form(request, cohort_id, status_code=400, form=form, problems=problems)
        except InfeasiblePlan as exc:
            return plan_form(
                request, cohort_id, status_code=400, form=form, advice=infeasible_text(exc, lang)
            )
        with request.app.state.db.session() as s:
            save_plans(s, plans={u.learner_id: plan for u in members})
        return RedirectResponse(f"/cohorts/{cohort_id}?assigned={len(members)}", status_code=303)
