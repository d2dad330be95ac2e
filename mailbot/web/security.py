"""Who is logged in, what they may do, and the headers every answer carries.

Sessions are Flask's signed cookies (HttpOnly, SameSite=Lax, Secure when
``web.secure_cookies``), ending after ``web.session_minutes`` without a request. The secret key
comes from ``MAILBOT_WEB_SECRET`` or is generated once into ``data/web-secret`` (0600).
Failed logins slow down: after a few, further attempts for that login or address are refused
for a time that doubles with each failure.
"""

from __future__ import annotations

import os
import secrets
import threading
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

from flask import Response, abort, g, redirect, request, session, url_for

from mailbot.ops.users import User, get_user

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


class LoginThrottle:
    """Counts failed logins per login and per address; refuses attempts while they cool down."""

    FREE_ATTEMPTS = 3
    MAX_WAIT = 15 * 60

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}

    def wait_seconds(self, *keys: str) -> int:
        """How long these keys must still wait before the next attempt (0: may try now)."""
        now = self._clock()
        with self._lock:
            waits = [until - now for k in keys for _n, until in [self._failures.get(k, (0, 0.0))]]
        return max(0, int(max(waits, default=0) + 0.999))

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for k in keys:
                n = self._failures.get(k, (0, 0.0))[0] + 1
                wait = (
                    0.0
                    if n < self.FREE_ATTEMPTS
                    else min(2.0 ** (n - self.FREE_ATTEMPTS + 1), self.MAX_WAIT)
                )
                self._failures[k] = (n, now + wait)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)


def current_user() -> User | None:
    return g.get("user")


def load_user(store_getter: Callable[[], Any], idle_seconds: int) -> None:
    """Put the logged-in user in ``g.user``; end the session when idle too long or removed."""
    g.user = None
    login = session.get("login")
    if not login:
        return
    now = int(time.time())
    if now - int(session.get("seen", 0)) > idle_seconds:
        session.clear()
        g.session_expired = True
        return
    user = get_user(store_getter(), login)
    if user is None:
        session.clear()
        return
    session["seen"] = now
    g.user = user


def login_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_user() is None:
            return redirect(url_for("auth.login"))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def coordinator_required(view: F) -> F:
    """Changes are for coordinators; a viewer gets 403."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None:
            return redirect(url_for("auth.login"))
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
