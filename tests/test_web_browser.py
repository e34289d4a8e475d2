"""The web platform in a real browser: Playwright driving Debian's Chromium.

An instructor creates a cohort, a learner joins it, reads a lesson in Chinese (math shown
as MathML), submits a wrong solution and then a right one and sees each result, from the
keyboard where it matters; the instructor's gradebook and heatmap then show it and the CSV
downloads with the right rows. Screenshots of the main pages in both languages are saved
(``LMSCHOOL_SCREENSHOTS``, default: the test's temporary folder); ``make screenshots``
writes them into docs/screenshots, the ones docs/web.md shows.

Chromium is launched as the project's machines require (never ``playwright install``):
``/usr/bin/chromium`` with ``--headless --no-sandbox --disable-gpu
--disable-background-networking``. Without Chromium or Playwright the test skips locally
and fails in CI, where .ci/run installs both.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lmschool.config import Settings
from lmschool.learning import load_catalog
from lmschool.store import open_database
from lmschool.web import accounts, create_app

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery"
CODE = "pipeline/preprocessing/scaler"

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def _need_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package")
    if missing:
        reason = "no " + " and no ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, object]]:
    """The app served by Uvicorn on a free local port, in a thread; its URL and app."""
    _need_browser()
    import uvicorn

    url = f"sqlite:///{tmp_path / 'web.db'}"
    db = open_database(url)
    with db.session() as s:
        for name, role in (("ada", "learner"), ("teacher", "instructor")):
            accounts.create_user(s, username=name, password=PASSWORD, role=role)
    settings = Settings(home=tmp_path / "home", database_url=url, learner="nobody")
    app = create_app(settings, catalog=load_catalog(settings), db=db)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start in 30 s"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=30)
    db.dispose()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("LMSCHOOL_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label(re.compile("User name|用户名")).fill(username)
    page.get_by_label(re.compile("Password|密码")).fill(PASSWORD)
    page.get_by_label(re.compile("Password|密码")).press("Enter")
    page.wait_for_url(f"{base}/map")


def _wait_for_result(page, timeout_s: float = 120) -> str:
    page.locator(".verdict").wait_for(timeout=timeout_s * 1000)
    return page.locator(".verdict").inner_text()


def test_cohort_lesson_and_submissions_in_a_browser(server, shots: Path) -> None:
    from playwright.sync_api import sync_playwright

    base, app = server
    ex = app.state.catalog.exercise(CODE)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        teacher = browser.new_page(viewport={"width": 1200, "height": 900}, locale="en-US")
        teacher.goto(f"{base}/login")
        assert teacher.locator("html").get_attribute("lang") == "en"
        teacher.screenshot(path=shots / "login-en.png")
        _sign_in(teacher, base, "teacher")
        teacher.goto(f"{base}/cohorts")
        teacher.get_by_label("Name").fill("Browser class")
        teacher.get_by_role("button", name="Create").click()
        code = teacher.locator("code").first.inner_text()
        assert re.fullmatch(r"[A-Z0-9]{10}", code)

        ada = browser.new_page(viewport={"width": 1200, "height": 900}, locale="zh-CN")
        ada.goto(f"{base}/login")
        assert ada.locator("html").get_attribute("lang") == "zh-CN"  # from Accept-Language
        ada.screenshot(path=shots / "login-zh.png")
        _sign_in(ada, base, "ada")
        ada.goto(f"{base}/join")
        ada.get_by_label("加入码").fill(code)
        ada.get_by_label("加入码").press("Enter")
        ada.wait_for_url(f"{base}/map")
        assert "Browser class" in ada.content()
        ada.screenshot(path=shots / "map-zh.png")

        # a lesson in Chinese, math as MathML the browser lays out
        ada.goto(f"{base}/lessons/pipeline/linear-regression")
        assert ada.locator("h1").first.inner_text() == "线性回归与梯度下降"
        math = ada.locator("article.lesson math").first
        assert math.is_visible() and math.bounding_box()["width"] > 5
        ada.screenshot(path=shots / "lesson-zh.png")

        # the editor: Tab indents; Escape then Tab leaves it (no keyboard trap)
        ada.goto(f"{base}/exercises/{CODE}")
        editor = ada.get_by_label("你的代码")
        editor.fill("")
        editor.focus()
        ada.keyboard.press("Tab")
        assert editor.input_value() == "    "
        ada.keyboard.press("Escape")
        ada.keyboard.press("Tab")
        assert ada.evaluate("document.activeElement.id") != "source"

        # a wrong submission (printing markup), then a right one
        editor.fill(ex.starter_path.read_text() + "\nprint('<b>bold?</b>')\n")
        ada.get_by_role("button", name="提交").click()
        verdict = _wait_for_result(ada)
        assert verdict.startswith("未通过")
        assert ada.locator("tr.bad").count() >= 1
        assert ada.locator("pre.output").inner_text().strip() == "<b>bold?</b>"  # text, not markup
        ada.screenshot(path=shots / "attempt-failed-zh.png", full_page=True)
        ada.goto(f"{base}/exercises/{CODE}")
        ada.get_by_label("你的代码").fill(ex.solution_path.read_text())
        ada.get_by_role("button", name="提交").click()
        assert _wait_for_result(ada).startswith("通过")
        assert ada.locator("tr.bad").count() == 0
        ada.screenshot(path=shots / "attempt-passed-zh.png", full_page=True)

        # back in English: the map shows the exercise passed
        ada.get_by_role("button", name="English").click()
        ada.goto(f"{base}/map")
        assert ada.locator("html").get_attribute("lang") == "en"
        row = ada.locator("li.status-passed", has_text=ex.title["en"])
        assert row.count() == 1
        ada.screenshot(path=shots / "map-en.png")
        ada.goto(f"{base}/exercises/{CODE}")
        ada.screenshot(path=shots / "exercise-en.png")

        teacher.goto(f"{base}/cohorts")
        teacher.get_by_role("link", name="Browser class").click()
        assert "ada" in teacher.locator("main").inner_text()
        teacher.screenshot(path=shots / "cohort-en.png")

        # the instructor's gradebook, heatmap and CSV now show ada's work
        teacher.get_by_role("link", name="Gradebook", exact=True).click()
        cell = teacher.locator("table.gradebook tr", has_text="ada").locator("td.ok")
        assert cell.count() == 1 and "100%" in cell.inner_text() and "2 tries" in cell.inner_text()
        teacher.screenshot(path=shots / "gradebook-en.png")
        teacher.get_by_role("link", name="Mastery heatmap").click()
        measured = teacher.locator("figure svg rect title", has_text="ada · data.scaling")
        assert measured.count() == 1 and "–" not in measured.text_content()
        teacher.screenshot(path=shots / "heatmap-en.png")
        with teacher.expect_download() as download:
            teacher.get_by_role("link", name="Download the gradebook (CSV)").click()
        rows = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("learner,exercise,passed")
        assert [r.split(",")[:5] for r in rows[1:]] == [["ada", CODE, "1", "1.000", "2"]]
        browser.close()
    for name in (
        "login-en",
        "login-zh",
        "map-zh",
        "lesson-zh",
        "attempt-passed-zh",
        "gradebook-en",
    ):
        assert (shots / f"{name}.png").stat().st_size > 10_000, name
