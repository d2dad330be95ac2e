"""What a view needs from the request: the config, the store, the user, a form value."""

from __future__ import annotations

from flask import abort, current_app, g, request

from mailbot.config import Config
from mailbot.ops.users import User
from mailbot.storage.store import Store

from .security import current_user


def config() -> Config:
    value: Config = current_app.extensions["mailbot_config"]
    return value


def get_store() -> Store:
    """The request's store (one SQLite connection per request, closed at its end)."""
    if "store" not in g:
        cfg = config()
        g.store = Store(cfg.storage.database, cfg.storage.files, form=cfg.form)
    store: Store = g.store
    return store


def actor() -> str:
    """The login of the person making a change (recorded with it)."""
    user: User | None = current_user()
    if user is None:
        abort(403)
    return user.login


def form_text(name: str, limit: int = 20_000) -> str:
    return (request.form.get(name) or "")[:limit]
