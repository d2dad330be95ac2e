"""Wiadomości: every message, newest first, 50 a page; filtered by disposition and day of
receipt (in the address: no personal data), by sender and searched by text (posted and kept in
the session, never in the address); case and Polish diacritics do not matter."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, session, url_for

from mailbot.errors import ActionRefused, MailbotError
from mailbot.ops.mail_list import DISPOSITIONS, MailQuery, message_list

from .context import config, form_text, get_store
from .errors import phrase
from .labels import DISPOSITION_LABELS
from .security import login_required

bp = Blueprint("wiadomosci", __name__)
SESSION_KEY = "wiadomosci"
DATE_ERROR = "Wpisz datę w postaci RRRR-MM-DD, np. 2024-05-16."


def _day(name: str, errors: dict[str, str]) -> date | None:
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = DATE_ERROR
        return None


@bp.route("/wiadomosci")
@login_required
def index() -> Any:
    errors: dict[str, str] = {}
    kept = session.get(SESSION_KEY) or {}
    disposition = request.args.get("rodzaj") or None
    page = request.args.get("strona", "1")
    query = MailQuery(
        disposition=disposition,
        day_from=_day("od", errors),
        day_to=_day("do", errors),
        sender=kept.get("nadawca") or None,
        text=kept.get("q") or None,
        page=int(page) if page.isdigit() and len(page) < 7 else 1,
    )
    found = None
    try:
        found = message_list(config(), get_store(), query)
    except ActionRefused as exc:
        if exc.code == "unknown_disposition":
            errors["rodzaj"] = phrase(exc)  # the other filters still apply
            query = replace(query, disposition=None)
        else:
            errors["do"] = phrase(exc)
            found = message_list(config(), get_store(), MailQuery(page=query.page))
    except MailbotError as exc:  # said under the filter; the list without it still shows
        errors["do"] = phrase(exc)
        found = message_list(config(), get_store(), MailQuery(page=query.page))
    if found is None:
        try:
            found = message_list(config(), get_store(), query)
        except MailbotError as exc:
            errors["do"] = phrase(exc)
            found = message_list(config(), get_store(), MailQuery(page=query.page))
    args = {k: v for k, v in request.args.items() if k != "strona"}
    return render_template(
        "web/wiadomosci.html",
        found=found,
        query=query,
        raw={
            "rodzaj": request.args.get("rodzaj", ""),
            "od": request.args.get("od", ""),
            "do": request.args.get("do", ""),
        },
        kept=kept,
        errors=errors,
        dispositions=[(d, DISPOSITION_LABELS.get(d, d)) for d in DISPOSITIONS],
        args=args,
        active="wiadomosci",
    ), 400 if errors else 200


@bp.route("/wiadomosci/szukaj", methods=["POST"])
@login_required
def search() -> Any:
    """The sender and the text to look for, kept in the session (never in the address)."""
    if request.form.get("clear") is not None:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = {
            "nadawca": form_text("nadawca", 100).strip(),
            "q": form_text("q", 100).strip(),
        }
    query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "strona"])
    return redirect(url_for("wiadomosci.index") + (f"?{query}" if query else ""))
