"""Every route's access policy, declared where the route is, enforced by one guard.

A route is added with :func:`page` (never with FastAPI's bare decorators): it names an
:class:`Access` level, which the guard enforces before the handler runs and which is
stored in the route's ``openapi_extra`` so that ``tests/test_web_policy.py`` can list
every route of the app and fail for any without one. Object-level rules (a learner's own
attempts, an instructor's own cohorts) are checked in the handlers through the helpers of
``lmschool.web.accounts``, which answer "not found" for what exists but is not yours.

State-changing methods (POST, PUT, PATCH, DELETE) also require a CSRF token
(lmschool.web.security), whatever their access level.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Request

from lmschool.web import accounts, security

SESSION_COOKIE = "lmschool_session"
CSRF_COOKIE = "lmschool_csrf"
CSRF_FIELD = "csrf"
ACCESS_KEY = "x-access"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Access(StrEnum):
    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_IN = "signed-in"  # any account: learners, instructors, admins
    INSTRUCTOR = "instructor"  # instructors and admins
    ADMIN = "admin"


ALLOWED_ROLES: dict[Access, frozenset[str]] = {
    Access.SIGNED_IN: frozenset({"learner", "instructor", "admin"}),
    Access.INSTRUCTOR: frozenset({"instructor", "admin"}),
    Access.ADMIN: frozenset({"admin"}),
}

# Mounted sub-applications (no handler of ours): their policy, by path.
MOUNTS: dict[str, Access] = {"/static": Access.PUBLIC}


class SignInRequired(Exception):
    """Raised by the guard for a page that needs an account; the app redirects to /login."""


def _guard(access: Access) -> Callable[..., Any]:
    async def guard(request: Request) -> None:
        db = request.app.state.db
        token = request.cookies.get(SESSION_COOKIE)
        found = None
        if token:
            with db.session() as s:
                found = accounts.session_for(s, token)
                if found is not None:
                    s.expunge_all()  # plain objects for the handler (no lazy loads)
        request.state.user, request.state.web_session = found if found else (None, None)
        if request.method in UNSAFE_METHODS:
            form = await request.form()
            sent = form.get(CSRF_FIELD) or request.headers.get("x-csrf-token")
            want = (
                request.state.web_session.csrf_token
                if request.state.web_session is not None
                else request.cookies.get(CSRF_COOKIE)
            )
            if not security.same_token(str(sent) if sent else None, want):
                raise HTTPException(status_code=403, detail="web.csrf")
        if access is Access.PUBLIC:
            return
        user = request.state.user
        if user is None:
            raise SignInRequired()
        if user.role not in ALLOWED_ROLES[access]:
            raise HTTPException(status_code=403, detail="web.forbidden")

    return guard


def page(
    app: FastAPI, path: str, *, access: Access, methods: tuple[str, ...] = ("GET",), **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@page(app, "/map", access=Access.SIGNED_IN)``: a route with its policy."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        app.add_api_route(
            path,
            handler,
            methods=list(methods),
            dependencies=[Depends(_guard(access))],
            openapi_extra={ACCESS_KEY: access.value},
            include_in_schema=False,
            **kwargs,
        )
        return handler

    return register


def route_access(route: Any) -> Access | None:
    """The policy a route of the app declares, or None (a defect the tests catch)."""
    extra = getattr(route, "openapi_extra", None) or {}
    if ACCESS_KEY in extra:
        return Access(extra[ACCESS_KEY])
    path = getattr(route, "path", None)
    return MOUNTS.get(path) if path is not None else None
