"""The web platform (docs/web.md): access policies, accounts, CSRF, cohorts, pages.

Every test runs on SQLite and on PostgreSQL (the private server of .ci/run), as the
store's tests do. The app is driven in-process through Starlette's TestClient.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Mount

from lmschool.config import Settings
from lmschool.learning import load_catalog
from lmschool.store import open_database
from lmschool.store.web_models import User, WebSession
from lmschool.web import accounts, create_app
from lmschool.web.policy import CSRF_COOKIE, MOUNTS, SESSION_COOKIE, Access, route_access
from tests.conftest import postgres_database

PASSWORD = "correct horse battery"
CATALOG = load_catalog(Settings(home=Path("/nonexistent")))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    def build(url: str):
        settings = Settings(home=tmp_path / "home", database_url=url, learner="nobody")
        db = open_database(url)
        with db.session() as s:
            for name, role in (
                ("ada", "learner"),
                ("lin", "learner"),
                ("teacher", "instructor"),
                ("other", "instructor"),
                ("root", "admin"),
            ):
                accounts.create_user(s, username=name, password=PASSWORD, role=role)
        return create_app(settings, catalog=CATALOG, db=db), db

    if request.param == "sqlite":
        web, db = build(f"sqlite:///{tmp_path / 'web.db'}")
        yield web
        db.dispose()
    else:
        with postgres_database() as url:
            web, db = build(url)
            yield web
            db.dispose()


def client(app) -> TestClient:
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def csrf_of(page_html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page_html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def signed_in(app, username: str) -> TestClient:
    c = client(app)
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": username, "password": PASSWORD, "csrf": token})
    assert r.status_code == 303, r.text
    return c


def sample_path(route: APIRoute) -> str:
    return re.sub(r"\{[^}]+\}", "1", route.path)


# -- every route has a policy, and the policy holds -------------------------------------
def test_every_route_declares_an_access_policy(app) -> None:
    missing = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            if route_access(route) is None:
                missing.append(f"{sorted(route.methods)} {route.path}")
        elif isinstance(route, Mount):
            if route.path not in MOUNTS:
                missing.append(f"mount {route.path}")
        else:
            missing.append(f"{type(route).__name__} {getattr(route, 'path', route)}")
    assert not missing, f"routes without an access policy (lmschool.web.policy.page): {missing}"


def _guarded(app, access: set[Access]) -> list[tuple[str, str]]:
    return [
        (method, sample_path(route))
        for route in app.routes
        if isinstance(route, APIRoute) and route_access(route) in access
        for method in sorted(route.methods)
    ]


def test_signed_out_visitors_are_sent_to_sign_in_from_every_protected_route(app) -> None:
    c = client(app)
    routes = _guarded(app, {Access.SIGNED_IN, Access.INSTRUCTOR, Access.ADMIN})
    assert len(routes) >= 6
    for method, path in routes:
        if method == "POST":
            token = csrf_of(c.get("/login").text)  # a valid pre-session token: still refused
            r = c.post(path, data={"csrf": token})
        else:
            r = c.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), (method, path)


def test_learners_get_403_from_instructor_and_admin_routes(app) -> None:
    c = signed_in(app, "ada")
    csrf = csrf_of(c.get("/map").text)
    for method, path in _guarded(app, {Access.INSTRUCTOR, Access.ADMIN}):
        r = c.post(path, data={"csrf": csrf}) if method == "POST" else c.get(path)
        assert r.status_code == 403, (method, path)
        assert "You do not have access" in r.text
    teacher = signed_in(app, "teacher")
    assert teacher.get("/admin/users").status_code == 403
    assert signed_in(app, "root").get("/admin/users").status_code == 200


# -- accounts -----------------------------------------------------------------------------
def test_passwords_are_stored_as_argon2id_hashes(app) -> None:
    with app.state.db.session() as s:
        user = accounts.user_by_name(s, "ada")
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert accounts.authenticate(s, "ada", PASSWORD) is not None
        assert accounts.authenticate(s, "ada", PASSWORD + "x") is None
        assert accounts.authenticate(s, "nobody", PASSWORD) is None


def test_sign_in_sets_an_httponly_samesite_cookie_and_stores_only_its_hash(app) -> None:
    c = client(app)
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": "ada", "password": PASSWORD, "csrf": token})
    assert r.status_code == 303 and r.headers["location"] == "/map"
    cookie = next(
        v for k, v in r.headers.multi_items() if k == "set-cookie" and SESSION_COOKIE in v
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    session_token = c.cookies[SESSION_COOKIE]
    with app.state.db.session() as s:
        stored = [row.token_hash for row in s.scalars(select(WebSession))]
    assert session_token not in stored and len(stored) == 1
    assert c.get("/map").status_code == 200
    # signing out ends the session on the server, not only in the browser
    csrf = csrf_of(c.get("/map").text)
    assert c.post("/logout", data={"csrf": csrf}).status_code == 303
    c.cookies.set(SESSION_COOKIE, session_token)
    assert c.get("/map").status_code == 303


def test_a_wrong_password_is_refused_with_a_message_in_the_users_language(app) -> None:
    c = client(app)
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": "ada", "password": "nope-nope", "csrf": token})
    assert r.status_code == 401 and "Wrong user name or password." in r.text
    c = client(app)
    c.headers["accept-language"] = "zh-CN,zh;q=0.9"
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": "ada", "password": "nope-nope", "csrf": token})
    assert r.status_code == 401 and "用户名或密码错误" in r.text and 'lang="zh-CN"' in r.text


def test_sign_in_is_rate_limited_per_user_name(app) -> None:
    c = client(app)
    token = csrf_of(c.get("/login").text)
    for _ in range(5):
        r = c.post("/login", data={"username": "lin", "password": "wrong-guess", "csrf": token})
        assert r.status_code == 401
    r = c.post("/login", data={"username": "lin", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429 and "Too many failed sign-ins" in r.text
    # another account from the same address is throttled too (the address is a key)
    r = c.post("/login", data={"username": "ada", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429


def test_state_changing_requests_need_the_csrf_token(app) -> None:
    c = client(app)
    c.get("/login")  # sets the pre-session cookie
    r = c.post("/login", data={"username": "ada", "password": PASSWORD})
    assert r.status_code == 403 and "did not come from this site" in r.text
    r = c.post("/login", data={"username": "ada", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403
    c = signed_in(app, "teacher")
    assert c.post("/cohorts", data={"name": "no token"}).status_code == 403
    # the pre-session token is no longer valid once signed in
    assert (
        c.post(
            "/cohorts", data={"name": "x", "csrf": c.cookies.get(CSRF_COOKIE) or "x"}
        ).status_code
        == 403
    )
    with app.state.db.session() as s:
        assert accounts.cohorts_of_instructor(s, accounts.user_by_name(s, "teacher")) == []


def test_next_never_leaves_the_site(app) -> None:
    c = client(app)
    token = csrf_of(c.get("/login").text)
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        r = c.post(
            "/login",
            data={"username": "ada", "password": PASSWORD, "csrf": token, "next": target},
        )
        assert r.headers["location"] == "/map", target
        c.cookies.clear()
        token = csrf_of(c.get("/login").text)


# -- cohorts: instructors see their own only ------------------------------------------------
def _create_cohort(c: TestClient, name: str) -> int:
    csrf = csrf_of(c.get("/cohorts").text)
    r = c.post("/cohorts", data={"name": name, "csrf": csrf})
    assert r.status_code == 303
    return int(r.headers["location"].rsplit("/", 1)[1])


def test_a_learner_joins_with_the_code_and_only_the_owner_sees_the_cohort(app) -> None:
    teacher = signed_in(app, "teacher")
    cohort_id = _create_cohort(teacher, "Class A")
    page_html = teacher.get(f"/cohorts/{cohort_id}").text
    code = re.search(r"<code>([A-Z0-9]{10})</code>", page_html).group(1)

    ada = signed_in(app, "ada")
    csrf = csrf_of(ada.get("/join").text)
    bad = ada.post("/join", data={"code": "WRONGCODE1", "csrf": csrf})
    assert bad.status_code == 400 and "No cohort has this join code" in bad.text
    assert ada.post("/join", data={"code": code.lower(), "csrf": csrf}).status_code == 303
    assert "Class A" in ada.get("/map").text
    assert "ada" in teacher.get(f"/cohorts/{cohort_id}").text

    other = signed_in(app, "other")
    assert "Class A" not in other.get("/cohorts").text
    # another instructor's cohort, and one that does not exist, answer alike
    for probe in (cohort_id, cohort_id + 1, 999999):
        assert other.get(f"/cohorts/{probe}").status_code == 404
    assert signed_in(app, "root").get(f"/cohorts/{cohort_id}").status_code == 200


def test_user_text_is_escaped(app) -> None:
    teacher = signed_in(app, "teacher")
    cohort_id = _create_cohort(teacher, "<script>alert(1)</script>")
    for page_html in (teacher.get("/cohorts").text, teacher.get(f"/cohorts/{cohort_id}").text):
        assert "<script>alert(1)</script>" not in page_html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page_html


# -- learner pages ----------------------------------------------------------------------------
def test_course_map_lists_every_module_with_status(app) -> None:
    page_html = signed_in(app, "ada").get("/map").text
    for module in ("pipeline", "deep", "lm"):
        assert f"({module})" in page_html
    assert page_html.count('class="status-new"') == len(CATALOG.exercises())


def test_a_lesson_in_chinese_shows_math_as_mathml_and_highlighted_code(app) -> None:
    c = signed_in(app, "ada")
    csrf = csrf_of(c.get("/map").text)
    r = c.post(
        "/lang", data={"lang": "zh", "csrf": csrf, "next": "/lessons/pipeline/linear-regression"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/lessons/pipeline/linear-regression"
    page_html = c.get("/lessons/pipeline/linear-regression").text
    assert '<html lang="zh-CN">' in page_html
    assert "<math" in page_html and "$$" not in page_html
    assert '<span class="' in page_html  # Pygments
    assert "课程地图" in page_html
    # the choice is the account's: a new browser of the same user gets Chinese too
    assert '<html lang="zh-CN">' in signed_in(app, "ada").get("/map").text
    with app.state.db.session() as s:
        assert accounts.user_by_name(s, "ada").lang == "zh"


def test_unknown_and_traversing_paths_are_not_found(app) -> None:
    c = signed_in(app, "ada")
    for path in (
        "/lessons/pipeline/nope",
        "/lessons/..%2F..%2Fetc/passwd",
        "/static/..%2F..%2Fconfig.py",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
    ):
        r = c.get(path)
        assert r.status_code == 404, path
        assert "import" not in r.text
    assert c.get("/static/style.css").status_code == 200


def test_admin_sees_users_with_roles(app) -> None:
    page_html = signed_in(app, "root").get("/admin/users").text
    for name in ("ada", "lin", "teacher", "other", "root"):
        assert f"<td>{name}</td>" in page_html


def test_create_user_refuses_bad_input_with_reasons(app) -> None:
    with app.state.db.session() as s:
        for kwargs, key in (
            ({"username": "ada", "password": PASSWORD}, "web.user_exists"),
            ({"username": "../x", "password": PASSWORD}, "web.bad_username"),
            ({"username": "new", "password": "short"}, "web.short_password"),
            ({"username": "new", "password": PASSWORD, "role": "root"}, "web.bad_role"),
        ):
            with pytest.raises(accounts.AccountError) as info:
                accounts.create_user(s, **kwargs)
            assert info.value.key == key
        assert s.scalar(select(User).where(User.username == "new")) is None


# -- the commands ---------------------------------------------------------------------------
def test_serve_refuses_to_start_without_the_sandbox_unless_told(home, monkeypatch) -> None:
    from typer.testing import CliRunner

    from lmschool.cli import app as cli_app

    monkeypatch.setenv("LMSCHOOL_SANDBOX", "none")
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(k))
    runner = CliRunner()
    r = runner.invoke(cli_app, ["serve", "--no-demo", "--lang", "en"])
    assert r.exit_code == 2 and "refusing to grade several users' code" in r.output
    assert "--unsafe-shared-grading" in r.output and not started
    r = runner.invoke(cli_app, ["serve", "--no-demo", "--unsafe-shared-grading", "--port", "8123"])
    assert r.exit_code == 0, r.output
    assert "WARNING" in r.output and "http://127.0.0.1:8123/" in r.output
    assert started == [{"host": "127.0.0.1", "port": 8123, "log_level": "warning"}]


def test_admin_create_user_hashes_and_refuses_duplicates(home) -> None:
    from typer.testing import CliRunner

    from lmschool.cli import app as cli_app
    from lmschool.config import get_settings

    runner = CliRunner()
    args = ["admin", "create-user", "grace", "--role", "instructor", "--password", PASSWORD]
    r = runner.invoke(cli_app, [*args, "--lang", "en"])
    assert r.exit_code == 0 and "Created instructor grace." in r.output
    r = runner.invoke(cli_app, [*args, "--lang", "zh"])
    assert r.exit_code == 2 and "已存在" in r.output
    db = open_database(get_settings().db_url)
    with db.session() as s:
        user = accounts.user_by_name(s, "grace")
        assert user.role == "instructor" and accounts.authenticate(s, "grace", PASSWORD)
    db.dispose()


@pytest.mark.sandbox
def test_the_demo_is_seeded_once_with_real_graded_attempts(tmp_path: Path) -> None:
    from lmschool.store import repo
    from lmschool.web.demo import DEMO_CODE, DEMO_PASSWORD, seed_demo

    settings = Settings(home=tmp_path / "home", learner="nobody")
    db = open_database(settings.db_url)
    seeded = seed_demo(settings, CATALOG, db)
    assert seeded is not None and seeded.attempts == 7
    with db.session() as s:
        ada = accounts.user_by_name(s, "ada")
        progress = repo.progress(s, learner_id=ada.learner_id)
        assert progress[DEMO_CODE].passed and progress[DEMO_CODE].attempts == 2
        lin = accounts.user_by_name(s, "lin")
        assert not repo.progress(s, learner_id=lin.learner_id)[DEMO_CODE].passed
        assert accounts.authenticate(s, "teacher", DEMO_PASSWORD).role == "instructor"
    assert seed_demo(settings, CATALOG, db) is None  # the second start seeds nothing
    db.dispose()
