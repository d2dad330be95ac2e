"""Logging in and out.

A login first asks the throttle how long this attempt must wait (nothing is checked while it
waits, so waiting reveals nothing about the password); a failure is counted, a success opens a
session in the database and puts only its token in the cookie. Logging out deletes the session,
so a copy of the cookie is useless afterwards.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, g, redirect, render_template, request, session, url_for

from mailbot.ops.kept_forms import KEEP_MINUTES, peek_form
from mailbot.ops.sessions import LoginThrottle, end_idle_sessions, end_session, start_session
from mailbot.ops.users import authenticate

from .context import config, get_store

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)


@bp.route("/logowanie", methods=["GET", "POST"])
def login() -> Any:
    throttle: LoginThrottle = current_app.extensions["mailbot_throttle"]
    error = None
    kept = session.get("kept")
    if request.args.get("sesja") == "zachowano" and kept:
        error = (
            "Sesja wygasła po okresie bezczynności. Wysłany formularz został zachowany: "
            "zaloguj się ponownie, aby go dokończyć."
        )
    elif g.get("session_expired") or request.args.get("sesja") in ("wygasla", "zachowano"):
        error = "Sesja wygasła po okresie bezczynności. Zaloguj się ponownie."
    status = 200
    wait = 0
    if request.method == "POST":
        name = (request.form.get("login") or "").strip().lower()[:40]
        password = (request.form.get("password") or "")[:1000]
        address = request.remote_addr or ""
        store = get_store()
        wait = throttle.wait_seconds(store, name, address)
        if wait:
            error = f"Zbyt wiele nieudanych prób. Spróbuj ponownie za {wait} s."
            status = 429
        else:
            user = authenticate(store, name, password)
            if user is None:
                throttle.failed(store, name, address)
                log.info("failed login")  # neither the login nor the address is logged
                error = "Nieprawidłowy login lub hasło."
                status = 401
            else:
                throttle.succeeded(store, name, address)
                # an ended session's row is kept a little longer: a form sent from it is kept
                end_idle_sessions(store, (config().web.session_minutes + KEEP_MINUTES) * 60)
                token = start_session(store, user)
                session.clear()
                session.permanent = True
                session["sid"] = token
                if kept and peek_form(store, kept, user.login):
                    session["kept"] = kept
                    return redirect(url_for("sesja.complete"))
                return redirect(url_for("pulpit.index"))
    response = current_app.make_response((render_template("web/login.html", error=error), status))
    if status == 429:
        response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/wyloguj", methods=["POST"])
def logout() -> Any:
    end_session(get_store(), session.get("sid"))
    session.clear()
    return redirect(url_for("auth.login"))
