"""Logging in and out."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from mailbot.ops.users import authenticate

from .context import get_store
from .security import LoginThrottle

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


@bp.route("/logowanie", methods=["GET", "POST"])
def login() -> Any:
    throttle: LoginThrottle = current_app.extensions["mailbot_throttle"]
    error = None
    if g.get("session_expired"):
        error = "Sesja wygasła po okresie bezczynności. Zaloguj się ponownie."
    status = 200
    if request.method == "POST":
        name = (request.form.get("login") or "").strip().lower()[:40]
        password = (request.form.get("password") or "")[:1000]
        keys = (f"login:{name}", f"addr:{request.remote_addr}")
        wait = throttle.wait_seconds(*keys)
        if wait:
            error = f"Zbyt wiele nieudanych prób. Spróbuj ponownie za {wait} s."
            status = 429
        else:
            user = authenticate(get_store(), name, password)
            if user is None:
                throttle.failed(*keys)
                log.info("failed login")  # neither the login nor the address is logged
                error = "Nieprawidłowy login lub hasło."
                status = 401
            else:
                throttle.succeeded(*keys)
                session.clear()
                session.permanent = True
                session["login"] = user.login
                session["seen"] = int(time.time())
                return redirect(url_for("pulpit.index"))
    return render_template("web/login.html", error=error), status


@bp.route("/wyloguj", methods=["POST"])
def logout() -> Any:
    session.clear()
    return redirect(url_for("auth.login"))
