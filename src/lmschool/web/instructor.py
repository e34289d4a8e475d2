"""An instructor's view of a cohort: gradebook (and its CSV), per-exercise analytics,
a mastery heatmap per skill, and one learner's submissions.

Every page goes through :func:`_cohort` (the instructor's own cohort, or any for an admin;
404 otherwise). The numbers come from the store (attempts, mastery) in one query each and
are summarised here: a cohort is tens to hundreds of learners.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from lmschool.course import Catalog, Exercise
from lmschool.i18n import t
from lmschool.store.mastery_models import Mastery
from lmschool.store.models import Attempt
from lmschool.store.web_models import Cohort, User
from lmschool.web import accounts
from lmschool.web.policy import Access, page

Render = Callable[..., Response]


@dataclass
class Cell:
    """One learner's work on one exercise."""

    attempts: int = 0
    passed: bool = False
    best: float = 0.0
    first: datetime | None = None
    last: datetime | None = None
    passed_at: datetime | None = None

    @property
    def minutes(self) -> float | None:
        """From the first attempt to the first pass (or the last attempt), in minutes."""
        end = self.passed_at or self.last
        if self.first is None or end is None:
            return None
        return (end - self.first).total_seconds() / 60


def _cohort(request: Request, session: Session, cohort_id: int) -> Cohort:
    cohort = accounts.cohort_for_instructor(session, request.state.user, cohort_id)
    if cohort is None:
        raise HTTPException(status_code=404, detail="web.not_found")
    return cohort


def _learners(session: Session, cohort: Cohort) -> list[User]:
    return [u for u in accounts.members(session, cohort)]


def _attempts(session: Session, learner_ids: Iterable[int]) -> list[Attempt]:
    ids = list(learner_ids)
    if not ids:
        return []
    query = select(Attempt).where(Attempt.learner_id.in_(ids)).order_by(Attempt.id)
    return list(session.scalars(query))


def gradebook(attempts: list[Attempt]) -> dict[tuple[int, str], Cell]:
    """(learner id, exercise id) -> the learner's work on it; interrupted attempts skipped."""
    cells: dict[tuple[int, str], Cell] = {}
    for a in attempts:
        if a.status != "done":
            continue
        cell = cells.setdefault((a.learner_id, a.exercise_id), Cell())
        cell.attempts += 1
        cell.best = max(cell.best, a.score or 0.0)
        cell.first = cell.first or a.created_at
        cell.last = a.created_at
        if a.passed and not cell.passed:
            cell.passed, cell.passed_at = True, a.created_at
    return cells


@dataclass
class ExerciseStats:
    exercise: Exercise
    learners: int  # who attempted it
    passed: int
    median_attempts: float | None  # attempts until the first pass, over those who passed
    failing_check: str | None  # the check that failed in most attempts
    failing_title: dict[str, str]  # its title in both languages, from a result document
    failing_count: int


def exercise_stats(catalog: Catalog, attempts: list[Attempt]) -> list[ExerciseStats]:
    by_exercise: dict[str, list[Attempt]] = {}
    for a in attempts:
        if a.status == "done":
            by_exercise.setdefault(a.exercise_id, []).append(a)
    known = {ex.id: ex for ex in catalog.exercises()}
    out = []
    for ex_id, rows in by_exercise.items():
        if ex_id not in known:
            continue
        to_pass: dict[int, int] = {}
        tries: Counter[int] = Counter()
        failing: Counter[str] = Counter()
        titles: dict[str, dict[str, str]] = {}
        for a in rows:
            tries[a.learner_id] += 1
            if a.passed and a.learner_id not in to_pass:
                to_pass[a.learner_id] = tries[a.learner_id]
            for c in (a.result or {}).get("checks", []):
                if not c.get("passed"):
                    failing[c.get("name", "?")] += 1
                    titles[c.get("name", "?")] = c.get("title") or {}
        top = failing.most_common(1)
        out.append(
            ExerciseStats(
                known[ex_id],
                len(tries),
                len(to_pass),
                statistics.median(to_pass.values()) if to_pass else None,
                top[0][0] if top else None,
                titles.get(top[0][0], {}) if top else {},
                top[0][1] if top else 0,
            )
        )
    order = {ex_id: i for i, ex_id in enumerate(known)}
    return sorted(out, key=lambda s: order[s.exercise.id])


def gradebook_csv(
    learners: list[User], exercises: list[Exercise], cells: dict[tuple[int, str], Cell]
) -> str:
    """One row per learner and attempted exercise (long format: spreadsheets pivot it)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["learner", "exercise", "passed", "best_score", "attempts", "minutes", "last_activity"]
    )
    for user in learners:
        for ex in exercises:
            cell = cells.get((user.learner_id, ex.id))
            if cell is None:
                continue
            minutes = cell.minutes
            writer.writerow(
                [
                    user.username,
                    ex.id,
                    int(cell.passed),
                    f"{cell.best:.3f}",
                    cell.attempts,
                    "" if minutes is None else f"{minutes:.1f}",
                    cell.last.isoformat() if cell.last else "",
                ]
            )
    return out.getvalue()


def heatmap_svg(
    learners: list[str], skills: list[str], p_known: dict[tuple[str, str], float], title: str
) -> str:
    """Learners x skills as an SVG of coloured cells, each with its value as a tooltip.

    Server-rendered (no script); the colour runs from white (0) to green (1), and a cell
    never measured is grey, marked "–".
    """
    cell, left, top = 28, 120, 150
    width, height = left + cell * len(skills) + 10, top + cell * len(learners) + 10
    esc = _xml
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="system-ui, sans-serif" font-size="11">',
        f"<title>{esc(title)}</title>",
    ]
    for j, skill in enumerate(skills):
        x = left + j * cell + cell / 2
        parts.append(
            f'<text x="{x:.0f}" y="{top - 6}" transform="rotate(-60 {x:.0f} {top - 6})">'
            f"{esc(skill)}</text>"
        )
    for i, name in enumerate(learners):
        y = top + i * cell
        parts.append(
            f'<text x="{left - 6}" y="{y + cell * 0.65:.0f}" text-anchor="end">{esc(name)}</text>'
        )
        for j, skill in enumerate(skills):
            x = left + j * cell
            p = p_known.get((name, skill))
            if p is None:
                fill, label = "#eceff1", "–"
            else:
                fade = int(255 - 200 * p)  # white (0) to green (1)
                fill, label = f"rgb({fade},{int(255 - 110 * p)},{fade})", f"{p:.2f}"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}">'
                f"<title>{esc(name)} · {esc(skill)}: {label}</title></rect>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _xml(text: str) -> str:
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
    )


def add_instructor_pages(app: FastAPI, render: Render, lang_of: Callable[[Request], str]) -> None:
    def module_exercises(request: Request, module: str | None) -> tuple[list[Exercise], list, str]:
        catalog: Catalog = request.app.state.catalog
        modules = [m for c in catalog.courses for m in c.modules]
        chosen = next((m for m in modules if m.id == module), modules[0])
        exercises = [ex for lesson in chosen.lessons for ex in lesson.exercises]
        return exercises, modules, chosen.id

    @page(app, "/cohorts/{cohort_id}/gradebook", access=Access.INSTRUCTOR)
    def gradebook_page(request: Request, cohort_id: int, module: str | None = None) -> Response:
        exercises, modules, chosen = module_exercises(request, module)
        with request.app.state.db.session() as s:
            cohort = _cohort(request, s, cohort_id)
            info = {"id": cohort.id, "name": cohort.name}
            learners = _learners(s, cohort)
            cells = gradebook(_attempts(s, (u.learner_id for u in learners)))
        rows = [
            (u.username, [cells.get((u.learner_id, ex.id)) for ex in exercises]) for u in learners
        ]
        last = {
            u.username: max(
                (c.last for (lid, _), c in cells.items() if lid == u.learner_id and c.last),
                default=None,
            )
            for u in learners
        }
        return render(
            request,
            "gradebook.html",
            cohort=info,
            exercises=exercises,
            rows=rows,
            last=last,
            modules=modules,
            module=chosen,
        )

    @page(app, "/cohorts/{cohort_id}/gradebook.csv", access=Access.INSTRUCTOR)
    def gradebook_download(request: Request, cohort_id: int) -> Response:
        catalog: Catalog = request.app.state.catalog
        with request.app.state.db.session() as s:
            cohort = _cohort(request, s, cohort_id)
            learners = _learners(s, cohort)
            cells = gradebook(_attempts(s, (u.learner_id for u in learners)))
        body = gradebook_csv(learners, catalog.exercises(), cells)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="gradebook-{cohort_id}.csv"'},
        )

    @page(app, "/cohorts/{cohort_id}/analytics", access=Access.INSTRUCTOR)
    def analytics_page(request: Request, cohort_id: int) -> Response:
        with request.app.state.db.session() as s:
            cohort = _cohort(request, s, cohort_id)
            info = {"id": cohort.id, "name": cohort.name}
            learners = _learners(s, cohort)
            stats = exercise_stats(
                request.app.state.catalog, _attempts(s, (u.learner_id for u in learners))
            )
        return render(request, "analytics.html", cohort=info, stats=stats, size=len(learners))

    @page(app, "/cohorts/{cohort_id}/mastery", access=Access.INSTRUCTOR)
    def mastery_page(request: Request, cohort_id: int, module: str | None = None) -> Response:
        exercises, modules, chosen = module_exercises(request, module)
        skills = sorted({skill for ex in exercises for skill in ex.skills})
        with request.app.state.db.session() as s:
            cohort = _cohort(request, s, cohort_id)
            info = {"id": cohort.id, "name": cohort.name}
            learners = _learners(s, cohort)
            by_learner = {u.learner_id: u.username for u in learners}
            rows = s.scalars(
                select(Mastery).where(Mastery.learner_id.in_(list(by_learner) or [-1]))
            )
            p_known = {(by_learner[r.learner_id], r.skill_id): r.p_known for r in rows}
        names = [u.username for u in learners]
        lang = lang_of(request)
        svg = heatmap_svg(names, skills, p_known, t("web.heatmap_title", lang, cohort=info["name"]))
        table = [(n, [p_known.get((n, sk)) for sk in skills]) for n in names]
        return render(
            request,
            "mastery.html",
            cohort=info,
            svg=svg,
            skills=skills,
            table=table,
            modules=modules,
            module=chosen,
        )

    @page(app, "/cohorts/{cohort_id}/learners/{username}", access=Access.INSTRUCTOR)
    def learner_page(request: Request, cohort_id: int, username: str) -> Response:
        with request.app.state.db.session() as s:
            cohort = _cohort(request, s, cohort_id)
            info = {"id": cohort.id, "name": cohort.name}
            learner = next((u for u in _learners(s, cohort) if u.username == username), None)
            if learner is None:
                raise HTTPException(status_code=404, detail="web.not_found")
            attempts = [
                {
                    "id": a.id,
                    "exercise": a.exercise_id,
                    "at": a.created_at,
                    "status": a.status,
                    "passed": a.passed,
                    "score": a.score,
                }
                for a in reversed(_attempts(s, [learner.learner_id]))
            ]
        return render(request, "learner.html", cohort=info, learner=username, attempts=attempts)


__all__ = ["add_instructor_pages", "exercise_stats", "gradebook", "gradebook_csv", "heatmap_svg"]
