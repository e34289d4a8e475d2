"""The FastAPI application: pages for learners, instructors and admins (docs/web.md).

Every route is added with :func:`lmschool.web.policy.page`, which declares and enforces
its access policy; handlers do the object-level checks (their own cohorts) through
``lmschool.web.accounts``. Pages are rendered on the server with Jinja2 (autoescaped:
learner text and check messages are text, never markup).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from lmschool.config import Settings
from lmschool.course import Catalog, CodeExercise
from lmschool.course.model import UnknownIdError
from lmschool.grading.grader import Grader
from lmschool.i18n import Lang, pick, t
from lmschool.learning import load_catalog
from lmschool.planning.mastery import learner_mastery
from lmschool.store import Database, open_database, repo
from lmschool.store.web_models import User
from lmschool.web import accounts, security
from lmschool.web import text as _text  # noqa: F401  (the web.* strings)
from lmschool.web.accounts import AccountError
from lmschool.web.instructor import add_instructor_pages
from lmschool.web.learn import add_learning_pages
from lmschool.web.plans import add_plan_pages
from lmschool.web.policy import (
    CSRF_COOKIE,
    CSRF_FIELD,
    SESSION_COOKIE,
    Access,
    SignInRequired,
    page,
)
from lmschool.web.queue import GradingQueue, default_workers
from lmschool.web.render import markdown_html, pygments_css

HERE = Path(__file__).parent
LANG_COOKIE = "lmschool_lang"
HTML_LANG = {"en": "en", "zh": "zh-CN"}


def _request_lang(request: Request) -> Lang:
    user: User | None = getattr(request.state, "user", None)
    if user is not None and user.lang in ("en", "zh"):
        return user.lang  # type: ignore[return-value]
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in ("en", "zh"):
        return cookie  # type: ignore[return-value]
    accept = request.headers.get("accept-language", "").lower()
    return "zh" if accept.startswith("zh") else "en"


def _without_title(markdown: str) -> str:
    """A lesson's text without its leading ``# title`` (the page prints the title)."""
    first, _, rest = markdown.lstrip().partition("\n")
    return rest if first.startswith("# ") else markdown


def _safe_next(target: str | None) -> str:
    """A local path to go back to; anything else (another site, //host) goes to /map."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/map"


def create_app(
    settings: Settings,
    *,
    catalog: Catalog | None = None,
    db: Database | None = None,
    secure_cookies: bool = False,
    grader: Grader | None = None,
    workers: int | None = None,
    pool: dict[str, int] | None = None,
) -> FastAPI:
    """The web application over ``settings``' database and course packs.

    ``secure_cookies``: mark cookies Secure (behind an HTTPS reverse proxy). ``grader``:
    the grader of the queue's workers (default: the installation's, from ``settings``);
    ``workers``: how many gradings run at once (default: one per core); ``pool``: warm
    sandbox slots to keep per profile (``lmschool serve`` keeps one NumPy slot per worker).
    """
    catalog = catalog or load_catalog(settings)
    db = db or open_database(settings.db_url)
    own_grader = grader is None
    workers = workers or default_workers()
    packs = tuple(c.root for c in catalog.courses)
    grader = grader or Grader.from_settings(settings, packs=packs, pool=pool)
    queue = GradingQueue(db, catalog, grader, workers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        queue.recover()  # attempts a dead server left "running": interrupted, graded again once
        yield
        queue.close(wait=False)
        if own_grader:
            grader.close()

    app = FastAPI(
        title="lmschool",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        redirect_slashes=False,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.db = db
    app.state.queue = queue
    app.state.limiter = security.RateLimiter()
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals["pick"] = pick
    cookie_args: dict[str, Any] = {"httponly": True, "samesite": "lax", "secure": secure_cookies}

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> Response:
        lang = _request_lang(request)
        csrf = (
            request.state.web_session.csrf_token
            if getattr(request.state, "web_session", None) is not None
            else request.cookies.get(CSRF_COOKIE) or security.new_token()
        )
        response = templates.TemplateResponse(
            request,
            name,
            {
                "lang": lang,
                "html_lang": HTML_LANG[lang],
                "tr": lambda key, **kw: t(key, lang, **kw),
                "user": getattr(request.state, "user", None),
                "csrf": csrf,
                "csrf_field": CSRF_FIELD,
                "path": request.url.path,
                **context,
            },
            status_code=status_code,
        )
        if getattr(request.state, "web_session", None) is None and not request.cookies.get(
            CSRF_COOKIE
        ):
            response.set_cookie(CSRF_COOKIE, csrf, **cookie_args)
        return response

    # -- errors ------------------------------------------------------------------------
    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, _exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        key = exc.detail if isinstance(exc.detail, str) and exc.detail.startswith("web.") else None
        key = key or {403: "web.forbidden", 404: "web.not_found"}.get(exc.status_code, "web.error")
        if not hasattr(request.state, "user"):
            request.state.user, request.state.web_session = None, None
        return render(request, "error.html", status_code=exc.status_code, message_key=key)

    # -- public ------------------------------------------------------------------------
    @page(app, "/", access=Access.PUBLIC)
    def home(request: Request) -> Response:
        return RedirectResponse("/map" if request.state.user else "/login", status_code=303)

    @page(app, "/healthz", access=Access.PUBLIC)
    def healthz() -> Response:
        return JSONResponse({"status": "ok"})

    @page(app, "/login", access=Access.PUBLIC)
    def login_form(request: Request, next: str | None = None) -> Response:
        if request.state.user:
            return RedirectResponse(_safe_next(next), status_code=303)
        return render(request, "login.html", next=_safe_next(next))

    @page(app, "/login", access=Access.PUBLIC, methods=("POST",))
    def login(
        request: Request,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/map",
    ) -> Response:
        limiter: security.RateLimiter = app.state.limiter
        client = request.client.host if request.client else "unknown"
        keys = (f"user:{username.strip().lower()}", f"ip:{client}")
        wait = limiter.retry_after(*keys)
        if wait:
            return render(
                request,
                "login.html",
                status_code=429,
                next=_safe_next(next),
                error=t("web.login_throttled", _request_lang(request), seconds=wait),
                username=username,
            )
        with app.state.db.session() as s:
            user = accounts.authenticate(s, username.strip(), password)
            token = accounts.start_session(s, user) if user else None
        if token is None:
            limiter.failed(*keys)
            return render(
                request,
                "login.html",
                status_code=401,
                next=_safe_next(next),
                error=t("web.login_failed", _request_lang(request)),
                username=username,
            )
        limiter.succeeded(*keys)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(
            SESSION_COOKIE, token, max_age=accounts.SESSION_DAYS * 86400, **cookie_args
        )
        response.delete_cookie(CSRF_COOKIE)
        return response

    @page(app, "/logout", access=Access.SIGNED_IN, methods=("POST",))
    def logout(request: Request) -> Response:
        with app.state.db.session() as s:
            accounts.end_session(s, request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    @page(app, "/lang", access=Access.PUBLIC, methods=("POST",))
    def set_lang(
        request: Request, lang: Annotated[str, Form()], next: Annotated[str, Form()] = "/map"
    ) -> Response:
        if lang not in ("en", "zh"):
            raise HTTPException(status_code=400, detail="web.bad_lang")
        user = request.state.user
        if user is not None:
            with app.state.db.session() as s:
                accounts.set_lang(s, user.id, lang)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, **cookie_args)
        return response

    # -- learners ----------------------------------------------------------------------
    @page(app, "/map", access=Access.SIGNED_IN)
    def course_map(request: Request) -> Response:
        user: User = request.state.user
        with app.state.db.session() as s:
            progress = repo.progress(s, learner_id=user.learner_id)
            cohorts = accounts.cohorts_of_member(s, user)
            cohort_names = [c.name for c in cohorts]
            known = {
                k: m.p_known for k, m in learner_mastery(s, learner_id=user.learner_id).items()
            }
        mastery = {}  # lesson id -> mean mastery of its measured skills
        for lesson in app.state.catalog.lessons():
            measured = [known[sk] for sk in lesson.skills if sk in known]
            if measured:
                mastery[lesson.id] = sum(measured) / len(measured)
        return render(
            request,
            "map.html",
            courses=app.state.catalog.courses,
            progress=progress,
            cohorts=cohort_names,
            mastery=mastery,
        )

    @page(app, "/lessons/{module_id}/{lesson_id}", access=Access.SIGNED_IN)
    def lesson_page(request: Request, module_id: str, lesson_id: str) -> Response:
        user: User = request.state.user
        try:
            lesson = app.state.catalog.lesson(f"{module_id}/{lesson_id}")
        except UnknownIdError:
            raise HTTPException(status_code=404, detail="web.not_found") from None
        lang = _request_lang(request)
        with app.state.db.session() as s:
            progress = repo.progress(s, learner_id=user.learner_id)
        return render(
            request,
            "lesson.html",
            lesson=lesson,
            body=markdown_html(_without_title(lesson.text(lang))),
            progress=progress,
            is_code=lambda ex: isinstance(ex, CodeExercise),
        )

    @page(app, "/join", access=Access.SIGNED_IN)
    def join_form(request: Request) -> Response:
        return render(request, "join.html")

    @page(app, "/join", access=Access.SIGNED_IN, methods=("POST",))
    def join(request: Request, code: Annotated[str, Form()] = "") -> Response:
        try:
            with app.state.db.session() as s:
                user = s.get(User, request.state.user.id)
                accounts.join_cohort(s, user=user, code=code)
        except AccountError as exc:
            return render(
                request,
                "join.html",
                status_code=400,
                error=t(exc.key, _request_lang(request), **exc.kwargs),
            )
        return RedirectResponse("/map", status_code=303)

    # -- instructors -------------------------------------------------------------------
    @page(app, "/cohorts", access=Access.INSTRUCTOR)
    def cohorts_page(request: Request) -> Response:
        with app.state.db.session() as s:
            rows = [
                (c.id, c.name, c.join_code, len(accounts.members(s, c)))
                for c in accounts.cohorts_of_instructor(s, request.state.user)
            ]
        return render(request, "cohorts.html", cohorts=rows)

    @page(app, "/cohorts", access=Access.INSTRUCTOR, methods=("POST",))
    def create_cohort(request: Request, name: Annotated[str, Form()] = "") -> Response:
        try:
            with app.state.db.session() as s:
                cohort = accounts.create_cohort(s, instructor=request.state.user, name=name)
                cohort_id = cohort.id
        except AccountError as exc:
            raise HTTPException(status_code=400, detail=exc.key) from None
        return RedirectResponse(f"/cohorts/{cohort_id}", status_code=303)

    @page(app, "/cohorts/{cohort_id}", access=Access.INSTRUCTOR)
    def cohort_page(request: Request, cohort_id: int, assigned: int | None = None) -> Response:
        with app.state.db.session() as s:
            cohort = accounts.cohort_for_instructor(s, request.state.user, cohort_id)
            if cohort is None:
                raise HTTPException(status_code=404, detail="web.not_found")
            info = {"id": cohort.id, "name": cohort.name, "join_code": cohort.join_code}
            learners = [(u.username, u.role) for u in accounts.members(s, cohort)]
        return render(request, "cohort.html", cohort=info, learners=learners, assigned=assigned)

    @page(app, "/cohorts/{cohort_id}/import", access=Access.INSTRUCTOR, methods=("POST",))
    async def import_learners(request: Request, cohort_id: int) -> Response:
        form = await request.form()
        upload = form.get("file")
        raw = await upload.read() if hasattr(upload, "read") else str(upload or "").encode()
        lang = _request_lang(request)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise HTTPException(status_code=400, detail="web.csv_encoding") from None
        with app.state.db.session() as s:
            cohort = accounts.cohort_for_instructor(s, request.state.user, cohort_id)
            if cohort is None:
                raise HTTPException(status_code=404, detail="web.not_found")
            try:
                imported = accounts.import_learners(s, cohort=cohort, text=text)
                error = None
            except AccountError as exc:
                imported, error = [], t(exc.key, lang, **exc.kwargs)
            info = {"id": cohort.id, "name": cohort.name, "join_code": cohort.join_code}
            learners = [(u.username, u.role) for u in accounts.members(s, cohort)]
        return render(
            request,
            "cohort.html",
            status_code=400 if error else 200,
            cohort=info,
            learners=learners,
            assigned=None,
            imported=imported,
            error=error,
        )

    # -- admins ------------------------------------------------------------------------
    def users_page(request: Request, status_code: int = 200, **extra: Any) -> Response:
        with app.state.db.session() as s:
            rows = [(u.username, u.role, u.created_at) for u in accounts.all_users(s)]
        return render(request, "users.html", status_code=status_code, users=rows, **extra)

    @page(app, "/admin/users", access=Access.ADMIN)
    def admin_users(request: Request) -> Response:
        return users_page(request)

    add_learning_pages(app, render, _request_lang)
    add_instructor_pages(app, render, _request_lang)
    add_plan_pages(app, render, _request_lang)

    @page(app, "/admin/health", access=Access.ADMIN)
    def admin_health(request: Request) -> Response:
        from lmschool.cli.tools import doctor_rows  # the checks `lmschool doctor` prints

        lang = _request_lang(request)
        rows = doctor_rows(app.state.settings, lang)
        return render(
            request,
            "health.html",
            rows=rows,
            workers=queue.workers,
            pending=queue.pending(),
            problems=sum(1 for _, ok, _ in rows if ok is False),
        )

    @page(app, "/admin/users", access=Access.ADMIN, methods=("POST",))
    def admin_create_user(
        request: Request,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "learner",
    ) -> Response:
        try:
            with app.state.db.session() as s:
                accounts.create_user(s, username=username.strip(), password=password, role=role)
        except AccountError as exc:
            return users_page(request, 400, error=t(exc.key, _request_lang(request), **exc.kwargs))
        return RedirectResponse("/admin/users", status_code=303)

    @page(app, "/static/pygments.css", access=Access.PUBLIC)
    def pygments_stylesheet() -> Response:
        return Response(pygments_css(), media_type="text/css")

    # after every route: a mount matches its whole prefix
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app
