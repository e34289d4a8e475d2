"""The learner's exercise pages: prompt, editor, submit, results, hints, solution, quizzes.

Every action goes through ``lmschool.learning.Learning`` (the terminal's learning loop),
so the unlock rules of hints and solutions, the attempt committed before grading and the
mastery update are the terminal's. Code is graded by the server's queue
(lmschool.web.queue): the submit answers at once with the attempt's page, which polls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from lmschool.course import CodeExercise, Exercise, QuizExercise
from lmschool.course.model import UnknownIdError
from lmschool.course.quiz import LETTERS
from lmschool.grading.result import Result
from lmschool.i18n import t
from lmschool.learning import Learning, LearningError
from lmschool.store import repo
from lmschool.store.models import Attempt
from lmschool.store.web_models import User
from lmschool.web import accounts
from lmschool.web.policy import Access, page
from lmschool.web.render import markdown_html

MAX_SOURCE_BYTES = 256 * 1024  # a submission larger than this is refused before it is stored
ATTEMPTS_SHOWN = 20

Render = Callable[..., Response]


def _exercise(request: Request, module_id: str, lesson_id: str, name: str) -> Exercise:
    try:
        return request.app.state.catalog.exercise(f"{module_id}/{lesson_id}/{name}")
    except UnknownIdError:
        raise HTTPException(status_code=404, detail="web.not_found") from None


def _learning(request: Request) -> Learning:
    user: User = request.state.user
    app = request.app
    return Learning(app.state.settings, app.state.catalog, learner=user.username, db=app.state.db)


def _url(ex: Exercise) -> str:
    return f"/exercises/{ex.id}"


def add_learning_pages(app: FastAPI, render: Render, lang_of: Callable[[Request], str]) -> None:
    def exercise_page(
        request: Request, ex: Exercise, status_code: int = 200, **extra: Any
    ) -> Response:
        lang = lang_of(request)
        user: User = request.state.user
        with _learning(request) as learning, learning.session() as s:
            attempts = [
                {
                    "id": a.id,
                    "at": a.created_at,
                    "status": a.status,
                    "passed": a.passed,
                    "score": a.score,
                }
                for a in repo.list_attempts(
                    s, learner_id=user.learner_id, exercise_id=ex.id, limit=ATTEMPTS_SHOWN
                )
            ]  # newest first
            seen = repo.hints_seen(s, learner_id=user.learner_id, exercise_id=ex.id)
            last_source = s.scalar(
                select(Attempt.source)
                .where(Attempt.learner_id == user.learner_id, Attempt.exercise_id == ex.id)
                .order_by(Attempt.id.desc())
                .limit(1)
            )
            variant = learning.quiz_variant(ex) if isinstance(ex, QuizExercise) else None
        hints = [markdown_html(h) for h in ex.hints.get(lang, [])[:seen]]
        context: dict[str, Any] = {
            "ex": ex,
            "url": _url(ex),
            "prompt_html": markdown_html(ex.prompt.get(lang, ""))
            if isinstance(ex, CodeExercise)
            else "",
            "attempts": attempts,
            "hints": hints,
            "hints_total": len(ex.hints.get("en", [])),
        }
        if isinstance(ex, CodeExercise):
            context["source"] = (
                extra.pop("source", None)
                or last_source
                or ex.starter_path.read_text(encoding="utf-8")
            )
        if variant is not None:
            context["question_html"] = markdown_html(variant.question[lang])
            context["choices"] = [
                (LETTERS[i], markdown_html(c[lang])) for i, c in enumerate(variant.choices)
            ]
            context["multiple"] = variant.multiple
        context.update(extra)
        return render(request, "exercise.html", status_code=status_code, **context)

    @page(app, "/exercises/{module_id}/{lesson_id}/{name}", access=Access.SIGNED_IN)
    def show_exercise(request: Request, module_id: str, lesson_id: str, name: str) -> Response:
        return exercise_page(request, _exercise(request, module_id, lesson_id, name))

    @page(
        app,
        "/exercises/{module_id}/{lesson_id}/{name}/submit",
        access=Access.SIGNED_IN,
        methods=("POST",),
    )
    def submit(
        request: Request,
        module_id: str,
        lesson_id: str,
        name: str,
        source: Annotated[str, Form()] = "",
        answer: Annotated[str, Form()] = "",
        choice: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        ex = _exercise(request, module_id, lesson_id, name)
        lang = lang_of(request)
        if isinstance(ex, CodeExercise):
            if len(source.encode()) > MAX_SOURCE_BYTES:
                return exercise_page(
                    request,
                    ex,
                    status_code=413,
                    source=source,
                    error=t("web.too_large", lang, kb=MAX_SOURCE_BYTES // 1024),
                )
            with _learning(request) as learning:
                attempt_id = learning.submit(ex, source)
            request.app.state.queue.put(attempt_id)
            return RedirectResponse(f"/attempts/{attempt_id}", status_code=303)
        typed = ", ".join(choice) if choice else answer
        with _learning(request) as learning:
            result = learning.check_quiz(ex, typed)
        if result.error is not None and result.error.kind == "syntax":  # not an answer at all
            return exercise_page(request, ex, status_code=400, error=result.error.text(lang))
        with request.app.state.db.session() as s:
            user: User = request.state.user
            last = s.scalar(
                select(func.max(Attempt.id)).where(
                    Attempt.learner_id == user.learner_id, Attempt.exercise_id == ex.id
                )
            )
        return RedirectResponse(f"/attempts/{last}", status_code=303)

    @page(
        app,
        "/exercises/{module_id}/{lesson_id}/{name}/hint",
        access=Access.SIGNED_IN,
        methods=("POST",),
    )
    def hint(request: Request, module_id: str, lesson_id: str, name: str) -> Response:
        ex = _exercise(request, module_id, lesson_id, name)
        try:
            with _learning(request) as learning:
                learning.next_hint(ex)
        except LearningError as exc:
            return exercise_page(
                request, ex, status_code=400, error=t(exc.key, lang_of(request), **exc.kwargs)
            )
        return RedirectResponse(f"{_url(ex)}#hints", status_code=303)

    @page(app, "/exercises/{module_id}/{lesson_id}/{name}/solution", access=Access.SIGNED_IN)
    def solution(request: Request, module_id: str, lesson_id: str, name: str) -> Response:
        ex = _exercise(request, module_id, lesson_id, name)
        lang = lang_of(request)
        try:
            with _learning(request) as learning:
                shown = learning.solution(ex)
        except LearningError as exc:
            return exercise_page(request, ex, status_code=403, error=t(exc.key, lang, **exc.kwargs))
        if isinstance(ex, CodeExercise):
            body = markdown_html(f"```python\n{shown.source}\n```")
        else:
            body = markdown_html(shown.source)
        return render(request, "solution.html", ex=ex, url=_url(ex), body=body)

    @page(app, "/attempts/{attempt_id}", access=Access.SIGNED_IN)
    def attempt_page(request: Request, attempt_id: int) -> Response:
        viewer: User = request.state.user
        with request.app.state.db.session() as s:
            attempt = repo.get_attempt(s, attempt_id=attempt_id)
            if attempt is None or not accounts.may_see_learner(s, viewer, attempt.learner_id):
                raise HTTPException(status_code=404, detail="web.not_found")
            owner = repo.learner_name(s, learner_id=attempt.learner_id)
            info = {
                "id": attempt.id,
                "status": attempt.status,
                "source": attempt.source,
                "at": attempt.created_at,
                "owner": owner,
                "retry_of": attempt.retry_of,
            }
            doc = attempt.result
        try:
            ex = request.app.state.catalog.exercise(attempt.exercise_id)
        except UnknownIdError:
            ex = None
        result = Result.model_validate(doc) if doc else None
        return render(
            request,
            "attempt.html",
            attempt=info,
            ex=ex,
            url=_url(ex) if ex else None,
            result=result,
            own=owner == viewer.username,
        )
