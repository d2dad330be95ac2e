"""Who is logged in, what they may do, and the headers every answer carries.

Sessions are kept in the database (:mod:`mailbot.ops.sessions`); the cookie — Flask's signed
one, HttpOnly, SameSite=Lax, Secure when ``web.secure_cookies`` — carries only the session's
random token (``sid``) and the form token. Every request looks the session up, so logging out,
a new password, a removed user or a changed role end it at once, and it ends after
``web.session_minutes`` without a request. The secret key comes from ``MAILBOT_WEB_SECRET`` or
is generated once into ``data/web-secret`` (0600). Failed logins slow down
(:class:`~mailbot.ops.sessions.LoginThrottle`, counted in the database).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Response, abort, g, redirect, request, session, url_for

from mailbot.ops.kept_forms import keep_form
from mailbot.ops.sessions import LoginThrottle, session_user
from mailbot.ops.users import User

__all__ = [
    "LoginThrottle",
    "coordinator_required",
    "current_user",
    "load_user",
    "login_required",
    "secret_key",
    "security_headers",
]

SECRET_ENV = "MAILBOT_WEB_SECRET"
SECRET_FILE = "web-secret"

F = TypeVar("F", bound=Callable[..., Any])

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def secret_key(data_dir: Path) -> str:
    """From the environment, else generated once and kept private in the data folder."""
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return from_env
    path = data_dir / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def current_user() -> User | None:
    return g.get("user")


#: the endpoint that tells the page how long the session has left without counting as use
STATE_ENDPOINT = "sesja.stan"


def load_user(store_getter: Callable[[], Any], idle_seconds: int) -> None:
    """Put the logged-in user in ``g.user``: the session named by the cookie's token, looked up
    in the database (ended: logged out, new password, user removed, role changed, idle)."""
    g.user = None
    token = session.get("sid")
    if not token:
        if "login" in session:
            session.clear()  # a cookie of an older version: it logs nobody in
        return
    asking = request.endpoint == STATE_ENDPOINT
    check = session_user(store_getter(), token, idle_seconds, touch=not asking)
    if check.user is None and asking:
        return  # how long is left: nothing is ended by asking
    if check.user is None:
        kept = session.get("kept")
        session.clear()
        if kept:
            session["kept"] = kept
        g.session_expired = check.expired
        g.expired_login = check.login if check.expired else None
        return
    g.user = check.user
    g.session_left = check.left


def to_login() -> Response:
    """To the login page (saying so when the session ended for being idle). A form sent just
    after the session ended is kept for the same login (:mod:`mailbot.ops.kept_forms`): its
    token goes into the cookie, and the form is offered back after she logs in again."""
    if g.get("session_expired"):
        login = g.get("expired_login")
        store = g.get("store")  # opened by load_user to look the session up
        if request.method == "POST" and login and store is not None:
            session["kept"] = keep_form(
                store, login, request.path, list(request.form.items(multi=True))
            )
            return redirect(url_for("auth.login", sesja="zachowano"))  # type: ignore[return-value]
        return redirect(url_for("auth.login", sesja="wygasla"))  # type: ignore[return-value]
    return redirect(url_for("auth.login"))  # type: ignore[return-value]


def login_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return to_login()
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def coordinator_required(view: F) -> F:
    """Changes are for coordinators; a viewer gets 403."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return to_login()
        if not user.can_change:
            abort(403)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response
