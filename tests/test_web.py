"""The web platform (docs/web.md): access policies, accounts, CSRF, cohorts, pages.

Every test runs on SQLite and on PostgreSQL (the private server of .ci/run), as the
store's tests do. The app is driven in-process through Starlette's TestClient.
"""

from __future__ import annotations

import html
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
    with db.session() as s:
        assert len(accounts.all_users(s)) == 4
        assert len(accounts.cohorts_of_instructor(s, accounts.user_by_name(s, "teacher"))) == 1
    db.dispose()


def test_a_half_seeded_demo_is_completed_and_a_real_installation_never_seeded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lmschool.web.demo import DEMO_PASSWORD, seed_demo

    settings = Settings(home=tmp_path / "home", learner="nobody")
    db = open_database(settings.db_url)
    with db.session() as s:  # a first start killed after two accounts
        accounts.create_user(s, username="admin", password=DEMO_PASSWORD, role="admin")
        accounts.create_user(s, username="teacher", password=DEMO_PASSWORD, role="instructor")
    # only quizzes: a catalog without the demo's code exercise grades nothing in a sandbox
    monkeypatch.setattr("lmschool.web.demo.DEMO_CODE", "not/in/catalog")
    seeded = seed_demo(settings, CATALOG, db)
    assert seeded is not None and seeded.attempts == 4
    with db.session() as s:
        assert sorted(u.username for u in accounts.all_users(s)) == [
            "ada",
            "admin",
            "lin",
            "teacher",
        ]
    db.dispose()

    other = open_database(f"sqlite:///{tmp_path / 'real.db'}")
    with other.session() as s:
        accounts.create_user(s, username="grace", password=DEMO_PASSWORD, role="admin")
    assert seed_demo(settings, CATALOG, other) is None
    with other.session() as s:
        assert [u.username for u in accounts.all_users(s)] == ["grace"]
    other.dispose()


# -- exercises, attempts, hints, solutions ----------------------------------------------------
QUIZ = "pipeline/preprocessing/zscore-quiz"
CODE = "pipeline/preprocessing/scaler"


def _wait_for(c: TestClient, attempt_url: str, timeout: float = 120.0) -> str:
    import time

    deadline = time.monotonic() + timeout
    while True:
        page_html = c.get(attempt_url).text
        if "Grading in the sandbox" not in page_html:
            return page_html
        assert time.monotonic() < deadline, f"{attempt_url} still grading after {timeout} s"
        time.sleep(0.2)


def _answer(app, username: str, right: bool) -> str:
    from lmschool.course.quiz import right_answer, wrong_answer
    from lmschool.grading.grader import seed_for

    quiz = CATALOG.exercise(QUIZ)
    pick_answer = right_answer if right else wrong_answer
    return pick_answer(quiz, seed_for(username, QUIZ))


def _submit_quiz(c: TestClient, answer: str) -> str:
    page_html = c.get(f"/exercises/{QUIZ}").text
    letters = [x.strip() for x in answer.split(",")]
    data = {"csrf": csrf_of(page_html)}
    if re.search(r'name="choice"', page_html):
        data["choice"] = letters
    else:
        data["answer"] = answer
    r = c.post(f"/exercises/{QUIZ}/submit", data=data)
    assert r.status_code == 303, r.text
    return r.headers["location"]


def test_a_quiz_answer_is_graded_and_recorded(app) -> None:
    c = signed_in(app, "ada")
    page_html = c.get(f"/exercises/{QUIZ}").text
    assert "<fieldset>" in page_html and "<legend>" in page_html
    wrong = _wait_for(c, _submit_quiz(c, _answer(app, "ada", right=False)))
    assert "✗" in wrong and "NOT YET" in wrong
    right = _wait_for(c, _submit_quiz(c, _answer(app, "ada", right=True)))
    assert "PASSED" in right
    # not an answer at all: refused without counting as an attempt
    r = c.post(f"/exercises/{QUIZ}/submit", data={"csrf": csrf_of(page_html), "answer": "banana"})
    assert r.status_code == 400
    with app.state.db.session() as s:
        from lmschool.store import repo

        ada = accounts.user_by_name(s, "ada")
        assert repo.attempt_counts(s, learner_id=ada.learner_id, exercise_id=QUIZ) == (1, 2)
    page_html = c.get("/map").text
    assert "passed" in page_html
    assert re.search(r"mastery \d+%", page_html)  # the quiz's lesson has measured skills


def test_nobody_reads_another_learners_attempt_by_guessing_its_id(app) -> None:
    ada = signed_in(app, "ada")
    url = _submit_quiz(ada, _answer(app, "ada", right=False))
    assert ada.get(url).status_code == 200
    lin = signed_in(app, "lin")
    assert lin.get(url).status_code == 404
    assert lin.get("/attempts/999999").status_code == 404
    # an instructor sees it once ada is in one of their cohorts, another instructor never
    teacher = signed_in(app, "teacher")
    assert teacher.get(url).status_code == 404
    cohort_id = _create_cohort(teacher, "Class B")
    code = re.search(r"<code>([A-Z0-9]{10})</code>", teacher.get(f"/cohorts/{cohort_id}").text)
    ada.post("/join", data={"code": code.group(1), "csrf": csrf_of(ada.get("/join").text)})
    assert teacher.get(url).status_code == 200
    assert signed_in(app, "other").get(url).status_code == 404
    assert signed_in(app, "root").get(url).status_code == 200


def test_hints_unlock_one_by_one_for_their_learner_only(app) -> None:
    ex = CATALOG.exercise(CODE)
    ada = signed_in(app, "ada")
    csrf = csrf_of(ada.get(f"/exercises/{CODE}").text)
    assert ada.post(f"/exercises/{CODE}/hint", data={"csrf": csrf}).status_code == 303
    page_html = ada.get(f"/exercises/{CODE}").text
    assert f"1/{len(ex.hints['en'])}" in page_html and f"2/{len(ex.hints['en'])}" not in page_html
    assert f"1/{len(ex.hints['en'])}" not in signed_in(app, "lin").get(f"/exercises/{CODE}").text


def test_the_solution_unlocks_under_the_terminals_rule(app) -> None:
    ada = signed_in(app, "ada")
    r = ada.get(f"/exercises/{QUIZ}/solution")
    assert r.status_code == 403 and "The solution unlocks when you pass" in r.text
    _wait_for(ada, _submit_quiz(ada, _answer(app, "ada", right=True)))
    r = ada.get(f"/exercises/{QUIZ}/solution")
    assert r.status_code == 200 and "Reference solution" in r.text


def test_code_larger_than_the_limit_is_refused_and_kept_in_the_editor(app) -> None:
    from lmschool.web.learn import MAX_SOURCE_BYTES

    ada = signed_in(app, "ada")
    csrf = csrf_of(ada.get(f"/exercises/{CODE}").text)
    source = "x = 1\n" + "#" * MAX_SOURCE_BYTES
    r = ada.post(f"/exercises/{CODE}/submit", data={"csrf": csrf, "source": source})
    assert r.status_code == 413 and "was not submitted" in r.text and "x = 1" in r.text


@pytest.mark.sandbox
def test_a_learner_submits_wrong_then_right_code_and_sees_each_result(app) -> None:
    ex = CATALOG.exercise(CODE)
    ada = signed_in(app, "ada")
    page_html = ada.get(f"/exercises/{CODE}").text
    assert "data-tab-indent" in page_html and 'for="source"' in page_html
    hostile = ex.starter_path.read_text() + "\nprint('<script>alert(1)</script>')\n"
    r = ada.post(f"/exercises/{CODE}/submit", data={"csrf": csrf_of(page_html), "source": hostile})
    assert r.status_code == 303
    wrong = _wait_for(ada, r.headers["location"])
    assert "NOT YET" in wrong and "✗" in wrong
    assert "<script>alert(1)</script>" not in wrong and "&lt;script&gt;" in wrong
    # the editor now holds the last submission
    assert "alert(1)" in ada.get(f"/exercises/{CODE}").text
    r = ada.post(
        f"/exercises/{CODE}/submit",
        data={"csrf": csrf_of(page_html), "source": ex.solution_path.read_text()},
    )
    right = _wait_for(ada, r.headers["location"])
    assert "PASSED" in right and "✗" not in right


def test_after_a_restart_interrupted_attempts_are_graded_again_once(app) -> None:
    from lmschool.store import repo
    from lmschool.store.models import Attempt

    with app.state.db.session() as s:
        ada = accounts.user_by_name(s, "ada")
        dead = repo.start_attempt(
            s, learner_id=ada.learner_id, exercise_id=QUIZ, source=_answer(app, "ada", right=True)
        )
        dead.grader_pid = 2**22 + 12345  # above pid_max: no such process
        s.commit()
        dead_id = dead.id
    with TestClient(app) as c:  # the server starts: its lifespan recovers
        pass
    with app.state.db.session() as s:
        rows = {a.id: a for a in s.scalars(select(Attempt).where(Attempt.exercise_id == QUIZ))}
    assert rows[dead_id].status == "interrupted"
    retries = [a for a in rows.values() if a.retry_of == dead_id]
    assert len(retries) == 1
    assert _wait_for(signed_in(app, "ada"), f"/attempts/{retries[0].id}")
    with app.state.db.session() as s:
        assert repo.get_attempt(s, attempt_id=retries[0].id).passed is True
    with TestClient(app) as c:  # a second restart queues nothing again
        assert c.get("/healthz").status_code == 200
    with app.state.db.session() as s:
        assert len(list(s.scalars(select(Attempt).where(Attempt.retry_of == dead_id)))) == 1


# -- the instructor's cohort pages -------------------------------------------------------------
def _cohort_with_work(app) -> tuple[TestClient, int]:
    """A cohort of ada (a wrong then a right quiz answer) and lin (one wrong answer)."""
    teacher = signed_in(app, "teacher")
    cohort_id = _create_cohort(teacher, "Class C")
    code = re.search(r"<code>([A-Z0-9]{10})</code>", teacher.get(f"/cohorts/{cohort_id}").text)
    for name, answers in (("ada", (False, True)), ("lin", (False,))):
        c = signed_in(app, name)
        c.post("/join", data={"code": code.group(1), "csrf": csrf_of(c.get("/join").text)})
        for right in answers:
            _wait_for(c, _submit_quiz(c, _answer(app, name, right=right)))
    return teacher, cohort_id


def test_gradebook_csv_analytics_and_heatmap_of_a_cohort(app) -> None:
    import csv
    import io

    teacher, cohort_id = _cohort_with_work(app)
    page_html = teacher.get(f"/cohorts/{cohort_id}/gradebook").text
    assert '<th scope="row"><a href="/cohorts/' in page_html
    assert "100%" in page_html and "2 tries" in page_html and "1 tries" in page_html

    r = teacher.get(f"/cohorts/{cohort_id}/gradebook.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    got = {(row["learner"], row["exercise"]): row for row in rows}
    assert set(got) == {("ada", QUIZ), ("lin", QUIZ)}
    assert got[("ada", QUIZ)]["passed"] == "1" and got[("ada", QUIZ)]["attempts"] == "2"
    assert got[("lin", QUIZ)]["passed"] == "0" and got[("lin", QUIZ)]["best_score"] == "0.000"

    page_html = teacher.get(f"/cohorts/{cohort_id}/analytics").text
    assert "50% <span" in page_html and "(1/2)" in page_html  # ada passed, lin not yet
    assert "Your answer" in page_html and "failed 2 times" in page_html

    page_html = teacher.get(f"/cohorts/{cohort_id}/mastery").text
    assert "<svg" in page_html and "<rect" in page_html
    skills = (
        CATALOG.exercise(QUIZ).skills or CATALOG.lesson(CATALOG.exercise(QUIZ).lesson_id).skills
    )
    assert any(f"ada · {skill}: 0." in page_html for skill in skills)

    page_html = teacher.get(f"/cohorts/{cohort_id}/learners/lin").text
    assert "/attempts/" in page_html and QUIZ in page_html


def test_cohort_pages_are_for_their_instructor_only(app) -> None:
    teacher, cohort_id = _cohort_with_work(app)
    other = signed_in(app, "other")
    for suffix in ("/gradebook", "/gradebook.csv", "/analytics", "/mastery", "/learners/ada"):
        assert other.get(f"/cohorts/{cohort_id}{suffix}").status_code == 404, suffix
        assert signed_in(app, "ada").get(f"/cohorts/{cohort_id}{suffix}").status_code == 403
    # a learner who is not in the cohort is not found, whoever asks
    assert teacher.get(f"/cohorts/{cohort_id}/learners/root").status_code == 404
    assert teacher.get(f"/cohorts/{cohort_id}/learners/..%2F..%2Fadmin").status_code == 404


# -- plans ---------------------------------------------------------------------------------
def _plan_form(teacher: TestClient, cohort_id: int, **changes: object) -> dict:
    page_html = teacher.get(f"/cohorts/{cohort_id}/plan").text
    data = {
        "csrf": csrf_of(page_html),
        "role": "student",
        "stage": "undergraduate",
        "goal": "skills",
        "industry": "general",
        "mode": "classroom",
        "hours_per_week": "6",
        "weeks": "12",
        "session_minutes": "90",
        "start": "2027-03-01",
        "weekdays": ["tue", "thu"],
    }
    data.update(changes)
    return data


def test_an_instructor_assigns_a_plan_that_learners_see_and_download(app) -> None:
    teacher, cohort_id = _cohort_with_work(app)
    ada = signed_in(app, "ada")
    assert "no training plan yet" in ada.get("/plan").text
    assert ada.get("/plan.ics").status_code == 404
    r = teacher.post(f"/cohorts/{cohort_id}/plan", data=_plan_form(teacher, cohort_id))
    assert r.status_code == 303, r.text
    assert "assigned to 2 learners" in teacher.get(r.headers["location"]).text
    page_html = ada.get("/plan").text
    assert "<table>" in page_html and "Download the plan" in page_html
    assert "<svg" in page_html  # ada's mastery chart: she has graded attempts
    ics = ada.get("/plan.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") >= 10 and "DTSTART" in ics.text
    assert "BEGIN:VEVENT" in signed_in(app, "lin").get("/plan.ics").text


def test_the_plan_form_shows_profile_problems_and_infeasibility_advice(app) -> None:
    teacher, cohort_id = _cohort_with_work(app)
    r = teacher.post(
        f"/cohorts/{cohort_id}/plan", data=_plan_form(teacher, cohort_id, hours_per_week="lots")
    )
    assert r.status_code == 400 and "hours_per_week" in r.text
    assert 'value="lots"' in r.text  # the form keeps what was typed
    r = teacher.post(
        f"/cohorts/{cohort_id}/plan",
        data=_plan_form(teacher, cohort_id, hours_per_week="1", weeks="1", goal="research"),
    )
    assert r.status_code == 400 and 'class="error-box"' in r.text
    assert signed_in(app, "ada").get("/plan").status_code == 200
    assert "no training plan yet" in signed_in(app, "ada").get("/plan").text
    other = signed_in(app, "other")
    assert other.get(f"/cohorts/{cohort_id}/plan").status_code == 404
    data = _plan_form(teacher, cohort_id, csrf=csrf_of(other.get("/map").text))
    assert other.post(f"/cohorts/{cohort_id}/plan", data=data).status_code == 404


# -- importing learners, admin pages ---------------------------------------------------------
def test_learners_imported_from_a_csv_join_and_can_sign_in(app) -> None:
    teacher = signed_in(app, "teacher")
    cohort_id = _create_cohort(teacher, "Imported")
    csrf = csrf_of(teacher.get(f"/cohorts/{cohort_id}").text)

    def upload(text: str):
        return teacher.post(
            f"/cohorts/{cohort_id}/import",
            data={"csrf": csrf},
            files={"file": ("class.csv", text.encode(), "text/csv")},
        )

    bad = upload("username,password\nmei,long-enough-pw\n../evil,\nmei,\nkai,short\n")
    assert bad.status_code == 400 and "Nothing was imported" in bad.text
    shown = html.unescape(bad.text)
    assert "3: '../evil'" in shown and "4: 'mei' (x2)" in shown and "5: 'kai'" in shown
    with app.state.db.session() as s:
        assert accounts.user_by_name(s, "mei") is None  # all or nothing

    good = upload("\ufeffUsername,Password\nmei,long-enough-pw\nkai,\nada,\n")
    assert good.status_code == 200 and "3 learners imported" in good.text
    generated = re.search(r"<td>kai</td><td><code>([^<]+)</code>", good.text).group(1)
    assert "long-enough-pw" in good.text and "existing account" in good.text
    c = client(app)
    token = csrf_of(c.get("/login").text)
    r = c.post("/login", data={"username": "kai", "password": generated, "csrf": token})
    assert r.status_code == 303
    assert "Imported" in c.get("/map").text
    with app.state.db.session() as s:
        cohort = accounts.cohort_for_instructor(s, accounts.user_by_name(s, "teacher"), cohort_id)
        assert [u.username for u in accounts.members(s, cohort)] == ["ada", "kai", "mei"]
    assert upload("name\nx\n").status_code == 400
    r = teacher.post(
        f"/cohorts/{cohort_id}/import",
        data={"csrf": csrf},
        files={"file": ("class.csv", "username\nzoë\n".encode("utf-16"), "text/csv")},
    )
    assert r.status_code == 400 and "UTF-8" in r.text


def test_admins_create_accounts_and_see_the_graders_health(app, monkeypatch) -> None:
    root = signed_in(app, "root")
    csrf = csrf_of(root.get("/admin/users").text)
    r = root.post(
        "/admin/users",
        data={"csrf": csrf, "username": "grace", "password": PASSWORD, "role": "instructor"},
    )
    assert r.status_code == 303
    assert "<td>grace</td><td>instructor</td>" in root.get("/admin/users").text
    r = root.post("/admin/users", data={"csrf": csrf, "username": "grace", "password": PASSWORD})
    assert r.status_code == 400 and "already exists" in r.text
    rows = [("Python", True, "3.11"), ("Sandbox", False, "bubblewrap missing <x>")]
    monkeypatch.setattr("lmschool.cli.tools.doctor_rows", lambda *a, **k: rows)
    page_html = root.get("/admin/health").text
    assert "FAIL" in page_html and "bubblewrap missing &lt;x&gt;" in page_html
    assert "workers" in page_html
    assert signed_in(app, "teacher").get("/admin/health").status_code == 403
