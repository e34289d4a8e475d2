"""``lmschool serve`` (the web platform) and ``lmschool admin`` (accounts).

FastAPI and Uvicorn are imported inside the commands, so the other commands stay fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from lmschool.cli import CourseOpt, LangOpt, app, resolve_lang
from lmschool.cli.render import console, err_console
from lmschool.cli.text import help_text
from lmschool.config import get_settings
from lmschool.i18n import t

admin_app = typer.Typer(help=help_text("admin"), no_args_is_help=True, rich_markup_mode=None)
app.add_typer(admin_app, name="admin")


@app.command(help=help_text("serve"))
def serve(
    host: Annotated[str, typer.Option(help=help_text("host"))] = "127.0.0.1",
    port: Annotated[int, typer.Option(help=help_text("port"))] = 8000,
    demo: Annotated[bool, typer.Option("--demo/--no-demo", help=help_text("serve_demo"))] = True,
    secure_cookies: Annotated[
        bool, typer.Option("--secure-cookies", help=help_text("secure_cookies"))
    ] = False,
    unsafe_shared_grading: Annotated[
        bool, typer.Option("--unsafe-shared-grading", help=help_text("unsafe_shared_grading"))
    ] = False,
    lang: LangOpt = None,
    course: CourseOpt = None,
) -> None:
    import uvicorn

    from lmschool.grading.grader import detect_protections, require_hardened
    from lmschool.learning import load_catalog
    from lmschool.store import open_database
    from lmschool.web import create_app
    from lmschool.web import text as _text  # noqa: F401
    from lmschool.web.demo import DEMO_PASSWORD, seed_demo

    settings = get_settings()
    lg = resolve_lang(lang, settings)
    # several users' code on one machine: every containment layer, or the named opt-out
    try:
        missing = require_hardened(
            detect_protections(settings.sandbox), unsafe_opt_out=unsafe_shared_grading
        )
    except RuntimeError as exc:
        err_console.print(t("web.refused", lg, detail=str(exc)), style="red")
        raise typer.Exit(2) from None
    if missing:
        err_console.print(t("web.unsafe", lg, layers=", ".join(missing)), style="bold red")
    catalog = load_catalog(settings, extra=course)
    db = open_database(settings.db_url)
    if demo:
        seeded = seed_demo(settings, catalog, db)
        if seeded is not None:
            console.print(
                t(
                    "web.demo_accounts",
                    lg,
                    accounts=", ".join(seeded.usernames),
                    password=DEMO_PASSWORD,
                )
            )
    from lmschool.web.queue import default_workers

    workers = default_workers()
    web = create_app(
        settings,
        catalog=catalog,
        db=db,
        secure_cookies=secure_cookies,
        workers=workers,
        pool={"numpy": workers},  # warm sandboxes: a NumPy submission starts no process
    )
    console.print(t("web.serving", lg, url=f"http://{host}:{port}/"))
    uvicorn.run(web, host=host, port=port, log_level="warning")


@admin_app.command("create-user", help=help_text("create_user"))
def create_user(
    username: Annotated[str, typer.Argument(help=help_text("username"))],
    role: Annotated[str, typer.Option(help=help_text("role"))] = "learner",
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help=help_text("password")
        ),
    ] = "",
    lang: LangOpt = None,
) -> None:
    from lmschool.store import open_database
    from lmschool.web import accounts
    from lmschool.web import text as _text  # noqa: F401

    settings = get_settings()
    lg = resolve_lang(lang, settings)
    db = open_database(settings.db_url)
    try:
        with db.session() as s:
            accounts.create_user(s, username=username, password=password, role=role)
    except accounts.AccountError as exc:
        err_console.print(t(exc.key, lg, **exc.kwargs), style="red")
        raise typer.Exit(2) from None
    finally:
        db.dispose()
    console.print(t("web.user_created", lg, role=t(f"web.role.{role}", lg), name=username))
