"""The Flask application factory of the workspace."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, g
from flask_wtf.csrf import CSRFProtect

from mailbot.config import Config
from mailbot.ops.review import decided_status_label, problem_text, status_label
from mailbot.pipeline.delivery import is_robot_address
from mailbot.pipeline.render import templates_dir
from mailbot.pipeline.texts import polish_datetime
from mailbot.storage.applications import Application
from mailbot.storage.store import parse_iso

from . import (
    auth,
    do_zrobienia,
    errors,
    lista,
    notatki,
    odpowiedz,
    popraw,
    pulpit,
    sesja,
    wiadomosc,
    wiadomosci,
    wycofanie,
    zalatwione,
    zdecyduj,
    zgloszenia,
    zgloszenia_xlsx,
    zgloszenie,
)
from .context import get_store
from .events import event_detail
from .labels import DISPOSITION_LABELS, EVENT_LABELS, HANDLED_LABELS, REPLY_STATE_LABELS
from .security import LoginThrottle, current_user, load_user, secret_key, security_headers


def _status_of(app: Application | Mapping[str, Any]) -> str:
    """An application's status in Polish, saying when a person set it: an application's page
    shows a typed row, a list one of its rows."""
    if isinstance(app, Application):
        return decided_status_label(app.status, bool(app.decided_by))
    return decided_status_label(app["status"], bool(app.get("decided_by")))


def create_app(
    config: Config, *, secret: str | None = None, throttle: LoginThrottle | None = None
) -> Flask:
    root = templates_dir()
    app = Flask(
        __name__,
        template_folder=str(root),
        static_folder=str(root / "web" / "static"),
        static_url_path="/static",
    )
    app.config.update(
        SECRET_KEY=secret or secret_key(config.storage.database.parent),
        SESSION_COOKIE_NAME="mailbot_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.web.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.web.session_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        # no Referer check: pages send Referrer-Policy no-referrer; the token and the SameSite
        # cookie are the protection
        WTF_CSRF_SSL_STRICT=False,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    if config.web.trusted_proxies:
        # behind nginx or Caddy: the client's address and scheme as the proxy saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = config.web.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    app.extensions["mailbot_config"] = config
    app.extensions["mailbot_throttle"] = throttle or LoginThrottle()
    CSRFProtect(app)
    idle = config.web.session_minutes * 60

    @app.before_request
    def _before() -> None:
        g.config = config
        load_user(get_store, idle)

    @app.teardown_appcontext
    def _close(_exc: BaseException | None) -> None:
        store = g.pop("store", None)
        if store is not None:
            store.close()

    app.after_request(security_headers)

    errors.register(app)

    tz = config.call.timezone

    def when(value: str | datetime | None) -> str:
        if not value:
            return "—"
        moment = parse_iso(value) if isinstance(value, str) else value
        return polish_datetime(moment, tz)

    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["status"] = status_label
    app.jinja_env.filters["status_of"] = _status_of
    app.jinja_env.filters["event_detail"] = event_detail
    app.jinja_env.filters["problem"] = lambda code: problem_text(code, config.form)
    app.jinja_env.filters["event"] = lambda kind: EVENT_LABELS.get(kind, kind)
    app.jinja_env.filters["disposition"] = lambda d: DISPOSITION_LABELS.get(d, d)
    app.jinja_env.filters["reply_state"] = lambda s: REPLY_STATE_LABELS.get(s, s)
    app.jinja_env.filters["handled_how"] = lambda h: HANDLED_LABELS.get(h, h)
    app.jinja_env.filters["robot"] = is_robot_address

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "user": current_user(),
            "call_name": config.call.name,
            "call_short_name": config.call.short_name,
            "session_seconds": idle,
        }

    for module in (
        auth,
        pulpit,
        do_zrobienia,
        zgloszenia,
        zgloszenie,
        popraw,
        zdecyduj,
        odpowiedz,
        lista,
        wycofanie,
        wiadomosc,
        wiadomosci,
        zalatwione,
        notatki,
        sesja,
        zgloszenia_xlsx,
    ):
        app.register_blueprint(module.bp)
    return app
